// Issues 3 and 8: when the microphone is refused, or there is none, the interface says so in
// words, on a canvas that is still drawn (never a blank page), and it keeps following the
// window's size.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clickControl, moduleState, saveScreenshot, waitForModule } from './lib/app.mjs';
import { decodePng, regionStats } from './lib/png.mjs';
import { startPage } from './lib/start-page.mjs';

test('a denied microphone shows a message on a drawn canvas', async (t) => {
  // --deny-permission-prompts: Chromium answers the page's request as a person saying "Block".
  const { page } = await startPage(t, { model: null, open: 'app', microphone: 'deny', viewport: { width: 900, height: 640 } });

  await clickControl(page, 'Start microphone');
  // Items are those of the last frame drawn: wait for a frame drawn after the failure.
  const failed = await waitForModule(page, 'the microphone to fail and the UI to show it',
    (m) => m.mic.state === 'failed' && m.items['Start microphone'] && m);
  t.diagnostic(`message: ${failed.mic.message}`);
  assert.match(failed.mic.message, /denied/);
  assert.match(failed.mic.message, /Start microphone again/, 'the message should say what to do');
  assert.equal(failed.mic.samples, 0);

  const { png } = await saveScreenshot(page, 'microphone-denied.png');
  const screen = regionStats(decodePng(png));
  assert.ok(screen.distinctColours > 30 && screen.nonBackgroundShare > 0.02,
    `the canvas should be drawn: ${JSON.stringify(screen)}`);

  // The canvas follows the window: a new size reaches the module's framebuffer.
  await page.setViewportSize({ width: 700, height: 500 });
  const resized = await waitForModule(page, 'the canvas to follow the new window size',
    (m) => m.display.css[0] === 700 && m.display.css[1] === 500 && m);
  assert.deepEqual(resized.display.framebuffer, [700, 500]);
  assert.equal((await moduleState(page)).mic.state, 'failed');
});

test('a machine without a microphone is told so, with what to do', async (t) => {
  // Permission granted, but no capture device at all (a container has none without the fake one).
  const { page } = await startPage(t, { model: null, open: 'app', microphone: 'allow', inputDevice: false });

  await clickControl(page, 'Start microphone');
  const failed = await waitForModule(page, 'the microphone to fail and the UI to show it',
    (m) => m.mic.state === 'failed' && m.items['Start microphone'] && m);
  t.diagnostic(`message: ${failed.mic.message}`);
  assert.match(failed.mic.message, /No microphone was found/);
  assert.match(failed.mic.message, /Connect one/, 'the message should say what to do');
  assert.equal(failed.mic.samples, 0);
  const { png } = await saveScreenshot(page, 'microphone-missing.png');
  const screen = regionStats(decodePng(png));
  assert.ok(screen.distinctColours > 30, `the canvas should be drawn: ${JSON.stringify(screen)}`);
});
