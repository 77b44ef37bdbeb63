// Issue 15, "Calibrate to my voice" in the page:
// - a fake microphone plays clips of one RAVDESS actor the shipped model never trained on
//   (Actor_15): the person records a take per prompt, adapts (in a worker, with progress),
//   sees before/after; the adapted model is then used for uploads (its results are
//   `ser predict`'s with the downloaded file, and differ from the shipped model's), survives
//   a reload (IndexedDB), and reset brings back the shipped model;
// - bad input, each a clear message with the earlier takes kept: a silent take, a take with
//   no speech, too few takes (adapt's own refusal), the microphone denied mid-calibration;
// - the upload route (clips labelled by the prompt they were added for), on 16 clips: the
//   time to adapt, reported against the budget (10 s), never asserted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, downloadFrom, frames, moduleState, openApp, saveScreenshot, waitForModule } from './lib/app.mjs';
import { makeSpeechWav, tone, writeWav } from './lib/audio.mjs';
import { sharedDir } from './lib/paths.mjs';
import { testModelFile } from './lib/model.mjs';
import { startPage } from './lib/start-page.mjs';
import { nativeBin, serPredict } from './lib/tools.mjs';
import { skipUnlessPresent } from '../support/shared.mjs';

const ACTOR = path.join(sharedDir, 'data/ravdess/Actor_15');
// RAVDESS names: modality-channel-emotion-intensity-statement-repetition-actor.
const clipOf = (emotion, intensity, statement, repetition = 1) =>
  path.join(ACTOR, `03-01-${String(emotion).padStart(2, '0')}-0${intensity}-0${statement}-0${repetition}-15.flac`);
// The page's first eight prompts: neutral, calm, happy, sad, each with both sentences.
const MIC_CLIPS = [[1, 1, 1], [1, 1, 2], [2, 2, 1], [2, 2, 2], [3, 2, 1], [3, 2, 2], [4, 2, 1], [4, 2, 2]]
  .map(([e, i, s]) => clipOf(e, i, s));
// Never a take: an angry clip, analysed as an upload by the shipped and the adapted model.
const UPLOAD_CLIP = clipOf(5, 2, 1, 2);
// Each clip's speech starts 1 s into a slot of SLOT_S; a take records TAKE_S of a slot.
const SLOT_S = 4;
const TAKE_S = 2.6;
const ADAPT_BUDGET_S = 10;
const serProgram = () => path.join(nativeBin, 'ser');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The fake microphone's audio (Chromium loops it): every clip cut to its speech, 1 s of
// silence before it, the slot filled up with silence; 48 kHz 16-bit mono.
function makeSlots(dir, clips) {
  const pieces = clips.map((clip, i) => {
    const piece = path.join(dir, `slot-${i}.wav`);
    execFileSync('sox', ['-V1', clip, '-r', '48000', '-c', '1', '-b', '16', piece,
      'silence', '1', '0.05', '0.5%', 'reverse', 'silence', '1', '0.05', '0.5%', 'reverse',
      'pad', '1.0', String(SLOT_S), 'trim', '0', String(SLOT_S)]);
    return piece;
  });
  const out = path.join(dir, 'microphone.wav');
  execFileSync('sox', [...pieces, out]);
  return out;
}

const calibration = async (page) => (await moduleState(page)).calibration;

// Seconds into the fake microphone's file (it plays from its start when the page opens it).
async function micPosition(page, loopS) {
  const m = await moduleState(page);
  return m.mic.rate > 0 ? (m.mic.samples / m.mic.rate) % loopS : 0;
}

// Waits until the microphone is within `before` seconds ahead of `at` (or just past it).
async function waitForPosition(page, at, loopS, before = 0.5, after = 0.3) {
  const deadline = Date.now() + (loopS + 5) * 1000;
  for (;;) {
    const p = await micPosition(page, loopS);
    const ahead = (at - p + loopS) % loopS;
    if (ahead <= before || loopS - ahead <= after) return;
    assert.ok(Date.now() < deadline, `the microphone never reached ${at} s of its file`);
    await sleep(40);
  }
}

