// Runs web/serve.mjs exactly as ./dev serve does, on a free port, for one test file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { serveScript, webRoot } from './paths.mjs';

const START_TIMEOUT_MS = 10_000;

export async function startServer(root = webRoot) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`no built app in ${root}: run ./dev build (or point SER_WEB_ROOT at a build's web/ folder)`);
  }
  const child = spawn(process.execPath, [serveScript, '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with code ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}
