#!/usr/bin/env node
// Serves the built web app (e.g. build/wasm/web) on 127.0.0.1 only, with the MIME types the
// browser insists on (application/wasm for streaming compilation, text/javascript for
// modules and the AudioWorklet). Node's standard library only: no npm install needed.
//
//   node web/serve.mjs --root build/wasm/web [--port 8000]     (PORT=8000 works too)
//
// --port 0 picks a free port; the URL printed on stdout is the one to open.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8000;

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// Everything runs in the tab and no audio may leave it: the page, its workers and its
// worklet may load this server's files and compile WebAssembly ('wasm-unsafe-eval'), and
// nothing else, from nowhere else (no connections out, no remote scripts, frames or forms).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Sent with every response (workers take their policy from their own script's response).
export const RESPONSE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cache-Control': 'no-cache', // a rebuilt app is picked up on reload
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Cross-origin isolation: nothing foreign can share the process, and performance.now() gets
  // the resolution the performance panel's per-hop milliseconds need.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function send(response, status, headers, body) {
  response.writeHead(status, { ...RESPONSE_HEADERS, ...headers });
  response.end(body);
}

// Maps a URL path into root, or null when it would leave root.
function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function handle(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method not allowed\n');
    return;
  }
  const urlPath = new URL(request.url, `http://${HOST}`).pathname;
  let file = resolvePath(root, urlPath);
  if (!file) {
    send(response, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad path\n');
    return;
  }
  fs.stat(file, (statError, stats) => {
    if (!statError && stats.isDirectory()) {
      file = path.join(file, 'index.html');
      stats = fs.existsSync(file) ? fs.statSync(file) : null;
    }
    if (statError || !stats || !stats.isFile()) {
      send(response, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, `Not found: ${urlPath}\n`);
      return;
    }
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, { ...RESPONSE_HEADERS, 'Content-Type': type, 'Content-Length': stats.size });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  });
}

// Resolves with { server, url } once listening; rejects with a message a person can act on.
export function startServer({ root, port = DEFAULT_PORT }) {
  const absoluteRoot = path.resolve(root);
  if (!fs.existsSync(path.join(absoluteRoot, 'index.html'))) {
    return Promise.reject(new Error(
      `${absoluteRoot} holds no index.html: build the app first (./dev build, or ./dev serve which builds and serves)`));
  }
  const server = http.createServer((request, response) => handle(absoluteRoot, request, response));
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${HOST} is already in use (another ./dev serve?). Stop that ` +
          `server or choose another port: ./dev serve --port ${port + 1}`));
      } else if (error.code === 'EACCES') {
        reject(new Error(`no permission to listen on port ${port}: choose a port above 1023 (--port 8000)`));
      } else {
        reject(error);
      }
    });
    server.listen(port, HOST, () => resolve({ server, url: `http://${HOST}:${server.address().port}/` }));
  });
}

function parsePort(text, where) {
  const port = Number(text);
  if (!/^\d+$/.test(String(text)) || port > 65535) {
    throw new Error(`${where} must be a port number from 0 to 65535, not '${text}'`);
  }
  return port;
}

function parseArguments(argv, env) {
  const options = { root: null, port: env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : parsePort(env.PORT, 'PORT') };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--root') options.root = value();
    else if (flag === '--port') options.port = parsePort(value(), '--port');
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown option '${argv[i]}' (use --root DIR and --port N)`);
  }
  if (!options.help && !options.root) throw new Error('--root DIR is required (the built web folder, e.g. build/wasm/web)');
  return options;
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`serve: ${error.message}`);
    process.exit(2);
  }
  if (options.help) {
    console.log('usage: node web/serve.mjs --root DIR [--port N]   (PORT=N also sets the port; 0 picks a free one)');
    return;
  }
  try {
    const { server, url } = await startServer(options);
    console.log(`Serving ${path.resolve(options.root)} at ${url}`);
    console.log('Open that URL in a browser; press Ctrl+C to stop.');
    const stop = () => {
      server.close(() => process.exit(0));
      server.closeAllConnections(); // keep-alive connections would otherwise hold it open
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    console.error(`serve: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
