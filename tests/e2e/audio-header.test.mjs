// Unit tests (node only, no browser) of web/audio_header.js, which picks the rate the page
// decodes uploads at: real files made with sox, hand-built MP3 and Opus headers, and a
// seeded mutation loop over all of them (any input gives null or a usable answer, never a throw).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { sniffSampleRate } from '../../web/audio_header.js';
import { tone, writeWav } from './lib/audio.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-header-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

// sox converts a short tone WAV to `name` (its extension picks the format) at `rate`.
function soxFile(name, rate) {
  const wav = writeWav(path.join(dir, `source-${rate}.wav`), { rate, frames: rate / 10, signal: tone(440, rate) });
  const out = path.join(dir, name);
  execFileSync('sox', [wav, out]);
  return new Uint8Array(fs.readFileSync(out));
}

// Frames of an MPEG audio stream: header bytes then zeros up to the frame length.
function mpegFrames(header, length, count, prefix = []) {
  const bytes = [...prefix];
  for (let i = 0; i < count; i += 1) bytes.push(...header, ...new Array(length - header.length).fill(0));
  return new Uint8Array(bytes);
}

const id3Tag = [0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20, ...new Array(20).fill(0x41)]; // "ID3", 20-byte body

function oggPage(packet) {
  const header = [...Buffer.from('OggS'), 0, 2, ...new Array(20).fill(0), 1, packet.length];
  return new Uint8Array([...header, ...packet]);
}

const samples = {
  'wav 8000': [soxFile('a.wav', 8000), { format: 'wav', sampleRate: 8000 }],
  'wav 96000': [soxFile('b.wav', 96000), { format: 'wav', sampleRate: 96000 }],
  'flac 16000': [soxFile('c.flac', 16000), { format: 'flac', sampleRate: 16000 }],
  'flac 44100': [soxFile('d.flac', 44100), { format: 'flac', sampleRate: 44100 }],
  'ogg vorbis 32000': [soxFile('e.ogg', 32000), { format: 'ogg-vorbis', sampleRate: 32000 }],
  // MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames (418 with padding).
  'mp3 44100': [mpegFrames([0xff, 0xfb, 0x90, 0x00], 417, 3), { format: 'mp3', sampleRate: 44100 }],
  // MPEG-2 layer III, 64 kbit/s, 24 kHz, after an ID3v2 tag: 192-byte frames.
  'mp3 24000 with ID3': [mpegFrames([0xff, 0xf3, 0x84, 0x00], 192, 3, id3Tag), { format: 'mp3', sampleRate: 24000 }],
  // MPEG-2.5 layer III, 8 kbit/s, 8 kHz: 72-byte frames.
  'mp3 8000': [mpegFrames([0xff, 0xe3, 0x18, 0x00], 72, 3), { format: 'mp3', sampleRate: 8000 }],
  'ogg opus': [oggPage([...Buffer.from('OpusHead'), 1, 2, 0, 0, 0x80, 0x3e, 0, 0, 0, 0, 0]), { format: 'ogg-opus', sampleRate: 48000 }],
};

test('reads the sample rate of WAV, FLAC, Ogg and MP3 headers', () => {
  for (const [name, [bytes, expected]] of Object.entries(samples)) {
    assert.deepEqual(sniffSampleRate(bytes), expected, name);
  }
});

test('finds nothing in data that is not one of those formats', () => {
  assert.equal(sniffSampleRate(new Uint8Array(0)), null);
  assert.equal(sniffSampleRate(new TextEncoder().encode('ID3 this is not audio at all')), null);
  assert.equal(sniffSampleRate(new TextEncoder().encode('RIFF....WAVEdata')), null, 'WAV without fmt chunk');
  // One lone sync word is not an MP3: the next frame must follow where the first one ends.
  assert.equal(sniffSampleRate(mpegFrames([0xff, 0xfb, 0x90, 0x00], 417, 1)), null);
  // A header cut before its rate gives null, not a guess from bytes beyond the end; the rate
  // ends 21 bytes into a FLAC file ("fLaC", block header, 10 bytes of sizes, 20 bits).
  const [flac] = samples['flac 16000'];
  for (let n = 0; n < 21; n += 1) assert.equal(sniffSampleRate(flac.subarray(0, n)), null, `FLAC cut at ${n} bytes`);
  assert.equal(sniffSampleRate(flac.subarray(0, 21))?.sampleRate, 16000);
});

test('mutated headers never throw and give null or a positive integer rate', () => {
  let seed = 20240601;
  const random = () => {
    seed = (seed * 1103515245 + 12345) >>> 0; // a fixed LCG: the same cases on every run
    return seed / 2 ** 32;
  };
  const formats = new Set(['wav', 'flac', 'ogg-vorbis', 'ogg-opus', 'ogg-flac', 'mp3']);
  let cases = 0;
  for (const [bytes] of Object.values(samples)) {
    const head = bytes.subarray(0, Math.min(bytes.length, 2048));
    for (let i = 0; i < 400; i += 1) {
      const mutated = head.slice(0, Math.floor(random() * (head.length + 1)));
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips && mutated.length > 0; f += 1) {
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      }
      const found = sniffSampleRate(mutated);
      if (found !== null) {
        assert.ok(formats.has(found.format), `unknown format ${found.format}`);
        assert.ok(Number.isInteger(found.sampleRate) && found.sampleRate > 0, `bad rate ${found.sampleRate}`);
      }
      cases += 1;
    }
  }
  assert.equal(cases, Object.keys(samples).length * 400);
});
