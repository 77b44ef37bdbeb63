// FLAC split into its frames, so that a decoder can take one frame at a time: the STREAMINFO
// block (the decoder's configuration), and the frames found by their headers (sync code and
// CRC-8) and confirmed by the CRC-16 that ends each one. Pure: bytes in, numbers out.

import { ascii } from './bytes.js';

export class FlacError extends Error {}

// The CRC-8 of frame headers (polynomial x^8 + x^2 + x + 1) and the CRC-16 of whole frames
// (x^16 + x^15 + x^2 + 1), both MSB first from 0.
const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i += 1) {
  let c8 = i;
  let c16 = i << 8;
  for (let k = 0; k < 8; k += 1) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}

export const crc16Step = (crc, byte) => ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ byte];

// The stream's configuration from "fLaC" and its metadata blocks. bytes: the file's start,
// long enough to hold all metadata (or null is returned with needBytes set).
// Returns { sampleRate, channels, bitsPerSample, totalSamples (0: unknown), blockSize (fixed
// size or 0), audioOffset, description (what WebCodecs' FLAC decoder takes) }.
export function parseFlacHeader(bytes, start = 0) {
  if (ascii(bytes, start, 4) !== 'fLaC') return null;
  let at = start + 4;
  let info = null;
  for (;;) {
    if (at + 4 > bytes.length) return { needBytes: at + 4 };
    const last = (bytes[at] & 0x80) !== 0;
    const type = bytes[at] & 0x7f;
    const length = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    if (at + 4 + length > bytes.length) return { needBytes: at + 4 + length };
    if (at === start + 4 && type !== 0) throw new FlacError('its first metadata block is not STREAMINFO');
    if (type === 0) {
      if (length < 34) throw new FlacError('its STREAMINFO block is too short');
      info = streamInfo(bytes.subarray(at + 4, at + 4 + 34));
    }
    at += 4 + length;
    if (last) break;
  }
  if (!info) throw new FlacError('it has no STREAMINFO block');
  return { ...info, audioOffset: at };
}

// The 20-bit sample rate 10 bytes into a STREAMINFO block (0 when the block is cut before it).
export function streamInfoRate(block) {
  return block.length >= 13 ? (block[10] << 12) | (block[11] << 4) | (block[12] >> 4) : 0;
}

// STREAMINFO's 34 bytes; also builds the description: "fLaC" and STREAMINFO as the last block.
export function streamInfo(block) {
  const minBlock = (block[0] << 8) | block[1];
  const maxBlock = (block[2] << 8) | block[3];
  const sampleRate = streamInfoRate(block);
  const channels = ((block[12] >> 1) & 7) + 1;
  const bitsPerSample = (((block[12] & 1) << 4) | (block[13] >> 4)) + 1;
  const totalSamples = (block[13] & 0x0f) * 2 ** 32 + ((block[14] << 24) >>> 0) + (block[15] << 16) + (block[16] << 8) + block[17];
  if (sampleRate === 0) throw new FlacError('its STREAMINFO gives no sample rate');
  const description = new Uint8Array(4 + 4 + 34);
  description.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  description.set(block.subarray(0, 34), 8);
  return { sampleRate, channels, bitsPerSample, totalSamples, blockSize: minBlock === maxBlock ? minBlock : 0, description };
}

const BLOCK_SIZES = [0, 192, 576, 1152, 2304, 4608, -8, -16, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const RATE_CODES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];

// A frame header at bytes[at]: { length (header bytes), blockSize, number (frame or sample
// number), variable, sampleRate (0: STREAMINFO's) }, or null when these bytes are not one.
export function frameHeader(bytes, at) {
  if (at + 6 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xfe) !== 0xf8) return null;
  const variable = (bytes[at + 1] & 1) === 1;
  const sizeCode = bytes[at + 2] >> 4;
  const rateCode = bytes[at + 2] & 0x0f;
  const channelCode = bytes[at + 3] >> 4;
  const depthCode = (bytes[at + 3] >> 1) & 7;
  if (sizeCode === 0 || rateCode === 15 || channelCode > 10 || depthCode === 3 || (bytes[at + 3] & 1) !== 0) return null;
  // The frame or sample number, UTF-8 coded in 1 to 7 bytes.
  let p = at + 4;
  const first = bytes[p];
  let extra = 0;
  let number;
  if (first < 0x80) number = first;
  else if (first >= 0xc0 && first < 0xfe) {
    extra = first >= 0xfc ? 5 : first >= 0xf8 ? 4 : first >= 0xf0 ? 3 : first >= 0xe0 ? 2 : 1;
    number = first & (0x3f >> extra);
  } else return null;
  p += 1;
  if (p + extra > bytes.length) return null;
  for (let i = 0; i < extra; i += 1, p += 1) {
    if ((bytes[p] & 0xc0) !== 0x80) return null;
    number = number * 64 + (bytes[p] & 0x3f);
  }
  let blockSize = BLOCK_SIZES[sizeCode];
  if (blockSize === -8) {
    if (p + 1 > bytes.length) return null;
    blockSize = bytes[p] + 1;
    p += 1;
  } else if (blockSize === -16) {
    if (p + 2 > bytes.length) return null;
    blockSize = ((bytes[p] << 8) | bytes[p + 1]) + 1;
    p += 2;
  }
  let sampleRate = RATE_CODES[rateCode] ?? 0;
  if (rateCode === 12) {
    if (p + 1 > bytes.length) return null;
    sampleRate = bytes[p] * 1000;
    p += 1;
  } else if (rateCode === 13 || rateCode === 14) {
    if (p + 2 > bytes.length) return null;
    sampleRate = ((bytes[p] << 8) | bytes[p + 1]) * (rateCode === 14 ? 10 : 1);
    p += 2;
  }
  if (p + 1 > bytes.length) return null;
  let crc = 0;
  for (let i = at; i < p; i += 1) crc = CRC8[crc ^ bytes[i]];
  if (crc !== bytes[p]) return null;
  return { length: p + 1 - at, blockSize, number, variable, sampleRate };
}

// The end of the frame that starts at bytes[start] (whose header is `header`): the start of
// the next frame header that continues the numbering, where the CRC-16 of the bytes so far
// is zero. At the end of the file (final = true) the frame ends there if its CRC-16 checks.
// Returns -1 when more bytes are needed; throws FlacError for a damaged frame.
export function frameEnd(bytes, start, header, final) {
  const expected = header.variable ? header.number + header.blockSize : header.number + 1;
  let crc = 0;
  for (let i = start; i < start + header.length; i += 1) crc = crc16Step(crc, bytes[i]);
  for (let p = start + header.length; p < bytes.length; p += 1) {
    if (crc === 0 && bytes[p] === 0xff) {
      const next = frameHeader(bytes, p);
      if (next && next.variable === header.variable && next.number === expected) return p;
    }
    crc = crc16Step(crc, bytes[p]);
  }
  if (!final) return -1;
  if (crc === 0) return bytes.length;
  throw new FlacError(`its frame ${header.number} is damaged (its checksum does not match)`);
}
