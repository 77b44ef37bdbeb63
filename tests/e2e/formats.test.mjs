// Unit tests (node only, no browser) of the upload worker's file readers: WAV conversion
// sample for sample against sox, FLAC frames, Ogg packets and MP3 frames of real files made
// with sox and libsndfile, the chunked reader, and a seeded mutation loop over all of them
// (damaged input gives null or the reader's own error, never a crash or a hang).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { ChunkedReader } from '../../web/chunked_reader.js';
import { FlacError, frameEnd, frameHeader, parseFlacHeader } from '../../web/flac_format.js';
import { firstMp3Frame, mp3Frame, xingHeader } from '../../web/mp3_format.js';
import { lastGranule, oggCodec, oggDescription, OggError, OggPackets, oggPage, opusPacketSamples } from '../../web/ogg_format.js';
import { parseWavHeader, WavError, wavFramesToMono } from '../../web/wav_format.js';
import { tone, writeWav } from './lib/audio.mjs';
import { convertAudio } from './lib/tools.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-formats-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const RATE = 22050;
const FRAMES = 30_011;
const source = writeWav(path.join(dir, 'source.wav'), {
  rate: RATE, frames: FRAMES, channels: 2, signal: (f, c) => tone(c ? 330 : 220, RATE, 0.4)(f) + (f % 7) * 1e-4,
});

function sox(args, name) {
  const out = path.join(dir, name);
  execFileSync('sox', [source, ...args, out]);
  return new Uint8Array(fs.readFileSync(out));
}

// What sox decodes a file to: mono (channels averaged) 32-bit floats.
function soxMono(file) {
  const raw = execFileSync('sox', [file, '-t', 'f32', '-e', 'floating-point', '-c', '1', '-']);
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
}

test('WAV in every stored sample format converts to the samples sox reads', () => {
  const cases = [
    ['-b', '8', '-e', 'unsigned-integer', '-c', '1'], ['-b', '16', '-c', '1'], ['-b', '24', '-c', '1'],
    ['-b', '32', '-e', 'signed-integer', '-c', '1'], ['-b', '32', '-e', 'floating-point', '-c', '1'],
    ['-b', '64', '-e', 'floating-point', '-c', '1'], ['-b', '16'], ['-b', '24', '-c', '3'],
  ];
  for (const args of cases) {
    const name = `case${args.join('')}.wav`;
    const bytes = sox(args, name);
    const wav = parseWavHeader(bytes, bytes.length);
    assert.ok(wav, args.join(' '));
    assert.equal(wav.sampleRate, RATE);
    assert.equal(wav.frames, FRAMES);
    const out = new Float32Array(FRAMES);
    assert.equal(wavFramesToMono(bytes.subarray(wav.dataOffset), wav, out), FRAMES);
    if (wav.channels === 1) {
      // Mono files: exactly sox's conversion.
      const reference = soxMono(path.join(dir, name));
      for (let i = 0; i < FRAMES; i += 997) assert.equal(out[i], reference[i], `${args.join(' ')} sample ${i}`);
      continue;
    }
    // Several channels: the mean of sox's per-channel samples, as the CLI mixes them.
    const channels = wav.channels;
    const perChannel = execFileSync('sox', [path.join(dir, name), '-t', 'f32', '-e', 'floating-point', '-']);
    const all = new Float32Array(perChannel.buffer, perChannel.byteOffset, perChannel.length / 4);
    for (let f = 0; f < FRAMES; f += 991) {
      let sum = 0;
      for (let c = 0; c < channels; c += 1) sum += all[f * channels + c];
      assert.equal(out[f], Math.fround(sum / channels), `${args.join(' ')} frame ${f}: the channels' mean`);
    }
  }
  assert.equal(parseWavHeader(new Uint8Array(100), 100), null);
  const alaw = sox(['-e', 'a-law', '-b', '8'], 'alaw.wav');
  assert.throws(() => parseWavHeader(alaw, alaw.length), WavError, 'A-law is left to the browser');
});

test('FLAC splits into frames that the CRC-16 confirms, numbered in order', () => {
  const bytes = sox(['-b', '16'], 'source.flac');
  const info = parseFlacHeader(bytes);
  assert.equal(info.sampleRate, RATE);
  assert.equal(info.channels, 2);
  assert.equal(info.totalSamples, FRAMES);
  assert.equal(info.description.length, 42);
  let at = info.audioOffset;
  let samples = 0;
  let frames = 0;
  while (at < bytes.length) {
    const header = frameHeader(bytes, at);
    assert.ok(header, `a frame header at ${at}`);
    assert.equal(header.number, frames);
    const end = frameEnd(bytes, at, header, true);
    assert.ok(end > at);
    assert.equal(frameEnd(bytes.subarray(0, Math.max(at + header.length, end - 1)), at, header, false), -1,
      'a frame cut short needs more bytes');
    samples += header.blockSize;
    frames += 1;
    at = end;
  }
  assert.equal(samples, FRAMES);
  // A damaged frame: its checksum fails at the end of the file.
  const damaged = bytes.slice();
  damaged[damaged.length - 40] ^= 0x10;
  let last = info.audioOffset;
  for (let i = 0; i < frames - 1; i += 1) last = frameEnd(damaged, last, frameHeader(damaged, last), true);
  assert.throws(() => frameEnd(damaged, last, frameHeader(damaged, last), true), FlacError);
  assert.equal(parseFlacHeader(new Uint8Array([1, 2, 3, 4])), null);
});

