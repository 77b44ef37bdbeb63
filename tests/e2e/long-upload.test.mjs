// Issue 8, long uploads: a 30-minute recording is decoded and analysed in the upload workers
// a slice at a time. Cancel stops it at once and the workers take the next file; a full run
// ends with every window, while the page keeps drawing (no long stall on its thread), the
// progress bar advances and each worker's memory stays about one slice and one window.
// Issue 16: the page's pool of workers splits the half hour between them; one worker
// (?upload-workers=1) gives the same reports exactly, and the time of both is reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  clickControl, clipReport, moduleState, openApp, saveScreenshot, untimedReport, waitForModule,
} from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { testModelInfo } from './lib/model.mjs';
import { startPage } from './lib/start-page.mjs';

const MINUTES = 30;
// The worker's wasm memory: the model, one window of audio, the timeline, scratch. A worker
// that held the file (57.6 MB of 16-bit samples, 115 MB as floats) would be far above.
const WORKER_MEMORY_LIMIT_MB = 48;
// Budgets, reported rather than asserted (wall times depend on the machine and its load):
// no frame on the page's thread longer than this while the worker runs, and the whole half
// hour analysed within two minutes.
const LONGEST_FRAME_BUDGET_MS = 400;
const ANALYSIS_BUDGET_S = 120;
// Only a true hang fails on time: the worker analyses far faster than real time.
const HANG_GUARD_MS = 15 * 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a 30-minute recording is analysed without freezing the page or filling memory, and cancels', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-long-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir, 16000);
  const long = path.join(dir, 'lecture.wav');
  const seconds = Number(execFileSync('soxi', ['-D', speech], { encoding: 'utf8' }));
  execFileSync('sox', [speech, long, 'repeat', String(Math.ceil((MINUTES * 60) / seconds) - 1)]);
  const duration = Number(execFileSync('soxi', ['-D', long], { encoding: 'utf8' }));
  assert.ok(duration >= MINUTES * 60, `${duration} s`);

  const { server, page, context } = await startPage(t);
  await sleep(1000);
  const idle = await moduleState(page);

  // The first run is cancelled part way: it stops at once and the worker stays usable.
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles(long);
  const started = await waitForModule(page, 'the analysis to start',
    (m) => m.clips[0]?.state === 'analysing' && m.clips[0].fraction > 0 && m.items['Cancel analysis'] && m, 15_000);
  assert.ok(Math.abs(started.clips[0].duration_s - duration) < 1e-3, 'the length comes from the header');
  await sleep(1500);
  await clickControl(page, 'Cancel analysis');
  const cancelled = await waitForModule(page, 'the cancel', (m) => m.clips[0].state === 'cancelled' && m, 3_000);
  const stoppedAt = cancelled.clips[0].done_s;
  assert.ok(stoppedAt > 0 && stoppedAt < duration, `cancelled part way, at ${stoppedAt} s`);
  await sleep(1000);
  assert.equal((await moduleState(page)).clips[0].done_s, stoppedAt, 'no progress after the cancel');

  // The second run goes to the end, watched all along: progress, frames, the worker's memory.
  const again = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await again).setFiles(long);
  const samples = [];
  let last;
  const deadline = Date.now() + HANG_GUARD_MS;
  for (;;) {
    last = await moduleState(page);
    const clip = last.clips[1];
    if (clip?.state === 'analysing') {
      samples.push({ at: Date.now(), fraction: clip.fraction, done: clip.done_s, heap: clip.worker_heap_mb,
        fps: last.fps, longest: last.longest_frame_ms, frames: last.frames, bar: Boolean(last.items['clip progress']) });
    }
    if (clip && clip.state !== 'queued' && clip.state !== 'analysing') break;
    assert.ok(Date.now() < deadline, `no end after ${HANG_GUARD_MS / 60_000} minutes: the analysis hangs`);
    await sleep(300);
  }
  await saveScreenshot(page, 'long-upload.png');
  const clip = last.clips[1];
  assert.equal(clip.state, 'done', clip.message);
  const { rate: modelRate, window_s: window, hop_s: hop, edge_s: edge } = testModelInfo();
  assert.ok(Math.abs(clip.seconds - duration) < 1 / modelRate, `${clip.seconds} s analysed`);
  // Windows start every round(hop * rate) samples while a whole window fits in the clip
  // framed by the model's edges.
  const samplesOf = (s) => Math.round(s * modelRate);
  const framed = samplesOf(clip.seconds) + 2 * samplesOf(edge);
  assert.equal(clip.windows, Math.floor((framed - samplesOf(window)) / samplesOf(hop)) + 1, 'every window of the half hour');
  assert.ok(samples.length >= 4, `watched only ${samples.length} times: the run was too short to judge`);
  const rate = clip.seconds / (clip.analysis_ms / 1000);
  const longest = Math.max(...samples.map((s) => s.longest));
  const heap = Math.max(...samples.map((s) => s.heap));
  t.diagnostic(`analysed ${(clip.seconds / 60).toFixed(1)} min in ${(clip.analysis_ms / 1000).toFixed(1)} s ` +
    `(real-time factor ${(1 / rate).toFixed(4)})`);
  const fps = samples.map((s) => s.fps).sort((a, b) => a - b);
  t.diagnostic(`page: ${idle.fps.toFixed(1)} FPS idle; while analysing ${fps[0].toFixed(1)} min, ` +
    `${fps[Math.floor(fps.length / 2)].toFixed(1)} median FPS, longest frame ${longest.toFixed(0)} ms; ` +
    `worker memory up to ${heap.toFixed(0)} MB`);
  assert.ok(samples.every((s, i) => i === 0 || s.fraction >= samples[i - 1].fraction), 'the progress never goes back');
  assert.ok(samples.some((s) => s.bar), 'the progress bar is shown');
  t.diagnostic(`budgets: longest frame ${longest.toFixed(0)} ms of ${LONGEST_FRAME_BUDGET_MS} ms ` +
    `(${longest <= LONGEST_FRAME_BUDGET_MS ? 'within' : 'OVER'}); analysis ${(clip.analysis_ms / 1000).toFixed(1)} s ` +
    `of ${ANALYSIS_BUDGET_S} s (${clip.analysis_ms / 1000 <= ANALYSIS_BUDGET_S ? 'within' : 'OVER'})`);
  // The page stays responsive while the worker runs: it draws something within every two
  // looks at it (about a second), from the first look to the last, instead of freezing.
  const frozen = samples.filter((s, i) => i > 1 && s.frames <= samples[i - 2].frames).length;
  assert.equal(frozen, 0, `the page drew nothing across ${frozen} pairs of looks while the worker ran`);
  assert.ok(samples[samples.length - 1].frames - samples[0].frames >= 10, 'the page keeps drawing');
  assert.ok(heap <= WORKER_MEMORY_LIMIT_MB, `the worker's memory grew to ${heap} MB`);
  assert.equal(last.error, '');

  // The same half hour with one upload worker, as the page analysed it before the pool.
  const pool = await page.evaluate(() => window.serDiagnostics.uploadPool());
  const pooled = await clipReport(page, clip.id);
  const single = await context.newPage();
  await openApp(single, `${server.url}?upload-workers=1`);
  await waitForModule(single, 'the model to load (one worker)', (m) => m.model.status === 'ready' && m);
  const third = single.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(single, 'Open audio files');
  await (await third).setFiles(long);
  let alone;
  for (;;) {
    alone = (await moduleState(single)).clips[0];
    if (alone && alone.state !== 'queued' && alone.state !== 'analysing') break;
    assert.ok(Date.now() < deadline + HANG_GUARD_MS, 'one worker never ends the half hour: the analysis hangs');
    await sleep(1000);
  }
  assert.equal(alone.state, 'done', alone.message);
  const report = await clipReport(single, alone.id);
  assert.equal(pooled.csv, report.csv, 'the pool\'s CSV is one worker\'s');
  assert.deepEqual(untimedReport(pooled.json), untimedReport(report.json), 'the pool\'s JSON is one worker\'s');
  t.diagnostic(`30-minute upload: one worker ${(alone.analysis_ms / 1000).toFixed(1)} s, the page's pool of ` +
    `${pool.workers} workers ${(clip.analysis_ms / 1000).toFixed(1)} s (${(alone.analysis_ms / clip.analysis_ms).toFixed(2)}x` +
    `${pool.split ? ', split into shares' : ''}), on ${os.cpus().length} cores; the same reports`);
});