// A press on a control the mouse already rests on (Record and Stop share their place): two
// frames instead of clickControl's six, so a take starts where the test means it to.
async function press(page, name) {
  const item = (await moduleState(page)).items[name];
  assert.ok(item, `the canvas shows no control named '${name}'`);
  const box = await page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().toJSON());
  await page.mouse.move(box.left + item.x + item.width / 2, box.top + item.y + item.height / 2);
  await page.mouse.down();
  await frames(page, 1);
  await page.mouse.up();
}

// Record, hold for `seconds` of audio, Stop; returns the calibration state afterwards.
async function recordTake(page, seconds) {
  const count = (await calibration(page)).takes.length;
  const message = (await calibration(page)).message;
  await press(page, 'Record take');
  const state = await waitForModule(page, 'the take to record',
    (m) => (m.calibration.phase === 'recording' && m.calibration.recording_s >= seconds && m) ||
      (m.calibration.phase === 'collecting' && m.calibration.message !== message && m), 20_000);
  if (state.calibration.phase === 'recording') await press(page, 'Stop take');
  return waitForModule(page, 'the take to end', (m) => m.calibration.phase === 'collecting' &&
    (m.calibration.takes.length !== count || m.calibration.message !== message) && m.calibration, 10_000);
}

// Adapt, watching the progress bar; the state once it answered, and what the wait took.
async function adapt(page) {
  const clicked = Date.now();
  await clickControl(page, 'Adapt to my voice');
  const seen = new Set();
  const done = await waitForModule(page, 'the adaptation to finish', (m) => {
    if (m.calibration.phase === 'adapting') seen.add(m.calibration.progress.toFixed(2));
    return m.calibration.phase !== 'adapting' && (m.calibration.summary || m.calibration.message_is_error) && m;
  }, 60_000);
  return { done, seen, waitedMs: Date.now() - clicked };
}

async function openPanel(page) {
  await clickControl(page, 'Calibrate to my voice');
  await waitForModule(page, 'the calibration panel to open', (m) => m.items['Record take'] && m);
}

function usable(t, dir) {
  const missing = skipUnlessPresent(dir, `the corpora are not at ${sharedDir}`);
  if (missing) t.skip(missing);
  return !missing;
}

const launch = (t, options) => startPage(t, { viewport: { width: 1280, height: 960 }, ...options });

// An uploaded clip's probabilities as the page shows them.
async function uploadResult(page, file) {
  const count = (await moduleState(page)).clips.length;
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles(file);
  const m = await waitForModule(page, 'the upload to be analysed',
    (s) => s.clips.length > count && ['done', 'failed'].includes(s.clips[count].state) && s, 30_000);
  assert.equal(m.clips[count].state, 'done', m.clips[count].message);
  return m.clips[count].probabilities;
}

const largestDifference = (a, b) => Math.max(...Object.keys(a).map((k) => Math.abs(a[k] - b[k])));

