// Uploaded and dropped files, analysed one at a time in the order given by the upload worker
// (clip-worker.js): the page only queues them, relays the worker's progress and results to
// the module (which shows them), cancels on request and keeps the reports for download.
//
// A file the worker cannot decode itself (a format other than WAV, FLAC, Ogg and MP3, or a
// browser without WebCodecs) is decoded here by the browser's own decoder, at the rate its
// header names, and sent to the worker as audio: that path holds the whole file in memory.

import { sniffSampleRate } from './audio_header.js';

const HEADER_BYTES = 64 * 1024;
const PCM_CHUNK_SECONDS = 1;
// Used when the header names no rate.
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

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class ClipQueue {
  // engine: the module's side (engine.js); worker: the upload worker.
  constructor(engine, worker) {
    this.engine = engine;
    this.worker = worker;
    this.pending = []; // { id, file } not yet sent
    this.current = null; // { id, file, finished: resolve, cancelled }
    this.reports = new Map(); // id → { name, json, csv }
    this.running = false;
    this.worker.addEventListener('message', (event) => this.onWorkerMessage(event.data));
  }

  add(files) {
    for (const file of files) {
      const id = this.engine.clipAdd(file.name, file.size);
      this.pending.push({ id, file });
    }
    if (!this.running) this.run();
  }

  cancel(id) {
    const queued = this.pending.findIndex((c) => c.id === id);
    if (queued >= 0) {
      this.pending.splice(queued, 1);
      this.engine.clipCancelled(id);
    } else if (this.current?.id === id) {
      this.current.cancelled = true;
      this.worker.postMessage({ type: 'cancel', id });
    }
  }

  report(id) { return this.reports.get(id) ?? null; }

  async run() {
    this.running = true;
    while (this.pending.length > 0) {
      const clip = this.pending.shift();
      await new Promise((finished) => {
        this.current = { ...clip, finished, cancelled: false };
        this.worker.postMessage({ type: 'analyse', id: clip.id, file: clip.file });
      });
      this.current = null;
    }
    this.running = false;
  }

  onWorkerMessage(message) {
    const clip = this.current;
    if (!clip || message.id !== clip.id) return;
    switch (message.type) {
      case 'started':
        this.engine.clipStarted(clip.id, message.format, message.sampleRate, message.duration);
        break;
      case 'progress':
        this.engine.clipProgress(clip.id, message.seconds, message.fraction, message.heapBytes);
        break;
      case 'done':
        this.reports.set(clip.id, { name: clip.file.name, json: message.json, csv: message.csv });
        this.engine.clipDone(clip.id, message.json);
        clip.finished();
        break;
      case 'failed':
        this.engine.clipFailed(clip.id, message.message);
        clip.finished();
        break;
      case 'cancelled':
        this.engine.clipCancelled(clip.id);
        clip.finished();
        break;
      case 'unsupported':
        this.decodeOnPage(clip, message.reason);
        break;
      default:
        break;
    }
  }

  // The browser's own decoder, at the rate the header names, then the audio to the worker.
  async decodeOnPage(clip, reason) {
    const { id, file } = clip;
    let audio;
    let format;
    try {
      const header = sniffSampleRate(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
      let rate = header?.sampleRate;
      format = header ? `${header.format} (browser decoder)` : 'browser decoder';
      if (!rate) {
        rate = FALLBACK_RATE;
        format = `no rate in its header: decoded at ${rate} Hz`;
      }
      if (rate < MIN_RATE || rate > MAX_RATE) {
        throw new ClipError(`its sample rate, ${rate} Hz, is outside the ${MIN_RATE} to ${MAX_RATE} Hz browsers can decode`);
      }
      // The context's length is irrelevant to decoding; its rate is the rate decoded to.
      audio = await new OfflineAudioContext(1, 1, rate).decodeAudioData(await file.arrayBuffer());
      if (audio.length === 0) throw new ClipError('holds no audio samples');
    } catch (error) {
      const detail = error instanceof ClipError || error?.name !== 'EncodingError' ? '' : ` (${reason})`;
      this.engine.clipFailed(id, describeClipError(error) + detail);
      clip.finished();
      return;
    }
    const post = (message, transfer) => this.worker.postMessage({ id, ...message }, transfer);
    post({ type: 'analyse-pcm', name: file.name, sampleRate: audio.sampleRate, frames: audio.length, format });
    const chunk = Math.ceil(audio.sampleRate * PCM_CHUNK_SECONDS);
    for (let start = 0; start < audio.length; start += chunk) {
      if (clip.cancelled) break;
      const samples = mixToMono(audio, start, Math.min(chunk, audio.length - start));
      post({ type: 'pcm', samples }, [samples.buffer]);
      await nextTask();
    }
    post({ type: 'pcm-end' });
  }
}

// Frames [start, start + count) of every channel mixed into a new mono buffer, as the CLI
// mixes: summed and divided in double precision.
function mixToMono(audio, start, count) {
  const mono = new Float32Array(count);
  audio.copyFromChannel(mono, 0, start);
  if (audio.numberOfChannels === 1) return mono;
  const sums = Float64Array.from(mono);
  const channel = new Float32Array(count);
  for (let c = 1; c < audio.numberOfChannels; c += 1) {
    audio.copyFromChannel(channel, c, start);
    for (let i = 0; i < count; i += 1) sums[i] += channel[i];
  }
  for (let i = 0; i < count; i += 1) mono[i] = sums[i] / audio.numberOfChannels;
  return mono;
}