test('Ogg Vorbis and Opus split into their packets, with their setup and length', () => {
  const vorbis = sox(['-C', '3'], 'source.ogg');
  const opus = new Uint8Array(fs.readFileSync(convertAudio(writeWav(path.join(dir, 'source48k.wav'), {
    rate: 48000, frames: 48_000, signal: tone(440, 48000, 0.3),
  }), path.join(dir, 'source.opus'))));
  for (const [bytes, codec, rate, headers] of [[vorbis, 'vorbis', RATE, 3], [opus, 'opus', 48000, 2]]) {
    const packets = new OggPackets();
    const all = [];
    for (let at = 0; at < bytes.length;) {
      const page = oggPage(bytes, at);
      assert.ok(page, `a page at ${at}`);
      all.push(...packets.push(bytes, page));
      at += page.length;
    }
    const setup = oggCodec(all[0]);
    assert.equal(setup.codec, codec);
    assert.equal(setup.sampleRate, rate);
    assert.equal(setup.headerPackets, headers);
    const description = oggDescription(setup, all.slice(0, headers));
    if (codec === 'vorbis') {
      assert.equal(description[0], 2, 'Xiph lacing: three packets');
      assert.equal(lastGranule(bytes.subarray(-70_000)), FRAMES, 'the last granule is the length');
    } else {
      assert.equal(String.fromCharCode(...description.subarray(0, 8)), 'OpusHead');
      assert.equal(lastGranule(bytes) - setup.preSkip, 48_000);
      const total = all.slice(headers).reduce((n, p) => n + opusPacketSamples(p), 0);
      assert.ok(total >= 48_000 + setup.preSkip && total < 48_000 + setup.preSkip + 960 * 2, `${total} samples in packets`);
    }
  }
  assert.throws(() => oggPage(new Uint8Array(40), 0), OggError);
  assert.equal(oggPage(vorbis.subarray(0, 20), 0), null, 'a page cut short needs more bytes');
});

test('MP3 frames and the LAME header give the gapless length', () => {
  const bytes = new Uint8Array(fs.readFileSync(convertAudio(writeWav(path.join(dir, 'source16k.wav'), {
    rate: 16000, frames: 40_000, signal: tone(300, 16000, 0.3),
  }), path.join(dir, 'source.mp3'))));
  const first = firstMp3Frame(bytes);
  assert.ok(first);
  assert.equal(first.frame.sampleRate, 16000);
  assert.equal(first.frame.samples, 576);
  const xing = xingHeader(bytes, first.offset, first.frame);
  assert.ok(xing && xing.encoderDelay !== null);
  let frames = 0;
  for (let at = first.offset + first.frame.length; at + 4 <= bytes.length; frames += 1) at += mp3Frame(bytes, at).length;
  assert.equal(frames, xing.frames);
  assert.equal(xing.frames * 576 - xing.encoderDelay - xing.padding, 40_000);
});

test('the chunked reader hands out a file in order, a slice at a time', async () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
  const reader = new ChunkedReader(new Blob([data]), { sliceBytes: 300 });
  assert.equal(await reader.fill(10), 300);
  assert.deepEqual([...reader.view(3)], [0, 1, 2]);
  reader.skip(250);
  assert.equal(await reader.fill(100), 350, 'the unread 50 and a new slice');
  assert.equal(reader.view(1)[0], 250 % 251);
  reader.skip(2000); // past the buffer
  assert.equal(reader.position, 2250);
  await reader.fill(1);
  assert.equal(reader.view(1)[0], 2250 % 251);
  assert.ok(reader.buffer.length <= 600, 'it never holds much more than a slice');
  reader.skip(reader.size - reader.position);
  assert.equal(await reader.fill(5), 0);
  assert.ok(reader.atEnd);
  assert.deepEqual([...(await reader.readAt(9998, 10))], [9998 % 251, 9999 % 251]);
});

test('damaged files give null or the reader\'s own error, never a crash or a hang', () => {
  const files = [sox(['-b', '16'], 'fuzz.wav'), sox([], 'fuzz.flac'), sox([], 'fuzz.ogg'),
    new Uint8Array(fs.readFileSync(path.join(dir, 'source.mp3')))].map((b) => b.subarray(0, 8192));
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const expected = (error) => error instanceof WavError || error instanceof FlacError || error instanceof OggError;
  for (let round = 0; round < 3000; round += 1) {
    const bytes = files[round % files.length].slice(0, 1 + Math.floor(random() * 8192));
    for (let k = 0; k < 1 + random() * 8; k += 1) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    try {
      parseWavHeader(bytes, bytes.length);
      const flac = parseFlacHeader(bytes);
      if (flac && !flac.needBytes) {
        const header = frameHeader(bytes, flac.audioOffset);
        if (header) frameEnd(bytes, flac.audioOffset, header, true);
      }
      for (let at = 0; at < bytes.length;) {
        const page = oggPage(bytes, at);
        if (!page) break;
        at += page.length;
      }
      lastGranule(bytes);
      const mp3 = firstMp3Frame(bytes);
      if (mp3) xingHeader(bytes, mp3.offset, mp3.frame);
    } catch (error) {
      assert.ok(expected(error), `round ${round}: ${error.stack}`);
    }
  }
});
