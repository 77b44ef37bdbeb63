// MPEG audio (MP3) split into its frames, with the gapless information a LAME or Xing
// header carries: how many samples the encoder added at the start and the end, which a
// decoder fed frame by frame (as WebCodecs is) leaves in. Pure: bytes in, numbers out.

import { ascii, u32be } from './bytes.js';

// A layer III decoder's own delay, in samples (the polyphase filterbank and the overlap).
export const MP3_DECODER_DELAY = 529;

// An ID3v2 tag may precede FLAC and MP3 data; returns where the audio data starts.
export function skipId3v2(b) {
  let at = 0;
  while (ascii(b, at, 3) === 'ID3' && at + 10 <= b.length) {
    const size = ((b[at + 6] & 0x7f) << 21) | ((b[at + 7] & 0x7f) << 14) | ((b[at + 8] & 0x7f) << 7) | (b[at + 9] & 0x7f);
    const footer = b[at + 5] & 0x10 ? 10 : 0;
    at += 10 + size + footer;
  }
  return at;
}

const MP3_RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
// kbit/s for bitrate indexes 1..14, by MPEG-1 or not, then by the layer bits (1: III, 2: II, 3: I).
const MP3_BITRATES = {
  true: {
    1: [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    3: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  },
  false: {
    1: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    2: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    3: [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  },
};

// An MPEG audio frame header at `at`: its sample rate, its frame's length in bytes, its
// samples per frame, its channels and where its side information ends.
export function mp3Frame(b, at) {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layerBits = (b[at + 1] >> 1) & 3; // 1: layer III, 2: II, 3: I, 0: reserved
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = MP3_RATES[version][rateIndex];
  const bitrate = MP3_BITRATES[mpeg1][layerBits][bitrateIndex - 1] * 1000;
  const padding = (b[at + 2] >> 1) & 1;
  let length;
  if (layerBits === 3) length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
  else if (layerBits === 1 && !mpeg1) length = Math.floor((72 * bitrate) / sampleRate) + padding;
  else length = Math.floor((144 * bitrate) / sampleRate) + padding;
  const mono = b[at + 3] >> 6 === 3;
  const samples = layerBits === 3 ? 384 : layerBits === 2 || mpeg1 ? 1152 : 576;
  // Layer III side information follows the header (and its CRC, when protected).
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const crc = (b[at + 1] & 1) === 0 ? 2 : 0;
  return { sampleRate, length, samples, channels: mono ? 1 : 2, layer: 4 - layerBits, dataOffset: 4 + crc + sideInfo };
}

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

// Where the first frame is: after any ID3v2 tag, within `searchBytes`, the first header
// followed by another at the length it gives (two bytes that merely look like a sync word are
// common in other data). Returns { offset, frame } or null.
export function firstMp3Frame(bytes, searchBytes = 65536) {
  const start = skipId3v2(bytes);
  for (let at = start; at + 4 <= bytes.length && at < start + searchBytes; at += 1) {
    const frame = mp3Frame(bytes, at);
    if (!frame) continue;
    const next = mp3Frame(bytes, at + frame.length);
    if (next && next.sampleRate === frame.sampleRate) return { offset: at, frame };
  }
  return null;
}
