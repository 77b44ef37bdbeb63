// ser adapt and ser eval --adapt-shots as a user runs them, on a small subset of RAVDESS: a
// tiny model trained on four actors is adapted to a fifth from a CSV of her clips and from
// the corpus folder; the base file is never touched; too few clips, unknown labels and
// --out equal to --model are refused with a message; the measurement runs on every fold.
//
//   node --test tests/cli/adapt.test.mjs   (SER_BIN=build/native/bin/ser, SER_SHARED=../shared)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { curve, curveSvg } from '../../training/adapt_curve.mjs';
import { guardTable } from '../../training/adapt_guards.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ser = process.env.SER_BIN ?? path.join(here, '../../build/native/bin/ser');
const shared = process.env.SER_SHARED ?? path.join(here, '../../../shared');
const ravdess = path.join(shared, 'data/ravdess');
const tinyConfig = path.join(here, 'data/tiny.json');
const haveData = fs.existsSync(ravdess);
if (!haveData && process.env.CI) throw new Error(`${ravdess} is absent and CI is set`);
const skip = haveData ? false : `SKIPPED: ${ravdess} is absent (these tests run only beside ../shared)`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-adapt-'));
const train = path.join(work, 'train');     // actors 01-04
const all = path.join(work, 'all');         // actors 01-05
const voice = path.join(work, 'voice');     // actor 05's clips, beside the CSVs
const cache = path.join(work, 'cache');
const base = path.join(work, 'base.json');
const labels = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'];

