// Issue 8, privacy and size: using the app (microphone, an upload, a download) fetches
// nothing but the app's own files and the model; the Content-Security-Policy allows the
// wasm and blocks any other destination, even one on this machine; and the app's wasm + JS
// stays within 1 MB gzipped (the model excluded).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

import { clickControl, downloadFrom, openApp, waitForModule } from './lib/app.mjs';
import { makeSpeechWav } from './lib/audio.mjs';
import { webRoot } from './lib/paths.mjs';
import { startPage } from './lib/start-page.mjs';

const BUDGET_BYTES = 1_000_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every file of the built app (paths relative to its root, '/'-separated).
function builtFiles(root, prefix = '') {
  return fs.readdirSync(path.join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? builtFiles(root, name) : [name];
  });
}

test('using the app fetches only its own files and the model; the CSP blocks everything else', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-privacy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const speech = makeSpeechWav(dir);
  // A server on this machine that the page must never reach: it counts every attempt.
  let outsideHits = 0;
  const outside = http.createServer((request, response) => {
    outsideHits += 1;
    response.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
    response.end('leaked');
  });
  await new Promise((resolve) => outside.listen(0, '127.0.0.1', resolve));
  t.after(() => outside.close());
  const outsideUrl = `http://127.0.0.1:${outside.address().port}/upload`;

  const { server, page, context } = await startPage(t, { open: null, microphone: 'allow', fakeAudio: speech });
  const requests = [];
  context.on('request', (request) => requests.push({ url: request.url(), method: request.method() }));
  const response = await page.goto(server.url);
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(policy, /connect-src 'self'/);
  await page.waitForFunction(() => window.serDiagnostics?.ready, null, { timeout: 20_000 });
  await openApp(page, server.url); // a reload: the second load must fetch the same files only
  await waitForModule(page, 'the model to load', (m) => m.model.status === 'ready' && m);

  // Use everything: the microphone, an upload, a download.
  await clickControl(page, 'Start microphone');
  await waitForModule(page, 'live results', (m) => m.live?.results > 2 && m, 10_000);
  await clickControl(page, 'Stop microphone');
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await clickControl(page, 'Open audio files');
  await (await chooser).setFiles(speech);
  await waitForModule(page, 'the upload to be analysed', (m) => m.clips[0]?.state === 'done' && m.items['Download JSON'] && m, 30_000);
  await downloadFrom(page, 'Download JSON');

  // The policy in force: a request elsewhere is refused before it leaves the page.
  const blocked = await page.evaluate(async (url) => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    let fetched = 'sent';
    try {
      await fetch(url, { method: 'POST', body: 'audio', mode: 'no-cors' });
    } catch (error) {
      fetched = error.name;
    }
    const image = new Image();
    image.src = url.replace('/upload', '/pixel.png');
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { fetched, violations };
  }, outsideUrl);
  await sleep(200);
  t.diagnostic(`blocked: fetch ${blocked.fetched}, violations ${blocked.violations.join(', ')}`);
  assert.equal(blocked.fetched, 'TypeError', 'the fetch is refused');
  assert.ok(blocked.violations.includes('connect-src') && blocked.violations.includes('img-src'));
  assert.equal(outsideHits, 0, 'nothing reached the other server');

  const allowed = new Set(['', ...builtFiles(webRoot)]);
  const origin = new URL(server.url).origin;
  const appRequests = requests.filter((r) => !r.url.startsWith(outsideUrl.replace('/upload', '')));
  const fetched = new Set();
  for (const { url, method } of appRequests) {
    if (url.startsWith('blob:')) continue; // the download, made in the page
    const parsed = new URL(url);
    assert.equal(parsed.origin, origin, `a request left the app's origin: ${url}`);
    assert.equal(method, 'GET', `${method} ${url}`);
    const file = decodeURIComponent(parsed.pathname.slice(1));
    assert.ok(allowed.has(file) || file === 'models/default.json', `an unexpected request: ${url}`);
    fetched.add(file);
  }
  t.diagnostic(`fetched: ${[...fetched].sort().join(', ')}`);
  // (The AudioWorklet's module is fetched too, but Chromium reports worklet requests to no one;
  // the policy covers it as it covers every script.)
  for (const needed of ['', 'ser_app.wasm', 'ser_worker.wasm', 'clip-worker.js', 'models/default.json']) {
    assert.ok(fetched.has(needed), `the recording should include ${needed || 'the page'}: the test would see requests`);
  }
});

test('the app\'s wasm and JavaScript fit in 1 MB gzipped (the model excluded)', (t) => {
  const files = builtFiles(webRoot).filter((f) => /\.(wasm|js|mjs)$/.test(f) && !f.startsWith('models/'));
  let total = 0;
  const sizes = files.map((f) => {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(webRoot, f)), { level: 9 }).length;
    total += gz;
    return `${f} ${(gz / 1024).toFixed(1)} KB`;
  });
  t.diagnostic(`gzipped: ${sizes.join(', ')}; total ${(total / 1024).toFixed(1)} KB of ${BUDGET_BYTES / 1000} KB`);
  assert.ok(files.includes('ser_app.wasm') && files.includes('ser_worker.wasm'));
  assert.ok(total <= BUDGET_BYTES, `the app's wasm + JS is ${total} bytes gzipped`);
});
