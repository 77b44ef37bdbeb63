// The shipped model on real recordings treated as real users' recordings arrive: single
// words cut short, clips framed by digital silence, a quiet speaker. (The numbers behind
// these guards, on 240 held-out clips: docs/MODEL_EXPERIMENTS.md.)
//
//   node --test tests/cli/real_audio.test.mjs   (SER_BIN=build/native/bin/ser, SER_SHARED=../shared)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipUnlessPresent } from '../support/shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const ser = process.env.SER_BIN ?? path.join(root, 'build/native/bin/ser');
const data = path.join(process.env.SER_SHARED ?? path.join(root, '../shared'), 'data');
const model = path.join(root, 'weights/default.json');
const skip = skipUnlessPresent(data, 'real recordings live there');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-real-'));

function sox(args) {
  const r = spawnSync('sox', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `sox ${args.join(' ')}: ${r.stderr}`);
}
function seconds(file) {
  const r = spawnSync('soxi', ['-D', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout);
}
function predict(files) {
  const r = spawnSync(ser, ['predict', '--model', model, '--format', 'jsonl', '--ordered', ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
const pick = (dir, n) => fs.readdirSync(dir).filter((f) => f.endsWith('.flac')).sort().slice(0, n).map((f) => path.join(dir, f));

test('a single word of half a second, and a tenth of one, get an answer that says it rests on little audio', { skip }, () => {
  const words = [];
  for (const folder of ['OAF_angry', 'OAF_Sad', 'YAF_happy', 'YAF_neutral']) {
    for (const clip of pick(path.join(data, 'tess', folder), 2)) {
      // TESS says "Say the word ...": the word itself is the clip's last half second.
      const word = path.join(work, `${path.basename(clip, '.flac')}-word.wav`);
      sox([clip, word, 'trim', String(seconds(clip) - 0.55), '0.5']);
      const tenth = path.join(work, `${path.basename(clip, '.flac')}-tenth.wav`);
      sox([word, tenth, 'trim', '0.2', '0.1']);
      words.push(word, tenth);
    }
  }
  const results = predict(words);
  assert.equal(results.length, words.length);
  for (const r of results) {
    assert.ok(!r.error, `${r.file}: ${r.error}`);
    assert.ok(r.label, `${r.file}: no label`);
    assert.ok(r.speech_s > 0 && r.speech_s < 1, `${r.file}: speech_s ${r.speech_s}`);
    assert.match(r.note, /rests on little audio/, r.file);
  }
});

test('framing clips with a second of digital silence, or speaking 20 dB quieter, changes few answers', { skip }, () => {
  const clips = [];
  for (const actor of ['Actor_03', 'Actor_10', 'Actor_17', 'Actor_22']) clips.push(...pick(path.join(data, 'ravdess', actor), 60).filter((_, i) => i % 12 === 5));
  const framed = [], quiet = [];
  for (const clip of clips) {
    const base = path.join(work, path.basename(clip, '.flac'));
    sox([clip, `${base}-framed.wav`, 'pad', '1', '1']);
    sox([clip, `${base}-quiet.wav`, 'vol', '-20dB']);
    framed.push(`${base}-framed.wav`);
    quiet.push(`${base}-quiet.wav`);
  }
  const labels = (files) => predict(files).map((r) => r.label);
  const clean = labels(clips), padded = labels(framed), softer = labels(quiet);
  const changed = (other) => other.filter((label, i) => label !== clean[i]).length;
  console.log(`${clips.length} RAVDESS clips: framed by silence ${changed(padded)} answers changed, 20 dB quieter ${changed(softer)} (goal: at most 10 %)`);
  // The goal is 10 %; on so few clips one change is 5 %, so allow two.
  assert.ok(changed(padded) <= 2, `framed by silence: ${changed(padded)} of ${clips.length} answers changed`);
  assert.ok(changed(softer) <= 1, `20 dB quieter: ${changed(softer)} of ${clips.length} answers changed`);
});