function run(args) {
  const r = spawnSync(ser, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args) {
  const r = run(args);
  assert.equal(r.code, 0, `ser ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

function link(actor, into) {
  const from = path.join(ravdess, `Actor_${actor}`);
  const to = path.join(into, `Actor_${actor}`);
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.symlinkSync(path.join(from, f), path.join(to, f));
}

// Actor 05's clips of statement `statement` whose label is in `keep`, as CSV lines with
// paths relative to the CSV's folder.
function csvOf(name, statement, keep = labels) {
  const lines = ['path,label'];
  for (const f of fs.readdirSync(path.join(voice, 'Actor_05')).sort()) {
    const parts = f.split('.')[0].split('-');
    const label = labels[Number(parts[2]) - 1];
    if (parts[4] === statement && keep.includes(label)) lines.push(`Actor_05/${f},${label}`);
  }
  const file = path.join(voice, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, clips: lines.length - 1 };
}

before(() => {
  if (!haveData) return;
  for (const actor of ['01', '02', '03', '04']) { link(actor, train); link(actor, all); }
  link('05', all);
  link('05', voice);
  ok(['train', '--data', `ravdess=${train}`, '--config', tinyConfig, '--epochs', '3', '--out', base, '--cache', cache,
    '--threads', '2']);
});

test('ser adapt from a CSV: a new model file that says what it was adapted from; the base is untouched', { skip }, () => {
  const before = fs.readFileSync(base);
  const { file, clips } = csvOf('clips.csv', '01');
  const out = path.join(work, 'adapted.json');
  const r = run(['adapt', '--model', base, '--labels', file, '--out', out]);
  assert.match(r.stdout, /leave-one-out on these clips, UAR over their labels: base [0-9.]+, adapted [0-9.]+; mean log-likelihood of their labels by strength: 0: -?[0-9.]+ 0.25: /);
  if (r.code === 0) {
    // Written at the strength the guard chose, which the file records.
    const strength = Number(r.stdout.match(/at strength ([0-9.]+)/)[1]);
    assert.ok(strength > 0 && strength <= 1);
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).adaptation.strength, strength);
  } else {
    // The guard: worse on her own clips, so nothing is written unless forced.
    assert.match(r.stderr, /did worse than the base.*nothing was written.*--force/s);
    assert.ok(!fs.existsSync(out));
    assert.match(ok(['adapt', '--model', base, '--labels', file, '--out', out, '--force']).stdout, /at strength 1 /);
  }
  assert.deepEqual(fs.readFileSync(base), before, 'the base model file is unchanged');
  const model = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(model.adaptation.base.name, 'base.json');
  assert.match(model.adaptation.base.checksum, /^fnv1a64:[0-9a-f]{16}$/);
  assert.equal(model.adaptation.clips, clips);
  assert.deepEqual(Object.keys(model.adaptation.clips_per_label).sort(), [...labels].sort());
  assert.ok(model.adaptation.changed.includes('normalisation'));
  const predicted = JSON.parse(ok(['predict', '--model', out, '--format', 'json',
    path.join(voice, 'Actor_05', fs.readdirSync(path.join(voice, 'Actor_05'))[0])]).stdout);
  assert.ok(labels.includes(predicted[0].label));
});

test('ser adapt reads a spreadsheet\'s CSV: byte-order mark, CRLF, quoted fields, other columns in any order', { skip }, () => {
  const { file } = csvOf('plain.csv', '01');
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const sheet = path.join(voice, 'sheet.csv');
  fs.writeFileSync(sheet, `\uFEFFlabel,note,path\r\n${rows.map(([p, l]) => `${l},"said it, twice","${p}"`).join('\r\n')}\r\n`);
  const plain = path.join(work, 'plain.json');
  const fromSheet = path.join(work, 'sheet.json');
  ok(['adapt', '--model', base, '--labels', file, '--out', plain, '--force']);
  ok(['adapt', '--model', base, '--labels', sheet, '--out', fromSheet, '--force']);
  const [a, b] = [plain, fromSheet].map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(b.adaptation, a.adaptation);
  assert.deepEqual(b.layers, a.layers, 'the same clips, the same weights');
});

test('ser adapt refuses --out equal to --model, too few clips, unknown labels and a bad header', { skip }, () => {
  const { file } = csvOf('ok.csv', '01');
  let r = run(['adapt', '--model', base, '--labels', file, '--out', base]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--out is the base model itself/);

  const few = path.join(voice, 'few.csv');
  fs.writeFileSync(few, 'path,label\nActor_05/03-01-05-01-01-01-05.flac,angry\nActor_05/03-01-04-01-01-01-05.flac,sad\n');
  r = run(['adapt', '--model', base, '--labels', few, '--out', path.join(work, 'few.json')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /2 clips are too few to adapt on: give at least 4/);
  assert.ok(!fs.existsSync(path.join(work, 'few.json')));

  const unknown = path.join(voice, 'unknown.csv');
  fs.writeFileSync(unknown, 'path,label\nActor_05/03-01-05-01-01-01-05.flac,furious\n');
  r = run(['adapt', '--model', base, '--labels', unknown, '--out', path.join(work, 'x.json')]);
  assert.match(r.stderr, /label "furious" is not one of the model's labels \(neutral, calm/);

  // A silent clip labelled "happy" would teach the head that silence is happy.
  const silent = path.join(voice, 'silent.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-b', '16', silent, 'trim', '0', '3']);
  const { file: withSilence } = csvOf('silent.csv', '01');
  fs.appendFileSync(withSilence, 'silent.wav,happy\n');
  r = run(['adapt', '--model', base, '--labels', withSilence, '--out', path.join(work, 'x.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /silent\.wav \("happy"\) was silent .*; or leave it out of the list/);

  const header = path.join(voice, 'header.csv');
  fs.writeFileSync(header, 'file;emotion\n');
  r = run(['adapt', '--model', base, '--labels', header, '--out', path.join(work, 'x.json')]);
  assert.match(r.stderr, /first line must be the header "path,label"/);
});

test('ser adapt on 4 of the 8 labels warns that only those are adjusted', { skip }, () => {
  const { file } = csvOf('four.csv', '01', ['neutral', 'happy', 'sad', 'angry']);
  const r = run(['adapt', '--model', base, '--labels', file, '--out', path.join(work, 'four.json'), '--force']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /cover 4 of the model's 8 labels/);
  const model = JSON.parse(fs.readFileSync(path.join(work, 'four.json'), 'utf8'));
  assert.deepEqual(Object.keys(model.adaptation.clips_per_label).sort(), ['angry', 'happy', 'neutral', 'sad']);
});

test('ser adapt --data needs --speaker when the folder holds several', { skip }, () => {
  let r = run(['adapt', '--model', base, '--data', `ravdess=${all}`, '--out', path.join(work, 'd.json')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /choose with --speaker \(one of ravdess:01, .*ravdess:05\)/);
  r = run(['adapt', '--model', base, '--data', `ravdess=${all}`, '--speaker', 'ravdess:05', '--out',
    path.join(work, 'd.json'), '--force', '--method', 'bias']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(fs.readFileSync(path.join(work, 'd.json'), 'utf8')).adaptation.clips, 60);
});

test('ser eval --adapt-shots: every held-out speaker adapted on statement 01 and tested on 02', { skip }, () => {
  const out = path.join(work, 'adapt-eval.json');
  const r = ok(['eval', '--config', tinyConfig, '--data', `ravdess=${all}`, '--folds', 'loso', '--epochs', '2',
    '--adapt-shots', '0,1,2', '--adapt-method', 'norm,norm+head', '--out', out, '--cache', cache, '--threads', '2']);
  assert.match(r.stdout, /few-shot adaptation, loso folds/);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(report.summary.length, 7, 'three zero-shot rows once, then two methods x two shot counts');
  assert.equal(report.summary.filter((s) => s.shots === 0).map((s) => s.method).join(), 'norm,baseline,baseline-neutral');
  for (const s of report.summary) {
    assert.equal(s.speakers, 5);
    for (const key of ['uar_before', 'uar_adapted', 'uar_guarded']) assert.ok(s[key] >= 0 && s[key] <= 1, key);
    assert.ok(s.worst_delta <= s.uar_adapted - s.uar_before + 1e-9);
  }
  for (const s of report.speakers) {
    if (s.method === 'baseline-neutral') {
      assert.deepEqual([s.adapt_clips, s.test_clips], [2, 2], 'a voice in one mood: the neutral clips of each statement');
      continue;
    }
    assert.equal(s.test_clips, 30, 'statement 02: 30 clips per actor');
    if (s.shots === 0) assert.equal(s.adapt_clips, 30, 'zero-shot: the unlabelled statement 01 clips');
    else assert.equal(s.adapt_clips, 8 * s.shots);
  }
  // The curve drawn from it: K = 0 then the method's K, one line per series, each point a
  // summary row's mean UAR.
  const rows = curve(report, 'norm+head');
  assert.deepEqual(rows.map((r) => r.shots), [0, 1, 2]);
  const svg = curveSvg([{ title: 'RAVDESS <5 actors>', report }], 'norm+head');
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1].split(' '));
  assert.equal(lines.length, 4, 'not adapted, adapted, two guards');
  for (const points of lines) assert.equal(points.length, 3);
  assert.equal(svg.match(/fill="#7048e8"/g).length, 2, 'the speaker baseline at K = 0, and its key');
  assert.ok(svg.includes('RAVDESS &lt;5 actors&gt;'));
});

test('ser eval --adapt-shots --resume: fold models kept; a rerun adapts them without training, to the same numbers', { skip }, () => {
  const dir = path.join(work, 'adapt-resume');
  const args = ['eval', '--config', tinyConfig, '--data', `ravdess=${all}`, '--folds', 'loso', '--epochs', '2',
    '--adapt-shots', '2', '--cache', cache, '--threads', '2', '--resume', dir, '--format', 'json'];
  const withoutTimes = (report) => ({ ...report, speakers: report.speakers.map(({ seconds, ...rest }) => rest) });
  const first = ok(args);
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.model.json')).length, 5, 'one model per actor fold');
  const again = ok(args);
  assert.equal(again.stderr.match(/model trained earlier, read from/g)?.length, 5);
  assert.doesNotMatch(again.stderr, /epoch/, 'nothing trained');
  const report = JSON.parse(first.stdout);
  assert.deepEqual(withoutTimes(JSON.parse(again.stdout)), withoutTimes(report));
  // Each line's test UAR at every strength: its ends are the base's and the full adaptation's,
  // and the guarded UAR is the one at the strongest strength leave-one-out found no worse.
  const strengths = report.adapt.strengths;
  for (const s of report.speakers.filter((line) => line.shots > 0)) {
    assert.equal(s.strength_uars.length, strengths.length);
    assert.ok(Math.abs(s.strength_uars[0] - s.uar_before) < 1e-12);
    assert.ok(Math.abs(s.strength_uars.at(-1) - s.uar_adapted) < 1e-12);
    const ll = s.strength_log_likelihoods;
    const chosen = ll.findLastIndex((x) => x >= ll[0]);
    assert.equal(s.strength, strengths[chosen]);
    assert.ok(Math.abs(s.strength_uars[chosen] - s.uar_likelihood_guarded) < 1e-12);
  }
  // The guard at other margins, from the leave-one-out evidence each line keeps (base or
  // full adaptation; here every speaker's guard chose one of the two, so margin 0 gives ser
  // eval's figures); a margin nothing clears keeps every base model.
  const [atZero, never] = guardTable([report], { method: 'norm+head2', margins: [0, 1e9] });
  const summary = report.summary.find((s) => s.method === 'norm+head2' && s.shots === 2);
  assert.ok(Math.abs(atZero.uar_guarded - summary.uar_likelihood_guarded) < 1e-12);
  assert.equal(atZero.kept_base, summary.likelihood_kept_base);
  assert.deepEqual([never.kept_base, never.uar_guarded, never.worst_delta], [5, never.uar_before, 0]);
  const epochs = args.indexOf('--epochs') + 1;
  const other = run(args.map((a, i) => (i === epochs ? '3' : a)));  // another recipe
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /fold model of another run .* give --resume another folder/);
  const fewer = ok([...args, '--adapt-steps', '5']);  // another adaptation, the same fold models
  assert.equal(fewer.stderr.match(/model trained earlier/g)?.length, 5);
  assert.equal(JSON.parse(fewer.stdout).adapt.steps, 5);
  const saving = run([...args, '--save-models', path.join(work, 'saved')]);
  assert.notEqual(saving.code, 0);
  assert.match(saving.stderr, /with --adapt-shots, --resume DIR keeps each fold's model/);
});

test('ser eval --model --adapt-shots: the given model adapted to each speaker it never trained on', { skip }, () => {
  const out = path.join(work, 'adapt-model.json');
  // Actors 01-05: the base trained on 01-04, so only actor 05 is measured.
  const r = ok(['eval', '--model', base, '--data', `ravdess=${all}`, '--adapt-shots', '1,2', '--out', out, '--cache', cache,
    '--threads', '2']);
  assert.match(r.stdout, /few-shot adaptation, the given model/);
  assert.match(r.stderr, /files of speakers this model was trained on are left out/);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(report.protocol, 'model');
  assert.deepEqual(report.speakers.map((s) => [s.speaker, s.fold, s.shots]), [['ravdess:05', 'model', 1], ['ravdess:05', 'model', 2]]);
  for (const s of report.speakers) {
    assert.equal(s.test_clips, 30);
    assert.equal(s.adapt_clips, 8 * s.shots);
  }
  // Every speaker given was trained on: nothing to measure, said so.
  const none = run(['eval', '--model', base, '--data', `ravdess=${train}`, '--adapt-shots', '1', '--cache', cache]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /no speakers left to adapt to/);
});