test('calibrating with the microphone adapts the model, which is used, kept, downloadable and resettable', async (t) => {
  if (!usable(t, ACTOR)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-calibration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const loopS = SLOT_S * MIC_CLIPS.length;
  const { page, server, context } = await launch(t, { microphone: 'allow', fakeAudio: makeSlots(dir, MIC_CLIPS) });
  // Nothing leaves the page: every request, from here to the end, is a GET of the app's origin
  // (the privacy test checks those are the app's own files and the model).
  const requests = [];
  context.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  const shippedResult = await uploadResult(page, UPLOAD_CLIP);
  await openPanel(page);

  // The first Record opens the microphone: its take starts with the file, at slot 0. The
  // page then moves on to the next prompt by itself, in the order of the slots.
  for (let i = 0; i < MIC_CLIPS.length; i += 1) {
    const prompt = (await calibration(page)).prompt;
    assert.equal(prompt.index, i, 'the panel moves on to the next prompt');
    if (i > 0) await waitForPosition(page, i * SLOT_S, loopS, 0.15, 0.5);
    const state = await recordTake(page, TAKE_S);
    assert.equal(state.message_is_error, false, `take ${i} (${prompt.label}): ${state.message}`);
    assert.equal(state.takes.length, i + 1);
    assert.equal(state.takes[i].label, prompt.label);
  }
  await clickControl(page, 'Stop microphone');

  const { done, seen, waitedMs } = await adapt(page);
  const { summary } = done.calibration;
  assert.ok(summary, `the adaptation answered: ${done.calibration.message}`);
  t.diagnostic(`adapted on ${summary.clips} takes: leave-one-out UAR shipped ${summary.base_uar.toFixed(3)} → adapted ` +
    `${summary.adapted_uar.toFixed(3)}; ${summary.seconds.toFixed(2)} s in the worker, ${waitedMs} ms from the click; ` +
    `progress seen: ${[...seen].join(', ')}; warnings: ${summary.warnings.join(' | ') || 'none'}`);
  assert.equal(summary.clips, MIC_CLIPS.length);
  await waitForModule(page, 'the before/after pictures', (m) => m.items['calibration before'] && m.items['calibration after'] && m);
  if (!summary.better_or_equal) {
    // The guard kept the shipped model (leave-one-out on 8 takes is noisy); the person may overrule it.
    assert.equal(done.model.adapted, false, 'the guard keeps the shipped model');
    await clickControl(page, 'Use the adapted model anyway');
  }
  const adapted = await waitForModule(page, 'the adapted model to be in use',
    (m) => m.model.adapted && m.items['adapted badge'] && m);
  assert.match(adapted.model.name, /adapted/);
  await saveScreenshot(page, 'calibration-adapted.png');

  // Used for uploads: the page's result is `ser predict`'s with the downloaded file.
  const adaptedResult = await uploadResult(page, UPLOAD_CLIP);
  const download = await downloadFrom(page, 'Download adapted model');
  assert.match(download.name, /\.adapted\.json$/);
  const file = path.join(dir, download.name);
  fs.writeFileSync(file, download.data);
  const record = JSON.parse(download.data).adaptation;
  assert.ok(record, 'the downloaded model records its adaptation');
  const [cliAdapted] = serPredict(file, [UPLOAD_CLIP]);
  const [cliShipped] = serPredict(testModelFile(), [UPLOAD_CLIP]);
  t.diagnostic(`angry clip: shipped ${JSON.stringify(cliShipped.probabilities)}; adapted ${JSON.stringify(cliAdapted.probabilities)}`);
  assert.ok(largestDifference(adaptedResult, cliAdapted.probabilities) <= 1e-4, '`ser predict` accepts the download and agrees with the page');
  assert.ok(largestDifference(shippedResult, cliShipped.probabilities) <= 1e-4, 'before calibrating, the page used the shipped model');
  assert.ok(largestDifference(adaptedResult, shippedResult) > 1e-3, 'the adapted model gives other results than the shipped one');

  // Kept across a reload (IndexedDB), then reset to the shipped model, which a reload keeps.
  await openApp(page, server.url);
  const reloaded = await waitForModule(page, 'the adapted model after a reload', (m) => m.model.adapted && m.items['adapted badge'] && m);
  assert.equal(reloaded.model.name, adapted.model.name);
  await clickControl(page, 'Reset to the shipped model');
  const reset = await waitForModule(page, 'the shipped model back', (m) => m.model.status === 'ready' && !m.model.adapted && m);
  assert.equal(reset.model.name, 'default.json');
  assert.ok(largestDifference(await uploadResult(page, UPLOAD_CLIP), shippedResult) <= 1e-6, 'reset restores the shipped results');
  await openApp(page, server.url);
  await waitForModule(page, 'the model after a reload', (m) => m.model.status === 'ready' && m);
  await sleep(500);
  assert.equal((await moduleState(page)).model.adapted, false, 'after a reset, a reload keeps the shipped model');
  const origin = new URL(server.url).origin;
  const elsewhere = requests.filter((r) => !r.startsWith(`GET ${origin}/`) && !r.startsWith('GET blob:'));
  assert.deepEqual(elsewhere, [], 'calibrating sends nothing anywhere');
  assert.ok(requests.some((r) => r.endsWith('/calibration-worker.js')), 'the recording sees the worker being fetched');
});

// Chromium ends a track whose permission is revoked and refuses the next request; this
// stands in for the person doing that in the site settings, mid-calibration.
const MICROPHONE_SWITCH = () => {
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  const state = { denied: false, streams: [] };
  devices.getUserMedia = async (constraints) => {
    if (state.denied) throw new DOMException('Permission denied', 'NotAllowedError');
    const stream = await open(constraints);
    state.streams.push(stream);
    return stream;
  };
  window.serTestDenyMicrophone = () => {
    state.denied = true;
    for (const track of state.streams.flatMap((s) => s.getTracks())) {
      track.stop();
      track.dispatchEvent(new Event('ended'));
    }
  };
};

test('silent and speechless takes, too few takes and a microphone denied mid-take: clear messages, takes kept', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-calibration-bad-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // 6 s of speech, 6 s of silence, 8 s of a steady tone: each 2 s take starts 0.6 s into its
  // stretch and has seconds to spare, so a loaded machine's late press stays inside it.
  const speech = makeSpeechWav(dir);
  const rate = 48000;
  const silence = writeWav(path.join(dir, 'silence.wav'), { rate, frames: 6 * rate, signal: () => 0 });
  const hum = writeWav(path.join(dir, 'hum.wav'), { rate, frames: 8 * rate, signal: tone(220, rate, 0.3) });
  const mic = path.join(dir, 'microphone.wav');
  execFileSync('sox', [speech, path.join(dir, 'speech-6s.wav'), 'trim', '0', '6']);
  execFileSync('sox', [path.join(dir, 'speech-6s.wav'), silence, hum, mic]);
  const loopS = 20;

  const { page } = await launch(t, { microphone: 'allow', fakeAudio: mic, initScript: MICROPHONE_SWITCH });
  await openPanel(page);
  const first = await recordTake(page, 2.0);
  assert.equal(first.takes.length, 1, first.message);

  await waitForPosition(page, 6.6, loopS, 0.3, 0.3);
  const silent = await recordTake(page, 2.0);
  t.diagnostic(`silent take: ${silent.message}`);
  assert.match(silent.message, /was silent/);
  assert.match(silent.message, /not muted/, 'it says what to do');
  assert.equal(silent.takes.length, 1, 'the earlier take is kept');

  await waitForPosition(page, 12.6, loopS, 0.3, 0.3);
  const noise = await recordTake(page, 2.0);
  t.diagnostic(`take without speech: ${noise.message}`);
  assert.match(noise.message, /no speech/);
  assert.equal(noise.takes.length, 1, 'the earlier take is kept');

  // adapt_model's own refusal, word for word (src/model/adapt.cpp), with the takes kept.
  const { done } = await adapt(page);
  t.diagnostic(`too few takes: ${done.calibration.message}`);
  assert.match(done.calibration.message, /1 clips are too few to adapt on: give at least 4/);
  assert.match(done.calibration.message, /at least two different labels/);
  assert.equal(done.calibration.takes.length, 1);
  assert.equal(done.model.adapted, false);

  // A redo of the first prompt replaces its take.
  await clickControl(page, 'Previous prompt');
  await waitForModule(page, 'the first prompt again', (m) => m.calibration.prompt.index === 0 && m);
  await waitForPosition(page, 0.3, loopS, 0.3, 0.3);
  const redone = await recordTake(page, 2.0);
  t.diagnostic(`redo: ${redone.message}`);
  assert.equal(redone.message_is_error, false, redone.message);
  assert.equal(redone.takes.length, 1, 'a redo replaces its take');
  assert.equal(redone.takes[0].prompt, 0);

  // Denied mid-take: the take in progress is lost, said so; the next Record is refused with why.
  await clickControl(page, 'Record take');
  await waitForModule(page, 'a take to be recording', (m) => m.calibration.phase === 'recording' && m.calibration.recording_s > 0.5 && m);
  await page.evaluate(() => window.serTestDenyMicrophone());
  const lost = await waitForModule(page, 'the take to be discarded', (m) => m.calibration.phase === 'collecting' && m.calibration.message && m);
  t.diagnostic(`microphone gone mid-take: ${lost.calibration.message}`);
  assert.match(lost.calibration.message, /stopped during the take/);
  assert.match(lost.calibration.message, /1 earlier take is kept/);
  assert.equal(lost.calibration.takes.length, 1);
  const refusedMessage = lost.calibration.message;
  await clickControl(page, 'Record take');
  const denied = await waitForModule(page, 'the refused microphone',
    (m) => m.calibration.phase === 'collecting' && m.calibration.message !== refusedMessage && m.calibration.message && m);
  t.diagnostic(`microphone denied: ${denied.calibration.message}`);
  assert.match(denied.calibration.message, /denied/);
  assert.match(denied.calibration.message, /1 earlier take is kept/);
  assert.equal(denied.calibration.takes.length, 1);
  assert.equal(denied.mic.state, 'failed');
  await saveScreenshot(page, 'calibration-denied.png');
});

