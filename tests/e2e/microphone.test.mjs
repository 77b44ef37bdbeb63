// Issue 3: the fake microphone (speech made now with espeak-ng) reaches the wasm module
// through getUserMedia → AudioWorklet → main thread → wasm heap, sample for sample, at the
// AudioContext's rate; the level meter moves; the canvas is drawn, sharp at 2× pixel ratio.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, microphoneState, moduleState, saveScreenshot, waitForModule } from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { decodePng, regionStats } from './lib/png.mjs';
import { startPage } from './lib/start-page.mjs';

const PIXEL_RATIO = 2;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A named control's rectangle in screenshot pixels.
const devicePixels = (item) => ({
  x: item.x * PIXEL_RATIO, y: item.y * PIXEL_RATIO, width: item.width * PIXEL_RATIO, height: item.height * PIXEL_RATIO,
});

test('microphone audio reaches the module sample for sample and moves the level meter', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-mic-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir);
  const { page } = await startPage(t, {
    model: null, open: 'app', microphone: 'allow', fakeAudio: speech, deviceScaleFactor: PIXEL_RATIO,
  });
  const initial = await moduleState(page);
  assert.equal(initial.mic.state, 'off');
  assert.equal(initial.mic.samples, 0);
  assert.deepEqual(initial.display.framebuffer, initial.display.css.map((v) => v * PIXEL_RATIO),
    'the canvas backing store should be its CSS size times devicePixelRatio');

  await clickControl(page, 'Start microphone');
  const running = await waitForModule(page, 'the microphone to deliver 1.5 s of audio',
    (m) => m.mic.state === 'running' && m.mic.samples >= 1.5 * m.mic.rate && m);
  assert.equal(running.mic.rate, (await microphoneState(page)).contextRate,
    'the module should receive audio at the AudioContext\'s rate');

  // Speech rises and falls: the meter must follow it, well above silence. The level is read
  // every 100 ms for 3 s, so that syllables and the gaps between words are both caught
  // whatever the timing (four reads inside one loud stretch once varied by only 2 dB); the
  // drawn meter is checked in four screenshots.
  const levels = [];
  for (let i = 0; i < 30; i += 1) {
    levels.push((await moduleState(page)).mic.level_dbfs);
    await sleep(100);
  }
  const meterFill = [];
  for (let i = 0; i < 4; i += 1) {
    const { png } = await saveScreenshot(page, `microphone-${i}.png`);
    const state = await moduleState(page);
    meterFill.push(regionStats(decodePng(png), devicePixels(state.items['mic level'])).saturatedShare);
    await sleep(250);
  }
  t.diagnostic(`meter levels (dBFS, every 100 ms): ${levels.map((l) => l.toFixed(1)).join(', ')}`);
  t.diagnostic(`meter fill share in screenshots: ${meterFill.map((f) => f.toFixed(3)).join(', ')}`);
  assert.ok(Math.max(...levels) > -40, `the level should show speech, got ${levels}`);
  assert.ok(Math.max(...levels) - Math.min(...levels) > 3, `the level should move with the speech, got ${levels}`);
  assert.ok(Math.max(...meterFill) > 0.2, `the meter should be drawn filled during speech, got ${meterFill}`);
  assert.ok(new Set(meterFill.map((f) => f.toFixed(2))).size > 1, `the drawn meter should move, got ${meterFill}`);

  // The canvas shows the interface: text, controls, waveform; not one flat colour.
  const { png } = await saveScreenshot(page, 'microphone.png');
  const screen = decodePng(png);
  const whole = regionStats(screen);
  assert.ok(whole.distinctColours > 50, `the canvas looks blank: ${whole.distinctColours} colours`);
  assert.ok(whole.nonBackgroundShare > 0.03, `the canvas looks blank: ${whole.nonBackgroundShare} not background`);
  const wave = regionStats(screen, devicePixels(running.items['mic waveform']));
  assert.ok(wave.saturatedShare > 0.02, `the waveform should show the speech, got ${JSON.stringify(wave)}`);

  // Stopping flushes the worklet's last partial block: every frame the microphone gave the
  // worklet was posted, reached the main thread, and reached the module.
  await clickControl(page, 'Stop microphone');
  const stopped = await waitForModule(page, 'the microphone to stop', (m) => m.mic.state === 'off' && m);
  const micPage = await microphoneState(page);
  t.diagnostic(`worklet took ${micPage.workletConsumed} frames, posted ${micPage.workletDelivered} in ${micPage.blocks} ` +
    `blocks at ${micPage.contextRate} Hz; the module received ${stopped.mic.samples}`);
  assert.ok(micPage.workletConsumed > 0);
  assert.equal(micPage.workletDelivered, micPage.workletConsumed, 'the worklet should post every frame it took');
  assert.equal(micPage.receivedFrames, micPage.workletConsumed, 'the main thread should receive every frame');
  assert.equal(stopped.mic.samples, micPage.workletConsumed, 'the module should receive every frame');
  assert.equal(stopped.mic.rate, micPage.contextRate);
  assert.ok(stopped.mic.peak > 0.01, `the module should have seen a nonzero signal, peak ${stopped.mic.peak}`);
  assert.equal(stopped.error, '');
});
