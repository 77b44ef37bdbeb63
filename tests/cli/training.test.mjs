// ser train / eval / predict as a user runs them, on a small subset of RAVDESS:
// a short run whose loss must fall, cross-validation on it (whole, and in pieces merged or
// resumed), predictions on real clips, an interrupted run (a real SIGINT) resumed to the
// same weights as an uninterrupted one, nEMO and ASED read by train and eval, and the
// errors a user meets with bad input.
//
//   node --test tests/cli/training.test.mjs   (SER_BIN=build/native/bin/ser, SER_SHARED=../shared)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { skipUnlessPresent } from '../support/shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ser = process.env.SER_BIN ?? path.join(here, '../../build/native/bin/ser');
const shared = process.env.SER_SHARED ?? path.join(here, '../../../shared');
const ravdess = path.join(shared, 'data/ravdess');
const tinyConfig = path.join(here, 'data/tiny.json');
const skip = skipUnlessPresent(ravdess, 'these tests run only beside ../shared');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-cli-'));
const subset = path.join(work, 'ravdess');
const cache = path.join(work, 'cache');

function run(args, options = {}) {
  const r = spawnSync(ser, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args) {
  const r = run(args);
  assert.equal(r.code, 0, `ser ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

const modelWeights = (file) => JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')).layers);

before(() => {
  if (skip) return;
  // Six actors (three male, three female), linked file by file: the reader does not follow
  // folder links.
  for (const actor of ['01', '02', '03', '04', '05', '06']) {
    const from = path.join(ravdess, `Actor_${actor}`);
    const to = path.join(subset, `Actor_${actor}`);
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(from)) fs.symlinkSync(path.join(from, f), path.join(to, f));
  }
});

test('a short training run: the loss falls and a complete model file is written', { skip }, () => {
  const out = path.join(work, 'model.json');
  ok(['train', '--data', `ravdess=${subset}`, '--config', tinyConfig, '--out', out, '--cache', cache, '--threads', '2']);
  const model = JSON.parse(fs.readFileSync(out, 'utf8'));
  const history = model.training.history;
  assert.ok(history.length >= 3, 'at least three epochs ran');
  assert.ok(history.at(-1).train_loss < history[0].train_loss,
    `training loss fell: ${history[0].train_loss} -> ${history.at(-1).train_loss}`);
  assert.deepEqual(model.labels, ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
  assert.equal(typeof model.training.source_revision, 'string');
  assert.ok(model.training.train_speakers.length > 0);
  assert.deepEqual(model.training.data.corpora,
    [{ corpus: 'ravdess', language: 'English (North American)', files: 360, speakers: 6 }]);
  assert.ok(!fs.existsSync(`${out}.checkpoint`), 'the checkpoint is removed after a successful export');
});

test('ser eval cross-validates by speaker and prints the JSON shape other tools read', { skip }, () => {
  const svg = path.join(work, 'confusion.svg');
  const r = ok(['eval', '--config', tinyConfig, '--data', `ravdess=${subset}`, '--folds', 'speaker', '--epochs', '2',
    '--format', 'json', '--svg', svg, '--cache', cache, '--threads', '2']);
  const report = JSON.parse(r.stdout);
  for (const key of ['labels', 'accuracy', 'uar', 'per_class', 'confusion', 'folds']) assert.ok(key in report, key);
  assert.equal(report.folds.length, 6);
  assert.ok(report.accuracy >= 0 && report.accuracy <= 1);
  assert.equal(report.confusion.flat().reduce((a, b) => a + b, 0), 360, 'every clip is tested exactly once');
  for (const label of report.labels) assert.ok('f1' in report.per_class[label]);
  assert.match(fs.readFileSync(svg, 'utf8'), /<svg[^>]*>/);
});

test('the random split is only shown labelled, beside the honest protocol', { skip }, () => {
  const r = ok(['eval', '--config', tinyConfig, '--data', `ravdess=${subset}`, '--folds', 'speaker,random', '--epochs', '1',
    '--cache', cache, '--threads', '2']);
  assert.match(r.stdout, /random split, speakers overlap/);
  assert.match(r.stdout, /side by side/);
});

test('ser predict gives a label, probabilities and a timeline per file', { skip }, () => {
  const model = path.join(work, 'model.json');
  const clips = [path.join(ravdess, 'Actor_10/03-01-05-02-01-01-10.flac'), path.join(ravdess, 'Actor_11/03-01-03-01-02-02-11.flac')];
  const r = ok(['predict', '--model', model, ...clips, '--timeline', '--format', 'json']);
  const results = JSON.parse(r.stdout);
  assert.equal(results.length, 2);
  for (const entry of results) {
    const p = Object.values(entry.probabilities);
    assert.equal(p.length, 8);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.ok(entry.label in entry.probabilities);
    assert.ok(entry.timeline.length >= 2);
    assert.ok(entry.timeline[0].start_s === 0 && entry.timeline[0].end_s > entry.timeline[0].start_s);
  }
});

test('Ctrl-C writes a checkpoint and --resume ends with the weights of an uninterrupted run', { skip }, async () => {
  const straight = path.join(work, 'straight.json');
  const resumed = path.join(work, 'resumed.json');
  const args = (out) => ['train', '--data', `ravdess=${subset}`, '--config', tinyConfig, '--out', out, '--cache', cache,
    '--threads', '2', '--epochs', '8'];
  ok(args(straight));

  // Interrupt once the second epoch is under way: the first epoch line has been printed.
  const child = spawn(ser, args(resumed), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent = false;
  const code = await new Promise((resolve) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && /epoch\s+1 /.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 150);
      }
    });
    child.on('exit', (c) => resolve(c));
  });
  assert.equal(code, 130, `the interrupted run exits with 130:\n${stderr}`);
  assert.match(stderr, /--resume/);
  assert.ok(fs.existsSync(`${resumed}.checkpoint`));
  assert.ok(!fs.existsSync(resumed), 'no model file is written by an interrupted run');

  ok([...args(resumed), '--resume']);
  assert.equal(modelWeights(resumed), modelWeights(straight));
});

test('cross-validation in pieces: --fold runs merged, and a --resume rerun, equal one full run', { skip }, () => {
  const common = ['eval', '--config', tinyConfig, '--data', `ravdess=${subset}`, '--folds', 'speaker', '--epochs', '1',
    '--cache', cache, '--threads', '2', '--format', 'json'];
  const full = path.join(work, 'cv-full.json');
  ok([...common, '--out', full]);
  const pieces = [];
  for (let k = 1; k <= 6; ++k) {
    const piece = path.join(work, `cv-fold${k}.json`);
    const r = ok([...common, '--fold', String(k), '--out', piece]);
    assert.match(r.stdout, new RegExp(`fold ${k} \\(fold ${k}\\)`));
    pieces.push(piece);
  }
  const merged = path.join(work, 'cv-merged.json');
  ok(['eval', '--merge', ...pieces.reverse(), '--out', merged, '--format', 'json']);
  assert.deepEqual(JSON.parse(fs.readFileSync(merged, 'utf8')), JSON.parse(fs.readFileSync(full, 'utf8')));

  let r = run(['eval', '--merge', ...pieces.slice(0, 5), '--out', merged]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /missing: 1/);
  r = run(['eval', '--merge', pieces[0], pieces[0]]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /more than one file/);

  // --resume: the folds already there are read back, not trained again.
  const dir = path.join(work, 'cv-resume');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(work, 'cv-fold2.json'), path.join(dir, 'speaker-fold-2.json'));
  fs.copyFileSync(path.join(work, 'cv-fold5.json'), path.join(dir, 'speaker-fold-5.json'));
  const resumed = path.join(work, 'cv-resumed.json');
  r = ok([...common, '--resume', dir, '--out', resumed]);
  assert.equal((r.stderr.match(/done earlier/g) ?? []).length, 2);
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length, 6);
  assert.deepEqual(JSON.parse(fs.readFileSync(resumed, 'utf8')), JSON.parse(fs.readFileSync(full, 'utf8')));
  r = ok([...common, '--resume', dir]);
  assert.equal((r.stderr.match(/done earlier/g) ?? []).length, 6);
  r = run([...common, '--resume', dir, '--seed', '9']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /another run/);
});

test('ser eval --save-models: each fold\'s model, a file ser predict takes that names the speakers it trained on', { skip }, () => {
  const dir = path.join(work, 'fold-models');
  ok(['eval', '--config', tinyConfig, '--data', `ravdess=${subset}`, '--folds', 'speaker', '--fold', '2', '--epochs', '1',
    '--cache', cache, '--threads', '2', '--save-models', dir]);
  assert.deepEqual(fs.readdirSync(dir), ['speaker-fold-2.json']);
  const file = path.join(dir, 'speaker-fold-2.json');
  const model = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(model.training.fold, 'fold 2');
  assert.equal(model.training.train_speakers.length, 4, 'six actors: one tested, one for validation');
  const heldOut = ['01', '02', '03', '04', '05', '06'].map((a) => `ravdess:${a}`).find((s) => !model.training.train_speakers.includes(s));
  const clip = path.join(subset, `Actor_${heldOut.slice(-2)}`, fs.readdirSync(path.join(subset, `Actor_${heldOut.slice(-2)}`))[0]);
  const r = ok(['predict', '--model', file, '--format', 'json', clip]);
  assert.equal(JSON.parse(r.stdout)[0].file, clip);
});

test('nEMO and ASED: ser train reads them, and one leave-one-corpus-out fold runs on 4 classes', { skip }, () => {
  const nemo = path.join(shared, 'data/nemo');
  const ased = path.join(shared, 'data/ased');
  if (!fs.existsSync(nemo) || !fs.existsSync(ased)) return;
  // A few clips of every emotion from two speakers each, linked file by file.
  const nemoSub = path.join(work, 'nemo');
  fs.mkdirSync(path.join(nemoSub, 'samples'), { recursive: true });
  fs.symlinkSync(path.join(nemo, 'data.tsv'), path.join(nemoSub, 'data.tsv'));
  for (const f of fs.readdirSync(path.join(nemo, 'samples')).filter((f) => /^(KS0|EB0)_/.test(f)).filter((_, i) => i % 10 === 0))
    fs.symlinkSync(path.join(nemo, 'samples', f), path.join(nemoSub, 'samples', f));
  const asedSub = path.join(work, 'ased');
  for (const folder of fs.readdirSync(ased)) {
    fs.mkdirSync(path.join(asedSub, folder), { recursive: true });
    for (const f of fs.readdirSync(path.join(ased, folder)).filter((f) => /-(08|23)\.opus$/.test(f)))
      fs.symlinkSync(path.join(ased, folder, f), path.join(asedSub, folder, f));
  }
  const model = path.join(work, 'nemo-ased.json');
  ok(['train', '--data', `nemo=${nemoSub}`, '--data', `ased=${asedSub}`, '--config', tinyConfig, '--out', model,
    '--cache', cache, '--threads', '2', '--epochs', '1']);
  // Neither corpus has calm or disgust; nEMO brings surprised.
  assert.deepEqual(JSON.parse(fs.readFileSync(model, 'utf8')).labels, ['neutral', 'happy', 'sad', 'angry', 'fearful', 'surprised']);

  const fold = path.join(work, 'loco-nemo.json');
  const r = ok(['eval', '--config', tinyConfig, '--data', `ravdess=${subset}`, '--data', `nemo=${nemoSub}`,
    '--data', `ased=${asedSub}`, '--folds', 'corpus', '--labels', 'angry,happy,sad,neutral', '--merge-calm',
    '--test-corpus', 'nemo', '--epochs', '1', '--cache', cache, '--threads', '2', '--out', fold]);
  assert.match(r.stdout, /fold 2 \(nemo\)/);
  assert.match(r.stderr, /labels asked for \(--labels\): 4/);
  const document = JSON.parse(fs.readFileSync(fold, 'utf8'));
  assert.deepEqual(document.run.labels, ['neutral', 'happy', 'sad', 'angry']);
  assert.deepEqual(document.run.folds.map((f) => f.name), ['ravdess', 'nemo', 'ased']);
  assert.equal(document.folds.length, 1);
  assert.ok(document.folds[0].clips.counts.reduce((a, b) => a + b, 0) > 0);
});

test('bad input gets a clear error', { skip }, () => {
  let r = run(['train', '--data', `ravdess=${path.join(work, 'nowhere')}`, '--config', tinyConfig, '--out', path.join(work, 'x.json')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /nowhere/);

  const badConfig = path.join(work, 'bad.json');
  fs.writeFileSync(badConfig, JSON.stringify({ ...JSON.parse(fs.readFileSync(tinyConfig, 'utf8')), trainig: {} }));
  r = run(['train', '--data', `ravdess=${subset}`, '--config', badConfig, '--out', path.join(work, 'x.json')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /trainig/);

  const single = path.join(work, 'single');
  fs.mkdirSync(single, { recursive: true });
  for (const f of fs.readdirSync(path.join(ravdess, 'Actor_01')).filter((f) => f.startsWith('03-01-05')))
    fs.symlinkSync(path.join(ravdess, 'Actor_01', f), path.join(single, f));
  r = run(['train', '--data', `ravdess=${single}`, '--config', tinyConfig, '--out', path.join(work, 'x.json')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /single emotion/);

  const broken = path.join(work, 'broken.wav');
  fs.writeFileSync(broken, Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt garbage'));
  r = run(['predict', '--model', path.join(work, 'model.json'), broken]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /broken\.wav/);
  assert.ok(!fs.existsSync(path.join(work, 'x.json')), 'failed runs leave no model file behind');
});
