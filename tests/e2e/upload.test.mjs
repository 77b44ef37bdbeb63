// Issue 3: uploads reach the wasm module at the file's own sample rate, sample for sample
// (decodeAudioData would resample to its context's rate; the page must not let it), through
// the "Open audio files" button and through drag-and-drop; an undecodable file says so.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, openApp, saveScreenshot, waitForModule } from './lib/app.mjs';
import { tone, wavBytes, writeWav } from './lib/audio.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

// Odd lengths and rates no browser runs at natively, so any resampling or lost chunk shows.
const STEREO = { rate: 22050, frames: 33_113, channels: 2 };
const FLAC = { rate: 16000, frames: 20_001, channels: 1 };
const DROPPED = { rate: 11025, frames: 4_001, channels: 1 };

test('uploaded and dropped files reach the module at their own rate, sample for sample', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-upload-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stereo = writeWav(path.join(dir, 'two tones.wav'), {
    ...STEREO, signal: (f, c) => tone(c === 0 ? 440 : 660, STEREO.rate)(f),
  });
  const flac = path.join(dir, 'tone.flac');
  execFileSync('sox', [writeWav(path.join(dir, 'tone.wav'), { ...FLAC, signal: tone(220, FLAC.rate) }), flac]);
  const broken = path.join(dir, 'broken.mp3');
  fs.writeFileSync(broken, Buffer.from('ID3 this is not audio at all '.repeat(40)));

  const server = await startServer();
  t.after(server.stop);
  const browser = await launchBrowser();
  t.after(browser.close);
  t.after(() => { if (browser.log.length) t.diagnostic(browser.log.join('\n')); });
  const { page } = browser;
  await openApp(page, server.url);

  // The canvas button opens the page's file input, as a click would for a person.
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles([stereo, flac, broken]);
  const afterUpload = await waitForModule(page, 'the three files to be processed',
    (m) => m.clips.length === 3 && m.clips.every((c) => c.state === 'done' || c.state === 'failed') && m);

  const [good, lossless, bad] = afterUpload.clips;
  assert.equal(good.name, 'two tones.wav');
  assert.equal(good.state, 'done', good.message);
  assert.equal(good.rate, STEREO.rate, 'decoded at the file\'s own rate');
  assert.equal(good.expected_samples, STEREO.frames);
  assert.equal(good.samples, STEREO.frames, 'every frame, mixed to mono');

  assert.equal(lossless.state, 'done', lossless.message);
  assert.equal(lossless.rate, FLAC.rate);
  assert.equal(lossless.samples, FLAC.frames);
  // The level meter and waveform follow the clip fed last.
  assert.equal(afterUpload.clip_stream.rate, FLAC.rate);
  assert.equal(afterUpload.clip_stream.samples, FLAC.frames);
  assert.ok(afterUpload.clip_stream.level_dbfs > -20, `level of a 0.5-amplitude tone: ${afterUpload.clip_stream.level_dbfs}`);

  assert.equal(bad.name, 'broken.mp3');
  assert.equal(bad.state, 'failed');
  assert.match(bad.message, /could not be decoded/);
  await saveScreenshot(page, 'upload.png');

  // Drag-and-drop: a file dropped anywhere on the page joins the queue.
  const bytes = wavBytes({ ...DROPPED, signal: tone(300, DROPPED.rate, 0.25) }).toString('base64');
  await page.evaluate((b64) => {
    const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'dropped.wav', { type: 'audio/wav' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.getElementById('canvas').dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, bytes);
  const afterDrop = await waitForModule(page, 'the dropped file to be processed',
    (m) => m.clips.length === 4 && ['done', 'failed'].includes(m.clips[3].state) && m);
  const dropped = afterDrop.clips[3];
  assert.equal(dropped.state, 'done', dropped.message);
  assert.equal(dropped.rate, DROPPED.rate);
  assert.equal(dropped.samples, DROPPED.frames);
  assert.equal(afterDrop.error, '');
});
