// Issue 8, the model: without a default model the app says so and still shows audio; a
// file that is not a model, and a model failing its selftest, are refused with the reason
// and the app keeps working; a good model file loads, and its card (with the confusion
// matrix heatmap) is drawn.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, saveScreenshot, waitForModule } from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { testModelFile } from './lib/model.mjs';
import { decodePng, regionStats } from './lib/png.mjs';
import { startPage } from './lib/start-page.mjs';

// Chooses `file` in the dialog the "Load model file..." button opens.
async function loadModelFile(page, file) {
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Load model');
  await (await chooser).setFiles(file);
}

test('no default model, a non-model, a failed selftest: each is said; a good model then loads', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-model-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir);
  const { page } = await startPage(t, {
    model: { status: 404 }, open: 'app', microphone: 'allow', fakeAudio: speech, viewport: { width: 1280, height: 1000 },
  });

  // No model: said clearly, and the microphone and uploads still work as far as they can.
  const missing = await waitForModule(page, 'the missing model to be reported', (m) => m.model.status === 'missing' && m);
  assert.match(missing.model.missing, /models\/default\.json was not found on the server \(HTTP 404\)/);
  await clickControl(page, 'Start microphone');
  const hearing = await waitForModule(page, 'audio without a model',
    (m) => m.mic.samples > m.mic.rate && m.spectrogram?.columns > 50 && m);
  assert.equal(hearing.live, null, 'no analysis without a model');
  await clickControl(page, 'Stop microphone');
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles(speech);
  const refused = await waitForModule(page, 'the upload to be refused', (m) => m.clips[0]?.state === 'failed' && m);
  assert.match(refused.clips[0].message, /no model is loaded: load a model file first/);
  await saveScreenshot(page, 'model-missing.png');

  // Not a model at all.
  const notModel = path.join(dir, 'notes.json');
  fs.writeFileSync(notModel, '{"format": "something else"}');
  await loadModelFile(page, notModel);
  const invalid = await waitForModule(page, 'the file to be refused', (m) => m.model.refusal && m);
  t.diagnostic(invalid.model.refusal);
  assert.match(invalid.model.refusal, /^The model file 'notes\.json' was refused: /);
  assert.match(invalid.model.refusal, /not a ser model/);
  assert.equal(invalid.model.status, 'missing');

  // A valid file whose selftest no longer matches: one expected logit changed.
  const good = JSON.parse(fs.readFileSync(testModelFile(), 'utf8'));
  const tampered = structuredClone(good);
  tampered.selftest.pipeline.logits[0] += 0.5;
  const tamperedFile = path.join(dir, 'tampered.json');
  fs.writeFileSync(tamperedFile, JSON.stringify(tampered));
  await loadModelFile(page, tamperedFile);
  const failed = await waitForModule(page, 'the selftest failure to be shown',
    (m) => m.model.refusal.includes('tampered.json') && m);
  t.diagnostic(failed.model.refusal);
  assert.match(failed.model.refusal, /selftest/);
  assert.equal(failed.model.status, 'missing');
  const { png: refusedPng } = await saveScreenshot(page, 'model-refused.png');
  assert.ok(regionStats(decodePng(refusedPng)).distinctColours > 30, 'the canvas is drawn with the message');

  // A good model: loads, and the card shows its confusion matrix as a heatmap.
  const goodFile = path.join(dir, 'good model.json');
  fs.writeFileSync(goodFile, JSON.stringify(good));
  await loadModelFile(page, goodFile);
  const ready = await waitForModule(page, 'the good model to load',
    (m) => m.model.status === 'ready' && m.items['confusion matrix'] && m);
  assert.equal(ready.model.name, 'good model.json');
  assert.equal(ready.model.refusal, '');
  assert.equal(ready.model.labels.length, good.labels.length);
  // The card draws the confusion of the protocol the file records, over that protocol's labels.
  assert.equal(ready.model.card.confusion, (good.training.metrics?.labels ?? good.labels).length);
  const { png } = await saveScreenshot(page, 'model-card.png');
  const heatmap = regionStats(decodePng(png), ready.items['confusion matrix']);
  assert.ok(heatmap.distinctColours > 20 && heatmap.saturatedShare > 0.05,
    `the confusion matrix should be drawn as a heatmap: ${JSON.stringify(heatmap)}`);

  // The worker took it too: the same file now analyses.
  const again = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await again).setFiles(speech);
  const analysed = await waitForModule(page, 'the upload to be analysed with the loaded model',
    (m) => ['done', 'failed'].includes(m.clips[1]?.state) && m, 30_000);
  assert.equal(analysed.clips[1].state, 'done', analysed.clips[1].message);
  assert.equal(analysed.error, '');
});
