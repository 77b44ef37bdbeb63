// Reads the sample rate an audio file was recorded at from its header (WAV, FLAC, Ogg
// Vorbis/Opus/FLAC, MP3), so that the page can decode it at that very rate: decodeAudioData
// resamples to its context's rate, and the resampling must be ours (as in the CLI).
// Pure: bytes in, { format, sampleRate } or null out, for any input. No DOM, so node tests it.

import { ascii, u32le } from './bytes.js';
import { streamInfoRate } from './flac_format.js';
import { firstMp3Frame, skipId3v2 } from './mp3_format.js';
import { oggCodec, OggError, oggPage } from './ogg_format.js';
import { wavChunks, wavContainer } from './wav_format.js';

function wav(b) {
  if (!wavContainer(b)) return null;
  for (const { id, body } of wavChunks(b)) {
    if (id === 'fmt ') return body + 8 <= b.length ? { format: 'wav', sampleRate: u32le(b, body + 4) } : null;
  }
  return null;
}

function flac(b) {
  const at = skipId3v2(b);
  if (ascii(b, at, 4) !== 'fLaC' || (b[at + 4] & 0x7f) !== 0) return null; // STREAMINFO comes first
  return { format: 'flac', sampleRate: streamInfoRate(b.subarray(at + 8, at + 8 + 34)) };
}

function ogg(b) {
  if (ascii(b, 0, 4) !== 'OggS') return null;
  try {
    const page = oggPage(b, 0);
    if (!page || page.segments.length === 0) return null;
    const codec = oggCodec(b.subarray(page.bodyOffset, page.bodyOffset + page.segments[0]));
    return codec ? { format: `ogg-${codec.codec}`, sampleRate: codec.sampleRate } : null;
  } catch (e) {
    if (e instanceof OggError) return null;
    throw e;
  }
}

// Only the first 16 KiB: a longer search of data that is not MP3 more often meets byte pairs
// that merely look like frames.
const MP3_SEARCH_BYTES = 16384;
function mp3(b) {
  const found = firstMp3Frame(b, MP3_SEARCH_BYTES);
  return found ? { format: 'mp3', sampleRate: found.frame.sampleRate } : null;
}

// bytes: the start of the file (64 KiB is plenty). Returns null when no known header is found
// or it names no usable rate.
export function sniffSampleRate(bytes) {
  const found = wav(bytes) ?? flac(bytes) ?? ogg(bytes) ?? mp3(bytes);
  return found && found.sampleRate > 0 ? found : null;
}
