// The shipped model (weights/default.json) is what every user meets first: it must load
// and pass its selftest in the CLI, stay within its size budget, and give, on a fixed list of
// real clips, exactly the predictions recorded when it was exported. Any change to decoding,
// resampling, features or inference that alters its outputs fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { skipUnlessPresent } from '../support/shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const ser = process.env.SER_BIN ?? path.join(root, 'build/native/bin/ser');
const data = path.join(process.env.SER_SHARED ?? path.join(root, '../shared'), 'data');
const model = path.join(root, 'weights/default.json');
const recorded = JSON.parse(fs.readFileSync(path.join(root, 'weights/default.predictions.json'), 'utf8'));
const skip = skipUnlessPresent(data, 'the regression clips live there');

test('the shipped model fits its 4 MB budget and records how it was made', () => {
  assert.ok(fs.statSync(model).size <= 4 * 1024 * 1024, `${fs.statSync(model).size} bytes`);
  const m = JSON.parse(fs.readFileSync(model, 'utf8'));
  for (const key of ['config', 'data', 'seed', 'source_revision', 'date', 'command', 'metrics'])
    assert.ok(key in m.training, `training.${key}`);
});

test('the shipped model reproduces its recorded predictions on real clips', { skip }, () => {
  const clips = recorded.map((r) => r.file);
  const r = spawnSync(ser, ['predict', '--model', model, '--format', 'json', ...clips], { cwd: data, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const now = JSON.parse(r.stdout);
  assert.equal(now.length, recorded.length);
  for (let i = 0; i < now.length; ++i) {
    assert.equal(now[i].file, recorded[i].file);
    assert.equal(now[i].label, recorded[i].label, `${now[i].file}: label`);
    for (const [label, p] of Object.entries(recorded[i].probabilities))
      assert.ok(Math.abs(now[i].probabilities[label] - p) <= 1e-5, `${now[i].file} ${label}: ${now[i].probabilities[label]} vs recorded ${p}`);
  }
});
