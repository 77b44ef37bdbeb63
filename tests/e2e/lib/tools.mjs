// The native programs the e2e tests compare with or make test data with: the `ser` CLI and
// tests/tools' ser_test_tool, from a native build (./dev build makes build/native;
// SER_NATIVE_BIN points elsewhere, e.g. build/app-native/bin).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { repoRoot } from './paths.mjs';

export const nativeBin = path.resolve(process.env.SER_NATIVE_BIN ?? path.join(repoRoot, 'build/native/bin'));

function program(name) {
  const file = path.join(nativeBin, name);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: build the native tree first (./dev build), or point SER_NATIVE_BIN at its bin/`);
  }
  return file;
}

// A model with random weights (RAVDESS labels, default features) and a made-up training record.
export function makeModel(file, seed = 1) {
  execFileSync(program('ser_test_tool'), ['model', file, String(seed)]);
  return file;
}

// Audio converted by libsndfile; the output's extension picks the format (.mp3, .opus, ...).
export function convertAudio(input, output) {
  execFileSync(program('ser_test_tool'), ['convert', input, output]);
  return output;
}

// `ser predict --format json [--timeline]`: one entry per file.
export function serPredict(model, files, { timeline = false } = {}) {
  const args = ['predict', '--model', model, '--format', 'json', ...(timeline ? ['--timeline'] : []), ...files];
  return JSON.parse(execFileSync(program('ser'), args, { encoding: 'utf8', maxBuffer: 256 << 20 }));
}
