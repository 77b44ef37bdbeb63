// Ogg split into the packets of its first logical stream, and that stream's codec setup
// (Vorbis, Opus or FLAC) as a WebCodecs decoder takes it. Pure: bytes in, numbers out.

import { ascii, u16le as u16, u32le as u32 } from './bytes.js';
import { streamInfoRate } from './flac_format.js';

export class OggError extends Error {}

// One page at bytes[at]: { length (bytes), granule, serial, continued, bos, eos, segments },
// null when more bytes are needed; throws OggError when these bytes are not a page.
export function oggPage(bytes, at) {
  if (at + 27 > bytes.length) return null;
  if (ascii(bytes, at, 4) !== 'OggS' || bytes[at + 4] !== 0) throw new OggError('its pages are damaged (no "OggS" where a page should start)');
  const count = bytes[at + 26];
  if (at + 27 + count > bytes.length) return null;
  const segments = bytes.subarray(at + 27, at + 27 + count);
  let body = 0;
  for (const s of segments) body += s;
  const length = 27 + count + body;
  if (at + length > bytes.length) return null;
  // A granule position of -1 (all bits set) means no packet ends on this page.
  const low = u32(bytes, at + 6);
  const high = u32(bytes, at + 10);
  const granule = low === 0xffffffff && high === 0xffffffff ? -1 : high * 2 ** 32 + low;
  const flags = bytes[at + 5];
  return {
    length,
    granule,
    serial: u32(bytes, at + 14),
    continued: (flags & 1) !== 0,
    bos: (flags & 2) !== 0,
    eos: (flags & 4) !== 0,
    segments,
    bodyOffset: at + 27 + count,
  };
}

// Reassembles packets from pages of one stream (the first one seen); packets may span pages.
export class OggPackets {
  constructor() {
    this.serial = null;
    this.partial = [];
  }

  // Returns the packets completed on this page (each a Uint8Array copy) and the page's granule.
  push(bytes, page) {
    if (this.serial === null) this.serial = page.serial;
    if (page.serial !== this.serial) return [];  // another stream (e.g. a video track): ignored
    if (!page.continued) this.partial = [];
    const packets = [];
    let offset = page.bodyOffset;
    let start = offset;
    for (const size of page.segments) {
      offset += size;
      if (size < 255) {
        this.partial.push(bytes.subarray(start, offset));
        packets.push(concat(this.partial));
        this.partial = [];
        start = offset;
      }
    }
    if (offset > start) this.partial.push(bytes.slice(start, offset));
    return packets;
  }
}

function concat(parts) {
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Xiph lacing of the header packets: their count minus one, the sizes of all but the last
// as runs of 255 plus a remainder, then the packets (Vorbis' WebCodecs description).
function xiphLaced(packets) {
  const sizes = [];
  for (const p of packets.slice(0, -1)) {
    let n = p.length;
    while (n >= 255) {
      sizes.push(255);
      n -= 255;
    }
    sizes.push(n);
  }
  return concat([new Uint8Array([packets.length - 1, ...sizes]), ...packets]);
}

// What the first packet says about the stream: { codec, sampleRate, channels, headerPackets
// (packets before the audio), preSkip (Opus: samples the decoder discards at the start) }.
// Returns null when the codec is not one of Vorbis, Opus or FLAC.
export function oggCodec(first) {
  if (first[0] === 1 && ascii(first, 1, 6) === 'vorbis' && first.length >= 30) {
    return { codec: 'vorbis', channels: first[11], sampleRate: u32(first, 12), headerPackets: 3, preSkip: 0 };
  }
  if (ascii(first, 0, 8) === 'OpusHead' && first.length >= 19) {
    // Opus always decodes at 48 kHz; the header's input rate is only informative.
    return { codec: 'opus', channels: first[9], sampleRate: 48000, headerPackets: 2, preSkip: u16(first, 10) };
  }
  if (first[0] === 0x7f && ascii(first, 1, 4) === 'FLAC' && ascii(first, 9, 4) === 'fLaC' && first.length >= 51) {
    // The mapping's header count (big-endian at 7) excludes this first packet; 0 means unknown.
    const count = (first[7] << 8) | first[8];
    const block = first.subarray(17, 17 + 34);
    const sampleRate = streamInfoRate(block);
    const channels = ((block[12] >> 1) & 7) + 1;
    const description = new Uint8Array(42);
    description.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
    description.set(block, 8);
    return { codec: 'flac', channels, sampleRate, headerPackets: 1 + count, preSkip: 0, description };
  }
  return null;
}

// The WebCodecs description from the header packets.
export function oggDescription(codec, headers) {
  if (codec.codec === 'vorbis') return xiphLaced(headers);
  if (codec.codec === 'opus') return headers[0];
  return codec.description;
}

// The granule position of the last page in `tail` (the file's last bytes), or -1: for Vorbis
// and FLAC the stream's length in samples, for Opus its length at 48 kHz plus the pre-skip.
export function lastGranule(tail) {
  for (let at = tail.length - 27; at >= 0; at -= 1) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== 'OggS') continue;
    try {
      const page = oggPage(tail, at);
      if (page && page.granule >= 0) return page.granule;
    } catch {
      // "OggS" inside a packet: keep looking.
    }
  }
  return -1;
}

// Samples (at 48 kHz) in an Opus packet, from its TOC byte (RFC 6716, section 3.1).
export function opusPacketSamples(packet) {
  if (packet.length === 0) return 0;
  const config = packet[0] >> 3;
  let frameSamples;
  if (config < 12) frameSamples = [480, 960, 1920, 2880][config & 3]; // SILK: 10, 20, 40, 60 ms
  else if (config < 16) frameSamples = [480, 960][config & 1]; // hybrid: 10, 20 ms
  else frameSamples = [120, 240, 480, 960][config & 3]; // CELT: 2.5, 5, 10, 20 ms
  const code = packet[0] & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : packet.length > 1 ? packet[1] & 0x3f : 0;
  return frames * frameSamples;
}
