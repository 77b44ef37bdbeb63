// Issue 8, uploads: files in every format the browser decodes are decoded at their own rate
// in the upload worker and analysed there; the results equal `ser predict` on the same
// files (1e-4 for lossless ones), and download as CSV and JSON. Also: drag-and-drop, and an
// undecodable file says so on its row.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, downloadFrom, saveScreenshot, waitForModule } from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { sharedDir } from './lib/paths.mjs';
import { testModelFile, testModelInfo } from './lib/model.mjs';
import { startPage } from './lib/start-page.mjs';
import { convertAudio, serPredict } from './lib/tools.mjs';
import { skipUnlessPresent } from '../support/shared.mjs';

const RAVDESS_CLIP = path.join(sharedDir, 'data/ravdess/Actor_01/03-01-05-01-01-01-01.flac');
const ORIGINALS = path.join(sharedDir, 'data/originals');

// The tolerance, for every format: lossy ones go through other decoders (FFmpeg's in
// Chromium, libvorbis, mpg123 and libopus in libsndfile), which agree here to float rounding.
const TOLERANCE = 1e-4;

function soxi(file, what) {
  return Number(execFileSync('soxi', [what, file], { encoding: 'utf8' }).trim());
}

function maxDifference(a, b) {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), 'the same labels');
  return Math.max(...Object.keys(a).map((label) => Math.abs(a[label] - b[label])));
}

