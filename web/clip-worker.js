// An upload worker: decodes each uploaded file at its own rate (clip_decoder.js) and
// analyses it as it decodes with the core compiled without graphics (ser_worker.wasm), off
// the page's thread. One clip at a time, in the order the page sends them. The page runs a
// pool of these (clips.js): a long clip is split into shares, each worker decoding all of it
// but classifying only its share of the windows, and one worker merges the shares.
//
// Page → worker: { type: 'model', name, text }, { type: 'analyse', id, file, share } (share:
//   { index, count }, or absent for the whole clip), { type: 'analyse-pcm', id, name,
//   sampleRate, format, duration } then { type: 'pcm', id, samples } ... { type: 'pcm-end', id }
//   (audio the page decoded itself), { type: 'merge', id, name, parts } (the shares' bytes),
//   { type: 'cancel', id }.
// Worker → page: { type: 'model', ok, error, splits }, { type: 'started', id, format,
//   sampleRate, duration }, { type: 'progress', id, seconds, fraction, heapBytes },
//   { type: 'done', id, json, csv }, { type: 'share-done', id, index, bytes },
//   { type: 'failed', id, message }, { type: 'cancelled', id },
//   { type: 'unsupported', id, reason } (the page then decodes it and sends PCM).

import createSerWorker from './ser_worker.js';
import { Cancelled, DecodeError, decodeFile, describeDecodeError, UnsupportedFormat } from './clip_decoder.js';
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

  // Whether the model's clips can be split into shares across workers.
  splits() { return this.module._ser_worker_splits() === 1; }

  // duration: the clip's length from its header, 0 when unknown; share: { index, count }.
  begin(name, sampleRate, duration, share = { index: 0, count: 1 }) {
    const types = ['string', 'number', 'number', 'number', 'number'];
    if (this.module.ccall('ser_worker_begin', 'number', types, [name, sampleRate, duration || 0, share.index, share.count]) !== 1) {
      throw new DecodeError(this.error());
    }
  }

  push(samples) {
    const pointer = this.heap.write(samples);
    if (this.module._ser_worker_push(pointer, samples.length) !== 1) throw new DecodeError(this.error());
  }

  finish() {
    if (this.module._ser_worker_finish() !== 1) throw new DecodeError(this.error());
    return this.reports();
  }

  // A share's windows, as bytes for the worker that merges the clip.
  finishShare() {
    if (this.module._ser_worker_finish() !== 1) throw new DecodeError(this.error());
    const at = this.module._ser_worker_result_bytes();
    return this.module.HEAPU8.slice(at, at + this.module._ser_worker_result_size()).buffer;
  }

  merge(name, parts) {
    this.module._ser_worker_merge_begin();
    for (const part of parts) {
      const bytes = new Uint8Array(part);
      const pointer = this.module._malloc(bytes.length);
      if (!pointer) throw new Error(`the module has no memory left for a share of ${bytes.length} bytes`);
      try {
        this.module.HEAPU8.set(bytes, pointer);
        if (this.module._ser_worker_merge_add(pointer, bytes.length) !== 1) throw new Error(this.error());
      } finally {
        this.module._free(pointer);
      }
    }
    if (withCString(this.module, name, (n) => this.module._ser_worker_merge_finish(n)) !== 1) throw new Error(this.error());
    return this.reports();
  }

  reports() {
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

async function analyseFile(id, file, share) {
  if (cancelled.has(id)) {
    postMessage({ type: 'cancelled', id });
    return;
  }
  const report = progressReporter(id);
  let begun = false;
  try {
    await decodeFile(file, {
      onStart: ({ format, sampleRate, duration }) => {
        engine.begin(file.name, sampleRate, duration, share);
        begun = true;
        postMessage({ type: 'started', id, format, sampleRate, duration });
      },
      onAudio: (samples) => engine.push(samples),
      onProgress: (fraction) => report(fraction),
      cancelled: () => cancelled.has(id),
    });
    if (!begun) throw new DecodeError('holds no audio');
    report(1, true);
    if (share) {
      const bytes = engine.finishShare();
      postMessage({ type: 'share-done', id, index: share.index, bytes }, [bytes]);
    } else {
      postMessage({ type: 'done', id, ...engine.finish() });
    }
  } catch (error) {
    engine.cancel();
    if (error instanceof Cancelled) postMessage({ type: 'cancelled', id });
    else if (error instanceof UnsupportedFormat && !begun) postMessage({ type: 'unsupported', id, reason: error.message });
    else postMessage({ type: 'failed', id, message: describeDecodeError(error) });
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
    else postMessage({ type: 'failed', id, message: describeDecodeError(error) });
  }
}

// A split clip's shares, merged into the reports one worker would have written.
function merge({ id, name, parts }) {
  if (cancelled.has(id)) {
    postMessage({ type: 'cancelled', id });
    return;
  }
  try {
    postMessage({ type: 'done', id, ...engine.merge(name, parts) });
  } catch (error) {
    postMessage({ type: 'failed', id, message: `its shares could not be merged: ${error?.message ?? error}` });
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
        postMessage({ type: 'model', ok, error: ok ? '' : engine.error(), splits: engine.splits() });
        break;
      }
      case 'analyse': await analyseFile(message.id, message.file, message.share); break;
      case 'merge': merge(message); break;
      case 'analyse-pcm':
      case 'pcm':
      case 'pcm-end': pcmStep(message); break;
      default: break;
    }
  }).catch((error) => postMessage({ type: 'failed', id: message.id ?? 0, message: `the upload worker failed: ${error?.message ?? error}` }));
};
