// Reads the sample rate an audio file was recorded at from its header (WAV, FLAC, Ogg
// Vorbis/Opus/FLAC, MP3), so that the page can decode it at that very rate: decodeAudioData
// resamples to its context's rate, and the resampling must be ours (as in the CLI).
// Pure: bytes in, { format, sampleRate } or null out, for any input. No DOM, so node tests it.

const ascii = (b, at, n) => (at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '');
const u32le = (b, at) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

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

function wav(b) {
  const container = ascii(b, 0, 4);
  if (!['RIFF', 'RF64', 'BW64'].includes(container) || ascii(b, 8, 4) !== 'WAVE') return null;
  for (let at = 12; at + 8 <= b.length;) {
    const size = u32le(b, at + 4);
    if (ascii(b, at, 4) === 'fmt ') return at + 16 <= b.length ? { format: 'wav', sampleRate: u32le(b, at + 12) } : null;
    at += 8 + size + (size & 1); // chunks are padded to even sizes
  }
  return null;
}

// STREAMINFO's 20-bit sample rate starts 10 bytes into its data.
function streamInfoRate(b, data) {
  return data + 13 <= b.length ? (b[data + 10] << 12) | (b[data + 11] << 4) | (b[data + 12] >> 4) : 0;
}

function flac(b) {
  const at = skipId3v2(b);
  if (ascii(b, at, 4) !== 'fLaC' || (b[at + 4] & 0x7f) !== 0) return null; // STREAMINFO comes first
  return { format: 'flac', sampleRate: streamInfoRate(b, at + 8) };
}

function ogg(b) {
  if (ascii(b, 0, 4) !== 'OggS' || b.length < 27) return null;
  const packet = 27 + b[26]; // after the page header and its segment table
  if (b[packet] === 1 && ascii(b, packet + 1, 6) === 'vorbis') {
    return packet + 16 <= b.length ? { format: 'ogg-vorbis', sampleRate: u32le(b, packet + 12) } : null;
  }
  // Opus always decodes at 48 kHz; its header's input rate is only informative.
  if (ascii(b, packet, 8) === 'OpusHead') return { format: 'ogg-opus', sampleRate: 48000 };
  if (b[packet] === 0x7f && ascii(b, packet + 1, 4) === 'FLAC' && ascii(b, packet + 9, 4) === 'fLaC') {
    return { format: 'ogg-flac', sampleRate: streamInfoRate(b, packet + 17) };
  }
  return null;
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

// A frame counts only when the next frame follows where its length says, at the same rate:
// two bytes that merely look like a sync word are common in other data.
const MP3_SEARCH_BYTES = 16384;
function mp3(b) {
  const start = skipId3v2(b);
  for (let at = start; at < Math.min(b.length, start + MP3_SEARCH_BYTES); at += 1) {
    const frame = mp3Frame(b, at);
    if (!frame) continue;
    const next = mp3Frame(b, at + frame.length);
    if (next && next.sampleRate === frame.sampleRate) return { format: 'mp3', sampleRate: frame.sampleRate };
  }
  return null;
}

// bytes: the start of the file (64 KiB is plenty). Returns null when no known header is found
// or it names no usable rate.
export function sniffSampleRate(bytes) {
  const found = wav(bytes) ?? flac(bytes) ?? ogg(bytes) ?? mp3(bytes);
  return found && found.sampleRate > 0 ? found : null;
}