test('uploads in every format decode at their own rate off the page and equal `ser predict`', async (t) => {
  const missing = skipUnlessPresent(RAVDESS_CLIP, `the corpora are not at ${sharedDir}`);
  if (missing) {
    t.skip(missing);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-upload-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir, 44100);
  const sox = (args, name, effects = []) => {
    const out = path.join(dir, name);
    execFileSync('sox', [...args, out, ...effects]);
    return out;
  };
  const twoChannels = ['remix', '1', '1v0.5'];
  const files = {
    // Real recordings as their corpora ship them: 48 kHz stereo, 96 kHz.
    stereo48k: path.join(ORIGINALS, '03-01-02-01-01-02-01.wav'),
    wav96k: path.join(ORIGINALS, 'OAF_food_fear.wav'),
    wav24bit: sox([speech, '-b', '24', '-c', '2', '-r', '22050'], 'speech 24-bit stereo.wav'),
    // Two different channels (the second at half the level), so that the mix is checked too.
    flac44k: sox([speech], 'speech.flac', twoChannels),
    vorbis: sox([speech, '-r', '32000'], 'speech.ogg', twoChannels),
    opus: convertAudio(sox([speech, '-r', '48000'], 'speech48k.wav'), path.join(dir, 'speech.opus')),
    mp3: convertAudio(sox([speech, '-r', '24000'], 'speech24k.wav', twoChannels), path.join(dir, 'speech.mp3')),
    // Telephone A-law: not converted in the worker, so the page's decodeAudioData takes it.
    alaw: sox([speech, '-r', '8000', '-c', '1', '-e', 'a-law', '-b', '8'], 'speech a-law.wav'),
  };
  // What soxi reads the length from (it reads neither MP3 nor Opus).
  const source = { ...files, opus: path.join(dir, 'speech48k.wav'), mp3: path.join(dir, 'speech24k.wav') };
  const broken = path.join(dir, 'broken.mp3');
  fs.writeFileSync(broken, Buffer.from('ID3 this is not audio at all '.repeat(40)));
  const empty = path.join(dir, 'empty.wav');
  fs.writeFileSync(empty, '');
  const expected = {
    stereo48k: { rate: 48000, format: /^wav 16-bit$/, tolerance: TOLERANCE },
    wav96k: { rate: 96000, format: /^wav 16-bit$/, tolerance: TOLERANCE },
    wav24bit: { rate: 22050, format: /^wav 24-bit$/, tolerance: TOLERANCE },
    flac44k: { rate: 44100, format: /^flac$/, tolerance: TOLERANCE },
    vorbis: { rate: 32000, format: /^ogg vorbis$/, tolerance: TOLERANCE },
    opus: { rate: 48000, format: /^ogg opus$/, tolerance: TOLERANCE },
    mp3: { rate: 24000, format: /^mp3$/, tolerance: TOLERANCE },
    alaw: { rate: 8000, format: /^wav \(browser decoder\)$/, tolerance: TOLERANCE },
  };

  const model = testModelFile();
  const modelRate = testModelInfo().rate;
  const cli = serPredict(model, Object.values(files));
  const { page } = await startPage(t, { viewport: { width: 1280, height: 900 } });

  // The canvas button opens the page's file input, as a click would for a person.
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles([...Object.values(files), broken, empty]);
  const count = Object.keys(files).length + 2;
  const done = await waitForModule(page, 'every file to be analysed',
    (m) => m.clips.length === count && m.clips.every((c) => ['done', 'failed'].includes(c.state)) && m, 60_000);

  Object.keys(files).forEach((key, i) => {
    const clip = done.clips[i];
    const want = expected[key];
    assert.equal(clip.state, 'done', `${key}: ${clip.message}`);
    assert.equal(clip.rate, want.rate, `${key} is decoded at the file's own rate`);
    assert.match(clip.format, want.format, key);
    // Every sample of the file, resampled by our C++ (gapless MP3 and Opus included).
    const frames = soxi(source[key], '-s');
    assert.equal(clip.seconds, Math.ceil((frames * modelRate) / soxi(source[key], '-r')) / modelRate,
      `${key}: all of its ${frames} samples`);
    assert.ok(clip.exact, key);
    assert.equal(clip.label, cli[i].label, `${key}: the CLI's label`);
    const difference = maxDifference(clip.probabilities, cli[i].probabilities);
    t.diagnostic(`${key}: ${clip.label}, largest difference from ser predict ${difference.toExponential(2)}`);
    assert.ok(difference <= want.tolerance, `${key}: probabilities within ${want.tolerance} of the CLI's, off by ${difference}`);
  });
  const bad = done.clips[count - 2];
  assert.equal(bad.name, 'broken.mp3');
  assert.equal(bad.state, 'failed');
  assert.match(bad.message, /could not be decoded/);
  assert.match(bad.message, /WAV, FLAC, MP3 or OGG/, 'the message says what to do');
  const nothing = done.clips[count - 1];
  assert.equal(nothing.state, 'failed');
  assert.match(nothing.message, /the file is empty \(0 bytes\)/, 'an empty file is named as such, not as undecodable');
  await saveScreenshot(page, 'upload.png');

  // Drag-and-drop a RAVDESS clip: the parity test, with its timeline and both downloads.
  const bytes = fs.readFileSync(RAVDESS_CLIP).toString('base64');
  await page.evaluate(([b64, name]) => {
    const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], name, { type: 'audio/flac' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.getElementById('canvas').dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, [bytes, path.basename(RAVDESS_CLIP)]);
  const dropped = await waitForModule(page, 'the dropped clip to be analysed',
    (m) => m.clips.length === count + 1 && m.clips[count].state === 'done' && m.selected_clip === count + 1
      && m.items['Download JSON'] && m, 30_000);
  assert.equal(dropped.clips[count].rate, 16000);

  const [reference] = serPredict(model, [RAVDESS_CLIP], { timeline: true });
  const json = await downloadFrom(page, 'Download JSON');
  assert.equal(json.name, '03-01-05-01-01-01-01.ser.json');
  const report = JSON.parse(json.data);
  assert.equal(report.file, path.basename(RAVDESS_CLIP));
  // One serialiser: the download has ser predict's keys, plus how the page analysed it.
  assert.deepEqual(Object.keys(report).filter((k) => k !== 'browser').sort(), Object.keys(reference).sort());
  assert.ok(Math.abs(report.duration_s - reference.duration_s) < 1e-6, `duration ${report.duration_s} vs ${reference.duration_s}`);
  assert.equal(report.label, reference.label);
  const clipDifference = maxDifference(report.probabilities, reference.probabilities);
  assert.ok(clipDifference <= TOLERANCE, `clip probabilities off by ${clipDifference}`);
  assert.equal(report.timeline.length, reference.timeline.length, 'the same windows');
  let windowDifference = 0;
  report.timeline.forEach((w, i) => {
    const r = reference.timeline[i];
    assert.equal(w.start_s, r.start_s);
    assert.equal(w.end_s, r.end_s);
    assert.equal(w.speech, r.speech, `window ${i}: speech`);
    windowDifference = Math.max(windowDifference, maxDifference(w.probabilities, r.probabilities));
  });
  t.diagnostic(`RAVDESS clip: ${report.label}, ${report.timeline.length} windows; largest difference from ` +
    `ser predict: clip ${clipDifference.toExponential(2)}, windows ${windowDifference.toExponential(2)}`);
  assert.ok(windowDifference <= TOLERANCE, `window probabilities off by ${windowDifference}`);

  const csv = await downloadFrom(page, 'Download CSV');
  assert.equal(csv.name, '03-01-05-01-01-01-01.ser.csv');
  const rows = csv.data.trim().split('\r\n').map((line) => line.split(','));
  const labels = Object.keys(reference.probabilities);
  // ser predict's CSV: file, scope, start_s, end_s, speech, label, a column per label, error.
  assert.deepEqual(rows[0].slice(0, 6), ['file', 'scope', 'start_s', 'end_s', 'speech', 'label']);
  assert.deepEqual([...rows[0].slice(6, -1)].sort(), [...labels].sort());
  assert.equal(rows[0].at(-1), 'error');
  assert.equal(rows.length, 2 + reference.timeline.length, 'a header, the clip, then one row per window');
  assert.deepEqual(rows[1].slice(1, 3), ['clip', '0']);
  assert.equal(rows[1][5], reference.label);
  rows.slice(2).forEach((row, i) => {
    assert.equal(Number(row[2]), reference.timeline[i].start_s);
    assert.equal(row[4], reference.timeline[i].speech ? '1' : '0');
    rows[0].slice(6, -1).forEach((label, c) => {
      assert.ok(Math.abs(Number(row[6 + c]) - reference.timeline[i].probabilities[label]) <= TOLERANCE, `row ${i} ${label}`);
    });
  });
  assert.equal((await waitForModule(page, 'no error', (m) => m)).error, '');
});
