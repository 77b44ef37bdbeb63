// ser predict as batch pipelines run it: folders, manifests, the streaming formats, failed
// files as records, order, shards, resume, flat memory over a long manifest, and the shard
// recipes of docs/BATCH.md (GNU parallel, the Slurm array script) against one unsharded run.
// Generated WAVs, plus a few real clips when ../shared is there.
//
//   node --test tests/cli/batch.test.mjs   (SER_BIN=build/native/bin/ser, SER_SHARED=../shared)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const ser = process.env.SER_BIN ?? path.join(root, 'build/native/bin/ser');
const shared = process.env.SER_SHARED ?? path.join(root, '../shared');
const model = path.join(root, 'weights/default.json');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-batch-'));

function run(args, options = {}) {
  const r = spawnSync(ser, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const predict = (args, options) => run(['predict', '--model', model, ...args], options);
const jsonl = (text) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
const byFile = (records) => Object.fromEntries(records.map((r) => [r.file, r]));

// 16-bit mono WAV: a voiced-like tone with a seeded pitch glide and noise, `seconds` long.
function writeWav(file, seconds, seed) {
  const rate = 16000, n = Math.round(seconds * rate);
  const data = Buffer.alloc(44 + 2 * n);
  data.write('RIFF', 0); data.writeUInt32LE(36 + 2 * n, 4); data.write('WAVEfmt ', 8);
  data.writeUInt32LE(16, 16); data.writeUInt16LE(1, 20); data.writeUInt16LE(1, 22);
  data.writeUInt32LE(rate, 24); data.writeUInt32LE(2 * rate, 28); data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34); data.write('data', 36); data.writeUInt32LE(2 * n, 40);
  let state = seed * 2654435761 >>> 0, phase = 0;
  for (let i = 0; i < n; ++i) {
    state = (state * 1664525 + 1013904223) >>> 0;
    phase += 2 * Math.PI * (120 + 40 * seed + 60 * i / n) / rate;
    const v = 0.3 * Math.sin(phase) + 0.1 * Math.sin(3 * phase) + 0.02 * (state / 2 ** 32 - 0.5);
    data.writeInt16LE(Math.round(v * 32767), 44 + 2 * i);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

// A folder of clips: generated ones in nested folders, a few real ones when present.
const clips = path.join(work, 'clips');
const generated = [];
for (let i = 0; i < 8; ++i) {
  const file = path.join(clips, `speaker${i % 3}`, i % 2 ? `take ${i}.wav` : `sub/clip,${i}.WAV`);
  writeWav(file, 1.5 + 0.4 * i, i + 1);
  generated.push(file);
}
fs.writeFileSync(path.join(clips, 'notes.txt'), 'not audio');
const ravdess = path.join(shared, 'data/ravdess/Actor_01');
const real = fs.existsSync(ravdess) ? fs.readdirSync(ravdess).sort().slice(0, 4).map((f) => path.join(ravdess, f)) : [];
if (!real.length) console.log(`note: ${ravdess} is absent: generated clips only`);
const everything = [...generated, ...real];
const manifest = path.join(work, 'all.txt');
fs.writeFileSync(manifest, everything.join('\n') + '\n');

test('a folder is walked for audio files, --ext narrows it, and every format gives the same numbers', () => {
  const r = predict([clips, '--format', 'jsonl', '--jobs', '2']);
  assert.equal(r.code, 0, r.stderr);
  const records = jsonl(r.stdout);
  assert.deepEqual(records.map((x) => x.file).sort(), [...generated].sort());
  for (const x of records) {
    assert.ok(x.label in x.probabilities);
    assert.ok(Math.abs(Object.values(x.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.ok(x.duration_s > 1.4 && !('timeline' in x));
  }
  const wavOnly = jsonl(predict([clips, '--format', 'jsonl', '--ext', '.WAV']).stdout);
  assert.equal(wavOnly.length, generated.length);
  assert.equal(jsonl(predict([clips, '--format', 'jsonl', '--ext', 'flac']).stdout).length, 0);

  const json = JSON.parse(predict(['--manifest', manifest, '--format', 'json']).stdout);
  assert.deepEqual(json.map((x) => x.file), everything, 'json keeps the input order');
  const csv = predict(['--manifest', manifest, '--format', 'csv']).stdout.trim().split('\r\n');
  const labels = Object.keys(json[0].probabilities);
  const header = csv[0].split(',');
  assert.deepEqual(header.slice(0, 6), ['file', 'scope', 'start_s', 'end_s', 'speech', 'label']);
  assert.equal(header.at(-1), 'error');
  assert.deepEqual([...header.slice(6, -1)].sort(), [...labels].sort());
  assert.equal(csv.length, 1 + everything.length);
  const one = byFile(json)[real[0] ?? generated[1]];
  const row = csv.find((line) => line.startsWith(`${one.file},`)).split(',');
  header.slice(6, -1).forEach((label, k) => assert.ok(Math.abs(Number(row[6 + k]) - one.probabilities[label]) < 1e-8));
});

test('--timeline adds the windows to each JSON line and CSV rows per window', () => {
  const file = generated[7];
  const [x] = jsonl(predict([file, '--format', 'jsonl', '--timeline']).stdout);
  assert.ok(x.timeline.length >= 2);
  for (const w of x.timeline) assert.ok(w.end_s > w.start_s && typeof w.speech === 'boolean');
  const rows = predict([file, '--format', 'csv', '--timeline']).stdout.trim().split('\r\n');
  assert.equal(rows.filter((line) => line.includes(',window,')).length, x.timeline.length);
});

test('a file that cannot be read is a record with an error, the others go on, and the exit status counts them', () => {
  const broken = path.join(work, 'broken.wav');
  fs.writeFileSync(broken, Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt garbage'));
  const missing = path.join(work, 'missing.wav');
  let r = predict([generated[0], broken, generated[1], '--format', 'jsonl', '--ordered', '--jobs', '2']);
  assert.equal(r.code, 2, 'one failure: status 2');
  let records = jsonl(r.stdout);
  assert.deepEqual(records.map((x) => x.file), [generated[0], broken, generated[1]]);
  assert.match(records[1].error, /broken\.wav/);
  assert.ok(!('label' in records[1]));
  assert.match(r.stderr, /1 of 3 files failed/);
  r = predict([broken, missing, generated[2], '--format', 'csv']);
  assert.equal(r.code, 3, 'two failures: status 3');
  const failedRow = r.stdout.split('\r\n').find((line) => line.startsWith(missing));
  assert.match(failedRow, /,clip,,,,,.*no such file/);
  r = predict(['--manifest', path.join(work, 'no-such-manifest.txt')]);
  assert.equal(r.code, 1, 'the run itself failed');
  assert.match(r.stderr, /no-such-manifest/);
});

test('manifests: one path per line, CSV with a path column, standard input; relative paths from the manifest folder', () => {
  const lists = path.join(clips, 'lists');
  fs.mkdirSync(lists, { recursive: true });
  const relative = generated.map((f) => path.relative(lists, f));
  fs.writeFileSync(path.join(lists, 'plain.txt'), `# a comment\n${relative.join('\r\n')}\n\n`);
  const quote = (s) => (/[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  fs.writeFileSync(path.join(lists, 'table.csv'),
    `speaker,path,note\n${relative.map((p, i) => `s${i},${quote(p)},"x, y"`).join('\n')}\n`);
  const fromPlain = jsonl(predict(['--manifest', path.join(lists, 'plain.txt'), '--format', 'jsonl', '--ordered']).stdout);
  assert.deepEqual(fromPlain.map((x) => x.file), relative, 'records name files as the manifest lists them');
  assert.ok(fromPlain.every((x) => !x.error));
  const fromCsv = jsonl(predict(['--manifest', path.join(lists, 'table.csv'), '--format', 'jsonl', '--ordered']).stdout);
  assert.deepEqual(fromCsv, fromPlain);
  const fromStdin = predict(['--manifest', '-', '--format', 'jsonl', '--ordered'], { input: generated.join('\n') });
  assert.deepEqual(jsonl(fromStdin.stdout).map((x) => x.probabilities), fromPlain.map((x) => x.probabilities));
});

test('--ordered keeps input order with several jobs; without it the same records come as they finish', () => {
  const list = [...everything, ...everything];
  const ordered = jsonl(predict([...list, '--format', 'jsonl', '--jobs', '2', '--ordered']).stdout);
  assert.deepEqual(ordered.map((x) => x.file), list);
  const loose = jsonl(predict([...list, '--format', 'jsonl', '--jobs', '2']).stdout);
  const key = (x) => JSON.stringify(x);
  assert.deepEqual(loose.map(key).sort(), ordered.map(key).sort());
});

test('--shard I/N: disjoint shards that cover the input, the same whatever the order of the list', () => {
  const whole = jsonl(predict(['--manifest', manifest, '--format', 'jsonl']).stdout);
  const reversed = path.join(work, 'reversed.txt');
  fs.writeFileSync(reversed, [...everything].reverse().join('\n'));
  const seen = [];
  for (let i = 0; i < 3; ++i) {
    const part = jsonl(predict(['--manifest', manifest, '--format', 'jsonl', '--shard', `${i}/3`]).stdout);
    const again = jsonl(predict(['--manifest', reversed, '--format', 'jsonl', '--shard', `${i}/3`]).stdout);
    assert.deepEqual(part.map((x) => x.file).sort(), again.map((x) => x.file).sort());
    seen.push(...part);
  }
  assert.deepEqual(seen.map((x) => x.file).sort(), whole.map((x) => x.file).sort());
  assert.equal(predict([generated[0], '--shard', '3/3']).code, 1);
});

test('--out is atomic and --resume continues an interrupted run, skipping what it holds', () => {
  const out = path.join(work, 'resume.jsonl');
  const whole = jsonl(predict(['--manifest', manifest, '--format', 'jsonl', '--ordered']).stdout);
  // What a killed run leaves: two whole records and a torn third in out.partial, no out.
  fs.writeFileSync(`${out}.partial`, `${JSON.stringify(whole[0])}\n${JSON.stringify(whole[1])}\n{"file":"${whole[2].file}","lab`);
  const r = predict(['--manifest', manifest, '--format', 'jsonl', '--out', out, '--resume', '--jobs', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /resumed: 2 files/);
  assert.ok(!fs.existsSync(`${out}.partial`));
  const done = jsonl(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(done.map((x) => x.file).sort(), whole.map((x) => x.file).sort(), 'every file exactly once');
  assert.deepEqual(byFile(done), byFile(whole));
  // Resuming a complete output adds nothing; a fresh run to the same --out replaces it.
  assert.equal(predict(['--manifest', manifest, '--format', 'jsonl', '--out', out, '--resume']).code, 0);
  assert.equal(jsonl(fs.readFileSync(out, 'utf8')).length, whole.length);
  assert.equal(predict([generated[0], '--format', 'jsonl', '--out', out]).code, 0);
  assert.equal(jsonl(fs.readFileSync(out, 'utf8')).length, 1);
  assert.equal(predict([generated[0], '--format', 'csv', '--out', out, '--resume']).code, 1, 'resume is for jsonl');
  const r2 = predict([generated[0], '--out', path.join(work, 'no/such/dir/out.jsonl'), '--format', 'jsonl']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /no\/such\/dir/);
  // Checked before any work, as every bad option is, with status 1 (the run failed).
  const r3 = predict([generated[0], '--out', work, '--format', 'jsonl']);
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /is a folder: give a file name inside it/);
  const r4 = predict([generated[0], '--jobs', '100000']);
  assert.equal(r4.code, 1);
  assert.match(r4.stderr, /--jobs: give a number of workers from 1 to 256, or 0 for every core/);
  assert.equal(predict([generated[0], '--format', 'xml']).code, 1);
});

test('SIGTERM stops at a safe point with status 130, and --resume finishes the job exactly once', async () => {
  const many = path.join(work, 'many');
  fs.mkdirSync(many, { recursive: true });
  const names = [];
  for (let i = 0; i < 60; ++i) {
    const name = path.join(many, `copy${i}.wav`);
    fs.copyFileSync(generated[i % generated.length], name);
    names.push(name);
  }
  const list = path.join(work, 'many.txt');
  fs.writeFileSync(list, names.join('\n'));
  const out = path.join(work, 'killed.jsonl');
  const args = ['predict', '--model', model, '--manifest', list, '--format', 'jsonl', '--jobs', '1', '--out', out];
  const child = spawn(ser, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const timer = setInterval(() => {
    try {
      if (fs.readFileSync(`${out}.partial`, 'utf8').includes('\n')) {
        clearInterval(timer);
        child.kill('SIGTERM');
      }
    } catch { /* not created yet */ }
  }, 2);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /--resume/);
  assert.ok(!fs.existsSync(out), 'an interrupted run leaves no output file, only FILE.partial');
  const before = jsonl(fs.readFileSync(`${out}.partial`, 'utf8')).length;
  assert.ok(before >= 1 && before < names.length, `${before} records before the stop`);
  const r = run([...args, '--resume']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonl(fs.readFileSync(out, 'utf8')).map((x) => x.file).sort(), [...names].sort());
});

// Peak resident memory of a run, read from /proc while it runs (VmHWM only grows).
async function peakKiB(args) {
  // Under AddressSanitizer (CI's native build) freed blocks wait in a quarantine of up to
  // 256 MB, so the peak would grow with the number of allocations, not with what is kept.
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=0'].filter(Boolean).join(':');
  const child = spawn(ser, ['predict', '--model', model, ...args], { stdio: 'ignore', env: { ...process.env, ASAN_OPTIONS: asan } });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch { /* exited */ }
  }, 5);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  return { peak, code };
}

test('a long manifest streams: memory does not grow with the number of entries', async () => {
  const write = (file, n) => {
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < n; i += 10000)
      fs.writeSync(fd, Array.from({ length: Math.min(10000, n - i) }, (_, k) => `absent/folder/clip-${i + k}.wav\n`).join(''));
    fs.closeSync(fd);
  };
  write(path.join(work, 'short.txt'), 2000);
  write(path.join(work, 'long.txt'), 200000);
  const args = (list) => ['--manifest', path.join(work, list), '--format', 'jsonl', '--jobs', '2', '--out', path.join(work, `${list}.jsonl`)];
  const short = await peakKiB(args('short.txt'));
  const long = await peakKiB(args('long.txt'));
  assert.equal(long.code, 99, 'every entry failed: status capped at 99');
  assert.equal(fs.readFileSync(path.join(work, 'long.txt.jsonl'), 'utf8').split('\n').length - 1, 200000);
  // Holding the list would take well over 10 MB (200k paths); streaming keeps the peak flat.
  console.log(`peak RSS: 2k entries ${short.peak} KiB, 200k entries ${long.peak} KiB`);
  assert.ok(short.peak > 0 && long.peak - short.peak < 4096, `${short.peak} KiB vs ${long.peak} KiB`);
});

const haveParallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).status === 0;
const parallelSkip = haveParallel ? false : 'SKIPPED: GNU parallel is not installed (./dev bootstrap installs it)';
if (!haveParallel && process.env.CI) throw new Error('GNU parallel is missing in CI: ./dev bootstrap installs it');

function sortedLines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
}

test('docs/batch: GNU parallel shards and the Slurm array script merge to one unsharded run, file for file', { skip: parallelSkip }, () => {
  const single = path.join(work, 'single.jsonl');
  assert.equal(predict(['--manifest', manifest, '--format', 'jsonl', '--out', single]).code, 0);
  const env = { ...process.env, SER: ser };
  const out = path.join(work, 'parallel');
  const r = spawnSync(path.join(root, 'docs/batch/predict_parallel.sh'), ['3', model, manifest, out], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(sortedLines(path.join(out, 'all.jsonl')), sortedLines(single));

  const slurm = path.join(work, 'slurm');
  for (let task = 1; task <= 4; ++task) {  // an array submitted as --array=1-4
    const s = spawnSync(path.join(root, 'docs/batch/predict.slurm'), [model, manifest, slurm], {
      encoding: 'utf8',
      env: { ...env, SLURM_ARRAY_TASK_ID: `${task}`, SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_CPUS_PER_TASK: '1' },
    });
    assert.equal(s.status, 0, s.stderr);
  }
  const parts = fs.readdirSync(slurm).filter((f) => f.endsWith('.jsonl')).flatMap((f) => sortedLines(path.join(slurm, f)));
  assert.deepEqual(parts.sort(), sortedLines(single));
});
