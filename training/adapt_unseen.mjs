// Few-shot adaptation of an exported model to speakers of corpora it never saw (nEMO,
// Polish; ASED, Amharic: a new language and a new voice at once), through the CLI exactly as
// a user runs it: per speaker, `ser adapt` on K clips per label of half the sentences, then
// `ser predict` on the clips of the other sentences, before and after. `ser` has no reader
// for these corpora (their naming is read here), so this is a script and not `ser eval`.
//
//   node training/adapt_unseen.mjs --model weights/default.json --corpus nemo --shots 1,2,4 \
//        [--method norm+head2,bias] [--steps 60] [--skip 0] [--speakers 3] [--only 06,11] [--ser build/native/bin/ser] [--shared ../shared] [--out r.json]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const ser = args.ser ?? path.join(here, '../build/native/bin/ser');
const shared = args.shared ?? path.join(here, '../../shared');
const model = args.model ?? path.join(here, '../weights/default.json');
const corpus = args.corpus ?? 'nemo';
const shots = (args.shots ?? '1,2,4').split(',').map(Number);
const methods = (args.method ?? 'norm+head2').split(',');
const steps = args.steps ? ['--steps', args.steps] : [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-adapt-unseen-'));

// Every clip as {path, speaker, label, content}: content is the sentence, to adapt on some
// sentences and test on the others.
function clips() {
  if (corpus === 'nemo') {
    const dir = path.join(shared, 'data/nemo');
    const label = { anger: 'angry', fear: 'fearful', happiness: 'happy', neutral: 'neutral', sadness: 'sad', surprised: 'surprised' };
    return fs.readFileSync(path.join(dir, 'data.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [file, emotion, , sentence, speaker] = line.split('\t');
      return { path: path.join(dir, 'samples', file.replace(/\.wav$/, '.opus')), speaker: speaker.trim(), label: label[emotion], content: sentence };
    });
  }
  if (corpus === 'ased') {
    const dir = path.join(shared, 'data/ased');
    const label = { n: 'neutral', f: 'fearful', h: 'happy', s: 'sad', a: 'angry' };
    return fs.readdirSync(dir).flatMap((folder) => fs.readdirSync(path.join(dir, folder)).map((file) => {
      const [code, sentence, , , speaker] = file.replace(/\.opus$/, '').split('-');
      return { path: path.join(dir, folder, file), speaker, label: label[code[0]], content: sentence };
    }));
  }
  if (corpus === 'ravdess') {  // for the actors a model was not trained on (--only 06,11)
    const dir = path.join(shared, 'data/ravdess');
    const labels = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'];
    return fs.readdirSync(dir).flatMap((actor) => fs.readdirSync(path.join(dir, actor)).map((file) => {
      const p = file.split('.')[0].split('-');
      return { path: path.join(dir, actor, file), speaker: p[6], label: labels[Number(p[2]) - 1], content: p[4] };
    }));
  }
  throw new Error(`--corpus must be nemo, ased or ravdess, not ${corpus}`);
}

function ser_run(argv) {
  const r = spawnSync(ser, argv, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function predict(modelFile, files) {
  const r = ser_run(['predict', '--model', modelFile, '--format', 'json', ...files]);
  if (r.code !== 0 && !r.stdout) throw new Error(r.stderr);
  return JSON.parse(r.stdout).map((e) => e.label ?? null);
}

function uar(truth, predicted) {
  const recall = {};
  truth.forEach((t, i) => { (recall[t] ??= [0, 0])[1]++; if (predicted[i] === t) recall[t][0]++; });
  const r = Object.values(recall);
  return r.reduce((s, [hit, n]) => s + hit / n, 0) / r.length;
}

// A seeded order (so K = 1's clips are among K = 2's), then up to K per label.
function pick(pool, k, seed) {
  let x = seed >>> 0;
  const rand = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const order = pool.map((c) => [rand(), c]).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
  const taken = {};
  return order.filter((c) => (taken[c.label] = (taken[c.label] ?? 0) + 1) <= k);
}

const bySpeaker = {};
for (const c of clips()) (bySpeaker[c.speaker] ??= []).push(c);
let speakers = Object.keys(bySpeaker).sort();
if (args.only) speakers = speakers.filter((s) => args.only.split(',').includes(s));
const skip = Number(args.skip ?? 0);
speakers = speakers.slice(skip, args.speakers ? skip + Number(args.speakers) : undefined);

const rows = [];
for (const [s, speaker] of speakers.entries()) {
  const own = bySpeaker[speaker];
  const contents = [...new Set(own.map((c) => c.content))].sort();
  const adaptSide = new Set(contents.filter((_, i) => i % 2 === 0));
  const pool = own.filter((c) => adaptSide.has(c.content));
  const test = own.filter((c) => !adaptSide.has(c.content));
  const truth = test.map((c) => c.label);
  const before = uar(truth, predict(model, test.map((c) => c.path)));
  for (const method of methods) for (const k of shots) {
    const chosen = pick(pool, k, 1000 + s);
    const csv = path.join(work, `${speaker}-${k}.csv`);
    const tag = `${speaker}-${method.replace('+', '_')}-${k}`;
    fs.writeFileSync(csv, 'path,label\n' + chosen.map((c) => `${c.path},${c.label}`).join('\n') + '\n');
    const out = path.join(work, `${tag}.json`);
    const start = Date.now();
    const adapt = ser_run(['adapt', '--model', model, '--labels', csv, '--out', out, '--method', method, '--force', ...steps]);
    const seconds = (Date.now() - start) / 1000;
    if (adapt.code !== 0 && /cannot adapt/.test(adapt.stderr)) {  // refused: too few clips for this K
      console.log(`${speaker} ${method} K=${k}: skipped, ${adapt.stderr.trim().split('\n').at(-1)}`);
      continue;
    }
    if (adapt.code !== 0) throw new Error(`ser adapt failed for ${speaker}: ${adapt.stderr}`);
    const loo = JSON.parse(fs.readFileSync(out, 'utf8')).adaptation.leave_one_out;
    const adapted = uar(truth, predict(out, test.map((c) => c.path)));
    const kept = loo.adapted_uar < loo.base_uar;
    rows.push({ speaker, method, shots: k, adapt_clips: chosen.length, test_clips: test.length, uar_before: before,
      uar_adapted: adapted, uar_guarded: kept ? before : adapted, kept_base: kept, seconds });
    console.log(`${speaker} ${method} K=${k}: ${chosen.length} adapt, ${test.length} test clips; UAR ${before.toFixed(3)} -> ` +
      `${adapted.toFixed(3)} (guarded ${(kept ? before : adapted).toFixed(3)}${kept ? ', kept base' : ''}), ${seconds.toFixed(1)} s`);
  }
}

const summary = methods.flatMap((method) => shots.flatMap((k) => {
  const r = rows.filter((x) => x.shots === k && x.method === method);
  if (r.length === 0) return [];
  const mean = (key) => r.reduce((s, x) => s + x[key], 0) / r.length;
  return [{ method, shots: k, speakers: r.length, uar_before: mean('uar_before'), uar_adapted: mean('uar_adapted'),
    uar_guarded: mean('uar_guarded'), worst_delta: Math.min(...r.map((x) => x.uar_adapted - x.uar_before)),
    worst_guarded_delta: Math.min(...r.map((x) => x.uar_guarded - x.uar_before)), kept_base: r.filter((x) => x.kept_base).length }];
}));
console.log(`\n${corpus}, model ${path.basename(model)}`);
for (const s of summary)
  console.log(`${s.method} K=${s.shots}: ${s.speakers} speakers, UAR ${s.uar_before.toFixed(3)} -> ${s.uar_adapted.toFixed(3)} ` +
    `(guarded ${s.uar_guarded.toFixed(3)}), worst delta ${s.worst_delta.toFixed(3)} (guarded ${s.worst_guarded_delta.toFixed(3)}), ` +
    `kept base ${s.kept_base}`);
if (args.out) fs.writeFileSync(args.out, JSON.stringify({ corpus, model: path.basename(model), summary, speakers: rows }, null, 2) + '\n');
fs.rmSync(work, { recursive: true, force: true });
