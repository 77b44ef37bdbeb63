// The model the e2e tests run the app with: SER_TEST_MODEL when set (to try another model),
// else the shipped weights/default.json when there is one (the build serves it as
// models/default.json), else a random-weight model made for the run. Anything but the
// shipped model is served in its place. Parity, error and privacy tests hold for any model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from './paths.mjs';
import { makeModel } from './tools.mjs';

const shipped = path.join(repoRoot, 'weights/default.json');
let made = null;

export function testModelFile() {
  if (process.env.SER_TEST_MODEL) return path.resolve(process.env.SER_TEST_MODEL);
  if (fs.existsSync(shipped)) return shipped;
  if (!made) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-model-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    made = makeModel(path.join(dir, 'default.json'));
  }
  return made;
}

// Makes the browser context get `file` (by default the test model) for models/default.json,
// unless it is the shipped model the server already has. status: answer with that HTTP
// status and no model instead (a server without one).
export async function serveModel(context, { file = testModelFile(), status = 200 } = {}) {
  if (status === 200 && file === shipped) return;
  await context.route('**/models/default.json', (route) => (status === 200
    ? route.fulfill({ path: file, contentType: 'application/json' })
    : route.fulfill({ status, contentType: 'text/plain', body: 'Not found' })));
}

// What the tests need to know of the model: its sample rate and analysis window and hop.
export function testModelInfo() {
  const model = JSON.parse(fs.readFileSync(testModelFile(), 'utf8'));
  return {
    rate: model.feature_config.sample_rate,
    window_s: model.analysis?.window_s ?? 2.0,
    hop_s: model.analysis?.hop_s ?? 0.25,
    edge_s: model.analysis?.edge_s ?? 0,  // silence framing each clip (not the live stream)
    labels: model.labels,
  };
}
