// Issue 16, the upload pool: several uploaded clips are analysed at once, one per upload
// worker, and a long clip is split into shares across the workers and merged; every report
// equals a single worker's exactly (its JSON but for the analysis time, and its CSV). Run with
// the page's own pool (one worker per core, capped), with ?upload-workers=1 and with three
// workers (more shares than this machine's cores: still the same numbers).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clickControl, clipReport, openApp, untimedReport, waitForModule } from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { startPage } from './lib/start-page.mjs';

// 9.6 MB of 16 kHz 16-bit WAV: above the 8 MB from which the page splits a clip (web/clips.js).
const LONG_MINUTES = 5;
const ANALYSIS_TIMEOUT_MS = 5 * 60_000;

// Uploads `files` at once in a fresh page at `url`; returns each clip's downloads, the pool's
// figures and the long clip's analysis time.
async function analyseAll(browser, url, files) {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => browser.log.push(`pageerror (${url}): ${error.message}`));
  try {
    await openApp(page, url);
    await waitForModule(page, 'the model to load', (m) => m.model.status === 'ready' && m);
    const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
    await clickControl(page, 'Open audio files');
    await (await chooser).setFiles(files);
    const done = await waitForModule(page, 'every clip to be analysed',
      (m) => m.clips.length === files.length && m.clips.every((c) => !['queued', 'analysing'].includes(c.state)) && m,
      ANALYSIS_TIMEOUT_MS);
    done.clips.forEach((c) => assert.equal(c.state, 'done', `${c.name}: ${c.message}`));
    const reports = await Promise.all(done.clips.map((c) => clipReport(page, c.id)));
    const pool = await page.evaluate(() => window.serDiagnostics.uploadPool());
    return { reports, pool, clips: done.clips, error: done.error };
  } finally {
    await page.close();
  }
}

test('a pool of upload workers analyses clips at once and splits a long one, with one worker\'s results', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-pool-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir, 16000);
  const sox = (args, name, effects = []) => {
    const out = path.join(dir, name);
    execFileSync('sox', [...args, out, ...effects]);
    return out;
  };
  const seconds = Number(execFileSync('soxi', ['-D', speech], { encoding: 'utf8' }));
  const long = sox([speech], 'long.wav', ['repeat', String(Math.ceil((LONG_MINUTES * 60) / seconds) - 1)]);
  // Short clips before and after the long one, at other rates, so the workers resample.
  const files = [
    sox([speech, '-r', '44100'], 'speech 44k.wav'),
    sox([speech, '-r', '22050', '-c', '2'], 'speech 22k stereo.wav', ['remix', '1', '1v0.5']),
    long,
    sox([speech], 'speech.flac'),
    sox([speech, '-r', '8000'], 'speech 8k.wav', ['trim', '0', '1.5']),
  ];

  const { server, browser } = await startPage(t, { open: null });

  const one = await analyseAll(browser, `${server.url}?upload-workers=1`, files);
  const pool = await analyseAll(browser, server.url, files);
  const three = await analyseAll(browser, `${server.url}?upload-workers=3`, files);
  assert.deepEqual(one.pool, { workers: 1, split: 0, mostAtOnce: 1 });
  assert.equal(three.pool.workers, 3);
  for (const run of [pool, three]) {
    assert.equal(run.error, '');
    if (run.pool.workers === 1) continue; // a one-core machine: the page's own pool is one worker
    assert.equal(run.pool.split, 1, 'the long clip was split');
    assert.ok(run.pool.mostAtOnce >= 2, `clips were analysed at once: ${JSON.stringify(run.pool)}`);
  }
  files.forEach((file, i) => {
    const name = path.basename(file);
    for (const [label, run] of [['the page\'s pool', pool], ['three workers', three]]) {
      assert.equal(run.reports[i].csv, one.reports[i].csv, `${name}: ${label}'s CSV is one worker's`);
      assert.deepEqual(untimedReport(run.reports[i].json), untimedReport(one.reports[i].json), `${name}: ${label}'s JSON is one worker's`);
    }
  });
  const longIndex = files.indexOf(long);
  const time = (run) => run.clips[longIndex].analysis_ms / 1000;
  t.diagnostic(`${LONG_MINUTES}-minute clip (${one.clips[longIndex].windows} windows): one worker ${time(one).toFixed(1)} s, ` +
    `the page's pool of ${pool.pool.workers} ${time(pool).toFixed(1)} s (${(time(one) / time(pool)).toFixed(2)}x), ` +
    `three workers ${time(three).toFixed(1)} s, on ${os.cpus().length} cores; every report identical to one worker's`);
});
