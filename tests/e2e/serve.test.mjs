// web/serve.mjs, as ./dev serve runs it: loopback only, the MIME types browsers require,
// nothing outside its root, and a message a person can act on when the port is taken.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { serveScript } from './lib/paths.mjs';
import { startServer } from './lib/server.mjs';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-serve-'));
process.on('exit', () => fs.rmSync(base, { recursive: true, force: true }));
const root = path.join(base, 'web');
const files = {
  'index.html': '<!doctype html><title>t</title>',
  'app.js': 'export {};',
  'worklet.mjs': 'export {};',
  'app.wasm': '\0asm\x01\0\0\0',
  'style.css': 'body{}',
  'models/default.json': '{}',
};
for (const [name, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
  fs.writeFileSync(path.join(root, name), text);
}
fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the root');

// The raw path goes on the wire as written (fetch would normalise the dots away first).
function getRaw(url, rawPath) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: rawPath }, (response) => {
      let body = '';
      response.on('data', (d) => { body += d; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    }).on('error', reject);
  });
}

// Runs serve.mjs to completion (for the cases where it must refuse to start).
function runServe(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [serveScript, ...args], { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('serves each file with its MIME type, on 127.0.0.1 only', async (t) => {
  const server = await startServer(root);
  t.after(server.stop);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const expected = {
    '': 'text/html; charset=utf-8',
    'app.js': 'text/javascript; charset=utf-8',
    'worklet.mjs': 'text/javascript; charset=utf-8',
    'app.wasm': 'application/wasm',
    'style.css': 'text/css; charset=utf-8',
    'models/default.json': 'application/json; charset=utf-8',
  };
  for (const [name, type] of Object.entries(expected)) {
    const response = await fetch(server.url + name);
    assert.equal(response.status, 200, name);
    assert.equal(response.headers.get('content-type'), type, name);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy'), /default-src 'none'; script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  }
  assert.equal((await fetch(`${server.url}missing.js`)).status, 404);
  assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
  for (const escape of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/models/../../secret.txt']) {
    const response = await getRaw(server.url, escape);
    assert.notEqual(response.status, 200, escape);
    assert.doesNotMatch(response.body, /outside the root/, escape);
  }
});

test('a taken port, a bad port and a missing build are refused with a clear message', async () => {
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const { port } = blocker.address();
  try {
    const taken = await runServe(['--root', root, '--port', String(port)]);
    assert.equal(taken.code, 1);
    assert.match(taken.output, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(taken.output, /--port/);
    const viaEnv = await runServe(['--root', root], { PORT: String(port) });
    assert.match(viaEnv.output, new RegExp(`port ${port} .* already in use`), 'PORT sets the port');
  } finally {
    blocker.close();
  }
  const bad = await runServe(['--root', root, '--port', 'eighty']);
  assert.equal(bad.code, 2);
  assert.match(bad.output, /--port must be a port number/);
  const unbuilt = await runServe(['--root', path.join(root, 'models'), '--port', '0']);
  assert.equal(unbuilt.code, 1);
  assert.match(unbuilt.output, /holds no index\.html: build the app first/);
});
