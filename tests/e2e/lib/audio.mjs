// Test audio made at test time: speech from espeak-ng (for the fake microphone) and WAV
// files of exactly known length and rate (for uploads).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SPEECH_TEXT =
  'Speech emotion recognition listens to how things are said. ' +
  'Happy, sad, angry or calm: the voice tells. One, two, three, four.';

// Speech as 16-bit mono WAV at `rate` Hz, the format Chromium's fake capture device reads.
export function makeSpeechWav(dir, rate = 48000) {
  const raw = path.join(dir, 'speech-espeak.wav');
  const out = path.join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', raw, SPEECH_TEXT]);
  // -v 0.7: headroom, so resampling espeak's full-scale output does not clip.
  execFileSync('sox', ['-v', '0.7', raw, '-r', String(rate), '-c', '1', '-b', '16', out]);
  return out;
}

// A 16-bit PCM WAV whose frame f of channel c is signal(f, c).
export function wavBytes({ rate, frames, channels = 1, signal }) {
  const dataBytes = frames * channels * 2;
  const b = Buffer.alloc(44 + dataBytes);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  for (let f = 0; f < frames; f += 1) {
    for (let c = 0; c < channels; c += 1) {
      const v = Math.max(-1, Math.min(1, signal(f, c)));
      b.writeInt16LE(Math.round(v * 32767), 44 + (f * channels + c) * 2);
    }
  }
  return b;
}

export function writeWav(file, spec) {
  fs.writeFileSync(file, wavBytes(spec));
  return file;
}

export const tone = (frequency, rate, amplitude = 0.5) => (f) => amplitude * Math.sin((2 * Math.PI * frequency * f) / rate);
