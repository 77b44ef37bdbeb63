// WAV (RIFF, RF64, BW64) read without any decoder: the header says where the samples are
// and how they are stored, and blocks of frames convert to mono float the way libsndfile
// (and so the `ser` CLI) converts them. Pure: bytes in, numbers out.

import { ascii, u16le as u16, u32le as u32, u64le as u64 } from './bytes.js';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export class WavError extends Error {}

// The container tag ('RIFF', 'RF64' or 'BW64') when `header` starts a WAVE file, else null.
export function wavContainer(header) {
  const container = ascii(header, 0, 4);
  return ['RIFF', 'RF64', 'BW64'].includes(container) && ascii(header, 8, 4) === 'WAVE' ? container : null;
}

// The chunks after the WAVE tag whose 8-byte headers lie within `header`: { id, size, body
// (where its data starts) }.
export function* wavChunks(header) {
  for (let at = 12; at + 8 <= header.length;) {
    const size = u32(header, at + 4);
    yield { id: ascii(header, at, 4), size, body: at + 8 };
    at += 8 + size + (size & 1); // chunks are padded to even sizes
  }
}

// header: the start of the file (the fmt chunk and the data chunk's header must be in it;
// 64 KiB is plenty). Returns null when it is not a WAV file; throws WavError for a WAV file
// this reader cannot convert (then the browser's own decoder may still read it).
export function parseWavHeader(header, fileSize) {
  const container = wavContainer(header);
  if (!container) return null;
  let ds64DataBytes = null;
  let fmt = null;
  for (const { id, size, body } of wavChunks(header)) {
    if (id === 'ds64' && body + 16 <= header.length) ds64DataBytes = u64(header, body + 8);
    if (id === 'fmt ') {
      if (body + 16 > header.length) break;
      let code = u16(header, body);
      const bits = u16(header, body + 14);
      if (code === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= header.length) code = u16(header, body + 24);
      fmt = {
        code,
        channels: u16(header, body + 2),
        sampleRate: u32(header, body + 4),
        blockAlign: u16(header, body + 12),
        bits,
      };
    }
    if (id === 'data') {
      if (!fmt) throw new WavError('its data comes before its format chunk');
      let dataBytes = size;
      if (container !== 'RIFF' && size === 0xffffffff && ds64DataBytes !== null) dataBytes = ds64DataBytes;
      // A recorder that never went back to write the size leaves 0 or 0xFFFFFFFF: read to the end.
      const toEnd = fileSize - body;
      if (dataBytes === 0 || dataBytes === 0xffffffff || dataBytes > toEnd) dataBytes = toEnd;
      return checkedFormat(fmt, body, dataBytes);
    }
  }
  throw new WavError('its header ended before the audio data (no data chunk in the first 64 KiB)');
}

function checkedFormat(fmt, dataOffset, dataBytes) {
  const { code, channels, sampleRate, bits } = fmt;
  const integer = code === FORMAT_PCM && [8, 16, 24, 32].includes(bits);
  const float = code === FORMAT_FLOAT && (bits === 32 || bits === 64);
  if (!integer && !float) {
    throw new WavError(`its samples are stored as format ${code} with ${bits} bits, which this reader does not convert`);
  }
  if (channels < 1) throw new WavError('its header gives no channels');
  if (!(sampleRate > 0)) throw new WavError('its header gives no sample rate');
  const frameBytes = channels * (bits / 8);
  return {
    format: 'wav',
    float,
    bits,
    channels,
    sampleRate,
    frameBytes,
    dataOffset,
    frames: Math.floor(dataBytes / frameBytes),
  };
}

// Converts whole frames of `bytes` (interleaved, as stored) into mono floats in `out` (the
// channels' mean, computed as the CLI computes it); returns the number of frames converted.
export function wavFramesToMono(bytes, wav, out) {
  const frames = Math.min(Math.floor(bytes.length / wav.frameBytes), out.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, frames * wav.frameBytes);
  const step = wav.bits / 8;
  const read = sampleReader(wav, view);
  for (let f = 0; f < frames; f += 1) {
    const at = f * wav.frameBytes;
    if (wav.channels === 1) {
      out[f] = read(at);
      continue;
    }
    // As the CLI mixes: float samples summed and divided in double precision.
    let sum = 0;
    for (let c = 0; c < wav.channels; c += 1) sum += Math.fround(read(at + c * step));
    out[f] = sum / wav.channels;
  }
  return frames;
}

function sampleReader(wav, view) {
  if (wav.float) return wav.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (wav.bits) {
    case 8: return (at) => (view.getUint8(at) - 128) / 128;
    case 16: return (at) => view.getInt16(at, true) / 32768;
    case 24: return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16))) / 8388608;
    default: return (at) => view.getInt32(at, true) / 2147483648;
  }
}
