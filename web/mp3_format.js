// MPEG audio (MP3) split into its frames, with the gapless information a LAME or Xing
// header carries: how many samples the encoder added at the start and the end, which a
// decoder fed frame by frame (as WebCodecs is) leaves in. Pure: bytes in, numbers out.

import { mp3Frame, skipId3v2 } from './audio_header.js';

const ascii = (b, at, n) => (at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '');
const u32be = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

// A layer III decoder's own delay, in samples (the polyphase filterbank and the overlap).
export const MP3_DECODER_DELAY = 529;

export { mp3Frame, skipId3v2 };

// The first frame's Xing/Info header, if it is one: { frames (of audio, not counting this
// one; 0 unknown), encoderDelay, padding (both null without a LAME tag) }, else null.
export function xingHeader(bytes, at, frame) {
  const x = at + frame.dataOffset;
  const tag = ascii(bytes, x, 4);
  if (tag !== 'Xing' && tag !== 'Info') return null;
  const flags = u32be(bytes, x + 4);
  let p = x + 8;
  let frames = 0;
  if (flags & 1) {
    frames = u32be(bytes, p);
    p += 4;
  }
  if (flags & 2) p += 4; // bytes
  if (flags & 4) p += 100; // seek table
  if (flags & 8) p += 4; // quality
  let encoderDelay = null;
  let padding = null;
  // The LAME extension: 9 characters of encoder version, then 12 bits of delay and 12 of padding
  // 21 bytes in.
  if (/^(LAME|Lavc|Lavf|GOGO)/.test(ascii(bytes, p, 4)) && p + 24 <= bytes.length) {
    encoderDelay = (bytes[p + 21] << 4) | (bytes[p + 22] >> 4);
    padding = ((bytes[p + 22] & 0x0f) << 8) | bytes[p + 23];
  }
  return { frames, encoderDelay, padding };
}

// Where the first frame is: after any ID3v2 tag, the first header followed by another at the
// length it gives. Returns { offset, frame } or null.
export function firstMp3Frame(bytes) {
  const start = skipId3v2(bytes);
  for (let at = start; at + 4 <= bytes.length && at < start + 65536; at += 1) {
    const frame = mp3Frame(bytes, at);
    if (!frame) continue;
    const next = mp3Frame(bytes, at + frame.length);
    if (next && next.sampleRate === frame.sampleRate) return { offset: at, frame };
  }
  return null;
}
