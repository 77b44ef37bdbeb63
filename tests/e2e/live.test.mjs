// Issue 8, the microphone: the fake microphone plays RAVDESS clips with pauses between them;
// the module resamples in C++, gates silence, and classifies every hop. Checked here:
// - parity: the live timeline's labels equal `ser predict --timeline` on the audio the module
//   received (saved with the UI's "Save recording (WAV)") in >= 90 % of the speech windows
//   whose ends line up;
// - the state shows speech and silence, and the activity threshold setting gates it;
// - performance measured in the page and reported beside the budgets (first result
//   <= 1.5 s after the microphone starts, features + inference <= 2 ms per hop, 60 FPS), never
//   asserted as absolute times on a shared machine; what is asserted is a ratio: the
//   microphone's whole processing stays a small share of the audio's duration;
// - the panels are drawn: probability bars, timeline, spectrogram.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, downloadFrom, moduleState, saveScreenshot, waitForModule } from './lib/app.mjs';
import { sharedDir } from './lib/paths.mjs';
import { testModelFile } from './lib/model.mjs';
import { decodePng, regionStats } from './lib/png.mjs';
import { startPage } from './lib/start-page.mjs';
import { serPredict } from './lib/tools.mjs';
import { skipUnlessPresent } from '../support/shared.mjs';

const ACTOR = path.join(sharedDir, 'data/ravdess/Actor_02');
// Angry, happy, sad and calm sentences of one actor, each followed by a pause.
const CLIPS = ['03-01-05-02-01-01-02.flac', '03-01-03-02-02-01-02.flac', '03-01-04-01-01-02-02.flac', '03-01-02-01-02-01-02.flac'];
const LISTEN_SECONDS = 12;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The known clip the fake microphone plays (and loops): 48 kHz 16-bit mono, as Chromium reads it.
function makeMicrophoneClip(dir) {
  const out = path.join(dir, 'microphone.wav');
  // Each clip at 48 kHz, then 1.2 s of silence after it.
  const pieces = CLIPS.map((clip, i) => {
    const piece = path.join(dir, `piece-${i}.wav`);
    execFileSync('sox', [path.join(ACTOR, clip), '-r', '48000', '-c', '1', '-b', '16', piece, 'pad', '0', '1.2']);
    return piece;
  });
  execFileSync('sox', [...pieces, out]);
  return out;
}