test('uploaded clips labelled in the panel adapt the model as `ser adapt` does; the time for 16 clips against the budget', async (t) => {
  if (!usable(t, ACTOR)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-calibration-upload-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { page } = await launch(t, { microphone: 'deny' });
  await openPanel(page);
  const labels = (await moduleState(page)).model.labels;
  const csv = ['path,label'];
  for (let label = 0; label < labels.length; label += 1) {
    csv.push(`${clipOf(label + 1, 1, 1)},${labels[label]}`, `${clipOf(label + 1, 1, 2)},${labels[label]}`);
    const prompt = (await calibration(page)).prompt;
    assert.equal(prompt.label, labels[label]);
    const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
    await clickControl(page, 'Add calibration clips');
    await (await chooser).setFiles([clipOf(label + 1, 1, 1), clipOf(label + 1, 1, 2)]);
    const state = await waitForModule(page, 'the clips to be decoded and kept',
      (m) => m.calibration.takes.length === 2 * (label + 1) && m.calibration, 20_000);
    assert.ok(state.takes.slice(-2).every((c) => c.label === labels[label] && c.prompt === -1));
    if (label + 1 < labels.length) {
      await clickControl(page, 'Next prompt');
      await clickControl(page, 'Next prompt');
    }
  }
  const { done, waitedMs } = await adapt(page);
  const { summary } = done.calibration;
  assert.ok(summary, done.calibration.message);
  assert.equal(summary.clips, 16);
  t.diagnostic(`adapted on 16 uploaded clips (2 per label, Actor_15): leave-one-out UAR shipped ` +
    `${summary.base_uar.toFixed(3)} → adapted ${summary.adapted_uar.toFixed(3)}`);
  t.diagnostic(`budget ${ADAPT_BUDGET_S} s to adapt on 16 clips in the page: ${summary.seconds.toFixed(2)} s in the worker ` +
    `(features + adaptation with leave-one-out), ${(waitedMs / 1000).toFixed(2)} s from the click to the answer drawn ` +
    `(${waitedMs / 1000 <= ADAPT_BUDGET_S ? 'within' : 'OVER'})`);

  // The same clips through the native `ser adapt` (from the CSV it reads): the same record,
  // the same leave-one-out numbers, and the same results from both models.
  if (!summary.better_or_equal) await clickControl(page, 'Use the adapted model anyway');
  await waitForModule(page, 'the adapted model in use', (m) => m.model.adapted && m.items['Download adapted model'] && m);
  const pageModel = path.join(dir, 'page.json');
  fs.writeFileSync(pageModel, (await downloadFrom(page, 'Download adapted model')).data);
  fs.writeFileSync(path.join(dir, 'clips.csv'), `${csv.join('\n')}\n`);
  const nativeModel = path.join(dir, 'native.json');
  execFileSync(serProgram(), ['adapt', '--model', testModelFile(), '--labels', path.join(dir, 'clips.csv'),
    '--out', nativeModel, '--force'], { stdio: 'ignore' });
  const [fromPage, fromCli] = [pageModel, nativeModel].map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(Object.keys(fromPage).sort(), Object.keys(fromCli).sort(), 'the page writes the file `ser adapt` writes');
  const { leave_one_out: pageLoo, ...pageRecord } = fromPage.adaptation;
  const { leave_one_out: cliLoo, ...cliRecord } = fromCli.adaptation;
  assert.deepEqual(pageRecord, cliRecord);
  t.diagnostic(`leave-one-out UAR: page ${JSON.stringify(pageLoo)}, ser adapt ${JSON.stringify(cliLoo)}`);
  assert.ok(Math.abs(pageLoo.base_uar - cliLoo.base_uar) < 1e-9 && Math.abs(pageLoo.adapted_uar - cliLoo.adapted_uar) < 1e-9);
  const [p, c] = [pageModel, nativeModel].map((m) => serPredict(m, [UPLOAD_CLIP])[0].probabilities);
  t.diagnostic(`the angry clip's probabilities differ by at most ${largestDifference(p, c).toExponential(2)} between the two models`);
  assert.ok(largestDifference(p, c) <= 1e-4, 'the page adapts as `ser adapt` does');
});
