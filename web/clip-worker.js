// The upload worker: decodes each uploaded file at its own rate (clip_decoder.js) and
// analyses it as it decodes with the core compiled without graphics (ser_worker.wasm), off
// the page's thread. One clip at a time, in the order the page sends them.
//
// Page → worker: { type: 'model', name, text }, { type: 'analyse', id, file },
//   { type: 'analyse-pcm', id, name, sampleRate, format, duration } then { type: 'pcm', id,
//   samples } ... { type: 'pcm-end', id } (audio the page decoded itself), { type: 'cancel', id }.
// Worker → page: { type: 'model', ok, error }, { type: 'started', id, format, sampleRate,
//   duration }, { type: 'progress', id, seconds, fraction, heapBytes }, { type: 'done', id,
//   json, csv }, { type: 'failed', id, message }, { type: 'cancelled', id },
//   { type: 'unsupported', id, reason } (the page then decodes it and sends PCM).

import createSerWorker from './ser_worker.js';
import { Cancelled, DecodeError, decodeFile, UnsupportedFormat } from './clip_decoder.js';
import { HeapFloats, withCString } from './heap_floats.js';

const PROGRESS_EVERY_MS = 100;

const ready = createSerWorker();
let engine = null;
const cancelled = new Set();
let queue = Promise.resolve();
const pcmClips = new Map(); // id → { fraction per sample } for audio the page decodes

class WorkerEngine {
  constructor(module) {
    this.module = module;
    this.heap = new HeapFloats(module);
  }

  error() { return this.module.UTF8ToString(this.module._ser_worker_error()); }

  setModel(name, text) {
    return withCString(this.module, name, (n) => withCString(this.module, text, (t) => this.module._ser_worker_set_model(n, t))) === 1;
  }

  // duration: the clip's length from its header, 0 when unknown.
  begin(name, sampleRate, duration) {
    if (this.module.ccall('ser_worker_begin', 'number', ['string', 'number', 'number'], [name, sampleRate, duration || 0]) !== 1) {
      throw new DecodeError(this.error());
    }
  }

  push(samples) {
    const pointer = this.heap.write(samples);
    if (this.module._ser_worker_push(pointer, samples.length) !== 1) throw new DecodeError(this.error());
  }

  finish() {
    if (this.module._ser_worker_finish() !== 1) throw new DecodeError(this.error());
    return {
      json: this.module.UTF8ToString(this.module._ser_worker_result_json()),
      csv: this.module.UTF8ToString(this.module._ser_worker_result_csv()),
    };
  }

  cancel() { this.module._ser_worker_cancel(); }
  seconds() { return this.module._ser_worker_seconds(); }
  heapBytes() { return this.module.HEAP8.buffer.byteLength; }
}

function progressReporter(id) {
  let last = 0;
  return (fraction, force = false) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    postMessage({ type: 'progress', id, seconds: engine.seconds(), fraction, heapBytes: engine.heapBytes() });
  };
}

function describe(error) {
  if (error instanceof DecodeError) return error.message;
  if (error?.name === 'EncodingError' || error?.name === 'DataError') {
    return 'could not be decoded: it may be damaged, or in a format this browser cannot read. Try WAV, FLAC, MP3 or OGG.';
  }
  if (error?.name === 'NotReadableError' || error?.name === 'NotFoundError') {
    return 'could not be read: it may have been moved or deleted. Choose it again.';
  }
  return `could not be decoded: ${error?.message ?? error}`;
}

async function analyseFile(id, file) {
  if (cancelled.has(id)) {
    postMessage({ type: 'cancelled', id });
    return;
  }
  const report = progressReporter(id);
  let begun = false;
  try {
    await decodeFile(file, {
      onStart: ({ format, sampleRate, duration }) => {
        engine.begin(file.name, sampleRate, duration);
        begun = true;
        postMessage({ type: 'started', id, format, sampleRate, duration });
      },
      onAudio: (samples) => engine.push(samples),
      onProgress: (fraction) => report(fraction),
      cancelled: () => cancelled.has(id),
    });
    if (!begun) throw new DecodeError('holds no audio');
    report(1, true);
    postMessage({ type: 'done', id, ...engine.finish() });
  } catch (error) {
    engine.cancel();
    if (error instanceof Cancelled) postMessage({ type: 'cancelled', id });
    else if (error instanceof UnsupportedFormat && !begun) postMessage({ type: 'unsupported', id, reason: error.message });
    else postMessage({ type: 'failed', id, message: describe(error) });
  }
}

// Audio the page decoded with the browser's own decoder, arriving in pieces.
function pcmStep(message) {
  const { id } = message;
  try {
    if (message.type === 'analyse-pcm') {
      if (cancelled.has(id)) throw new Cancelled('cancelled');
      engine.begin(message.name, message.sampleRate, message.frames / message.sampleRate);
      pcmClips.set(id, { frames: message.frames, done: 0, report: progressReporter(id) });
      postMessage({ type: 'started', id, format: message.format, sampleRate: message.sampleRate, duration: message.frames / message.sampleRate });
      return;
    }
    const clip = pcmClips.get(id);
    if (!clip) return; // a clip that failed or was cancelled: the rest of its audio is dropped
    if (cancelled.has(id)) throw new Cancelled('cancelled');
    if (message.type === 'pcm') {
      engine.push(message.samples);
      clip.done += message.samples.length;
      clip.report(clip.done / clip.frames);
    } else {
      pcmClips.delete(id);
      clip.report(1, true);
      postMessage({ type: 'done', id, ...engine.finish() });
    }
  } catch (error) {
    pcmClips.delete(id);
    engine.cancel();
    if (error instanceof Cancelled) postMessage({ type: 'cancelled', id });
    else postMessage({ type: 'failed', id, message: describe(error) });
  }
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'cancel') {
    // Not queued: the clip being decoded sees it between two slices.
    cancelled.add(message.id);
    return;
  }
  queue = queue.then(async () => {
    engine ??= new WorkerEngine(await ready);
    switch (message.type) {
      case 'model': {
        const ok = engine.setModel(message.name, message.text);
        postMessage({ type: 'model', ok, error: ok ? '' : engine.error() });
        break;
      }
      case 'analyse': await analyseFile(message.id, message.file); break;
      case 'analyse-pcm':
      case 'pcm':
      case 'pcm-end': pcmStep(message); break;
      default: break;
    }
  }).catch((error) => postMessage({ type: 'failed', id: message.id ?? 0, message: `the upload worker failed: ${error?.message ?? error}` }));
};