test('the live microphone equals `ser predict --timeline` on the same audio, fast enough', async (t) => {
  const missing = skipUnlessPresent(ACTOR, `the corpora are not at ${sharedDir}`);
  if (missing) {
    t.skip(missing);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-live-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const clip = makeMicrophoneClip(dir);
  const { page } = await startPage(t, { microphone: 'allow', fakeAudio: clip, viewport: { width: 1280, height: 960 } });
  const idle = await moduleState(page);

  const clicked = Date.now();
  await clickControl(page, 'Start microphone');
  const first = await waitForModule(page, 'the first live result', (m) => m.live?.results > 0 && m, 5_000);
  t.diagnostic(`first live result ${first.live.first_result_ms.toFixed(0)} ms after the microphone started ` +
    `(about ${Date.now() - clicked} ms after the click, permission and worklet set-up included, polled)`);
  t.diagnostic(`budget 1500 ms: ${first.live.first_result_ms <= 1500 ? 'within' : 'OVER'}`);

  // After a while of listening: the state, the bars, the timeline and the spectrogram are drawn.
  await sleep((LISTEN_SECONDS - 1) * 1000);
  const during = await moduleState(page);
  const { png } = await saveScreenshot(page, 'live.png');
  const screen = decodePng(png);
  const region = (name) => regionStats(screen, during.items[name]);
  const spectrogram = region('spectrogram');
  assert.ok(spectrogram.distinctColours > 40, `the spectrogram should show the speech: ${JSON.stringify(spectrogram)}`);
  assert.ok(region('probability bars').saturatedShare > 0.01, 'the probability bars should be filled in their colours');
  assert.ok(region('live timeline').saturatedShare > 0.002, 'the timeline should draw the probabilities');
  assert.ok(during.items['live state'], 'the state is shown');

  const timeline = await page.evaluate(() => window.serDiagnostics.liveTimeline());
  const { cost } = during.live;
  t.diagnostic(`features + inference per hop: median ${cost.median_ms.toFixed(2)} ms, p95 ${cost.p95_ms.toFixed(2)} ms, ` +
    `max ${cost.max_ms.toFixed(2)} ms over ${cost.speech_hops} hops with speech (means: ${cost.feature_ms.toFixed(2)} ms ` +
    `features + ${cost.inference_ms.toFixed(2)} ms inference); live real-time factor ${cost.real_time_factor.toFixed(4)}`);
  t.diagnostic(`frame rate: ${idle.fps.toFixed(1)} FPS idle, ${during.fps.toFixed(1)} FPS with the microphone ` +
    `(longest frame ${during.longest_frame_ms.toFixed(0)} ms)`);
  // The median of the hops with speech (the others skip the network), against the budget.
  assert.ok(cost.speech_hops >= 10, `only ${cost.speech_hops} hops with speech`);
  t.diagnostic(`budget 2 ms per hop: median ${cost.median_ms <= 2 ? 'within' : 'OVER'}`);
  // The frame rate itself is only reported: headless Chromium draws WebGL in software here, on
  // two cores shared with other work, so its FPS says little about a real browser's. What the
  // microphone costs the page's thread is measured instead: all of its processing (resampling,
  // voice activity, features, inference) per second of audio. Under 5 % it cannot take a
  // 60 FPS page below 57 FPS.
  // Its cost in wall time depends on the machine and its load, so it is reported against
  // the 5 % budget, not asserted; what is asserted is that the analysis keeps up with the
  // stream: a result for (nearly) every hop of audio received so far.
  t.diagnostic(`budget 5 % of the page's thread: the microphone takes ${(100 * cost.real_time_factor).toFixed(1)} % ` +
    `(${cost.real_time_factor <= 0.05 ? 'within' : 'OVER'})`);
  assert.ok(during.frames > idle.frames + 10 && during.fps > 0, 'frames keep being drawn');
  const { stream_s: streamed, window_s: liveWindow, hop_s: liveHop } = during.live;
  const hopsStreamed = Math.floor((streamed - liveWindow) / liveHop) + 1;
  t.diagnostic(`${during.live.results} live results for ${hopsStreamed} hops of ${streamed.toFixed(1)} s streamed`);
  assert.ok(hopsStreamed >= 10, `only ${streamed} s of audio reached the module in ${LISTEN_SECONDS} s`);
  assert.ok(during.live.results >= 0.9 * hopsStreamed,
    `the live analysis falls behind: ${during.live.results} results for ${hopsStreamed} hops of audio`);

  // Silence between the clips is shown as such: some hops are speech, some are not.
  const speech = timeline.points.filter((p) => p.speech).length;
  t.diagnostic(`${timeline.points.length} hops: ${speech} speech, ${timeline.points.length - speech} without`);
  assert.ok(speech >= 10 && timeline.points.length - speech >= 3, 'both speech and pauses');

  // The threshold setting gates speech: at its top (0 dBFS) nothing counts as speech.
  await clickControl(page, 'threshold slider', { at: 0.999 });
  const gated = await waitForModule(page, 'the threshold to apply',
    (m) => m.controls.threshold_dbfs === 0 && m.live.results >= during.live.results + 3 && m, 5_000);
  assert.equal(gated.live.state, 'silence');
  await clickControl(page, 'Reset settings');
  await waitForModule(page, 'the settings to return to the defaults', (m) => m.controls.threshold_dbfs === -50 && m);

  await clickControl(page, 'Stop microphone');
  await waitForModule(page, 'the microphone to stop', (m) => m.mic.state === 'off' && m);
  const all = await page.evaluate(() => window.serDiagnostics.liveTimeline());

  // Parity: the CLI on exactly the audio the module received.
  const recording = await downloadFrom(page, 'Save recording', { binary: true });
  assert.match(recording.name, /^ser-microphone-.*\.wav$/);
  const wav = path.join(dir, 'received.wav');
  fs.writeFileSync(wav, recording.data);
  const [reference] = serPredict(testModelFile(), [wav], { timeline: true });
  const byEnd = new Map(reference.timeline.map((w) => [w.end_s.toFixed(6), w]));
  const top = (p) => Object.entries(p).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  let lined = 0;
  let agree = 0;
  let difference = 0;
  for (const point of all.points) {
    const window = byEnd.get(point.end_s.toFixed(6));
    // Only full windows line up with the CLI's; both must hear speech there.
    if (!window || Math.abs(window.end_s - window.start_s - all.window_s) > 1e-6) continue;
    if (!point.speech || !window.speech) continue;
    lined += 1;
    if (point.label === top(window.probabilities)) agree += 1;
    for (const [label, p] of Object.entries(window.probabilities)) {
      difference = Math.max(difference, Math.abs(p - point.probabilities[label]));
    }
  }
  const share = agree / lined;
  t.diagnostic(`live vs ser predict --timeline: ${agree} of ${lined} speech windows agree (${(100 * share).toFixed(1)} %); ` +
    `largest probability difference ${difference.toExponential(2)}`);
  assert.ok(lined >= 10, `too few windows to compare: ${lined}`);
  assert.ok(share >= 0.9, `only ${(100 * share).toFixed(1)} % of the windows agree`);
  // The module resampled the very audio the CLI reads, with the same code: the numbers agree too.
  assert.ok(difference <= 1e-4, `live probabilities differ from the CLI's by ${difference}`);
});
