// Uploaded and dropped files, one at a time in the order given: read the file's own sample
// rate from its header, decode it at that rate with Web Audio, mix it to mono and feed it to
// the module in chunks, letting the page draw between chunks.

import { sniffSampleRate } from './audio_header.js';

const HEADER_BYTES = 64 * 1024;
const CHUNK_SECONDS = 1;
// Used when the header names no rate (formats other than WAV, FLAC, Ogg and MP3).
const FALLBACK_RATE = 48000;
// What OfflineAudioContext accepts.
const MIN_RATE = 3000;
const MAX_RATE = 768000;

class ClipError extends Error {}

export function describeClipError(error) {
  if (error instanceof ClipError) return error.message;
  if (error?.name === 'EncodingError') {
    return 'could not be decoded as audio: it may be damaged, or in a format this browser cannot read. ' +
      'Try WAV, FLAC, MP3 or OGG.';
  }
  if (error?.name === 'NotReadableError' || error?.name === 'NotFoundError') {
    return 'could not be read: it may have been moved or deleted. Choose it again.';
  }
  return `could not be decoded: ${error?.message ?? error}`;
}

function decodeAt(bytes, sampleRate) {
  // The context's length is irrelevant to decoding; its rate is the rate decoded to.
  return new OfflineAudioContext(1, 1, sampleRate).decodeAudioData(bytes);
}

// Mixes frames [start, start + out.length) of every channel into out; returns the part used.
function mixToMono(audio, start, out) {
  const mono = out.subarray(0, Math.min(out.length, audio.length - start));
  if (audio.numberOfChannels === 1) {
    audio.copyFromChannel(mono, 0, start);
    return mono;
  }
  mono.fill(0);
  for (let c = 0; c < audio.numberOfChannels; c += 1) {
    const channel = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i += 1) mono[i] += channel[start + i];
  }
  for (let i = 0; i < mono.length; i += 1) mono[i] /= audio.numberOfChannels;
  return mono;
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class ClipFeeder {
  constructor(engine) {
    this.engine = engine;
    this.queue = Promise.resolve();
  }

  add(files) {
    for (const file of files) {
      const id = this.engine.clipAdd(file.name);
      this.queue = this.queue.then(() => this.load(id, file));
    }
  }

  async load(id, file) {
    let audio;
    let note = '';
    try {
      const header = sniffSampleRate(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
      let rate = header?.sampleRate;
      if (!rate) {
        rate = FALLBACK_RATE;
        note = `no sample rate in its header: decoded at ${rate} Hz`;
      }
      if (rate < MIN_RATE || rate > MAX_RATE) {
        throw new ClipError(`its sample rate, ${rate} Hz, is outside the ${MIN_RATE} to ${MAX_RATE} Hz browsers can decode`);
      }
      audio = await decodeAt(await file.arrayBuffer(), rate);
      if (audio.length === 0) throw new ClipError('holds no audio samples');
    } catch (error) {
      this.engine.clipFailed(id, describeClipError(error));
      return;
    }
    if (!this.engine.clipDecoded(id, audio.sampleRate, audio.length, note)) return;
    const chunk = new Float32Array(Math.min(audio.length, Math.ceil(audio.sampleRate * CHUNK_SECONDS)));
    for (let start = 0; start < audio.length; start += chunk.length) {
      if (!this.engine.clipSamples(id, mixToMono(audio, start, chunk), audio.sampleRate)) return;
      await nextTask();
    }
    this.engine.clipFinish(id);
  }
}
