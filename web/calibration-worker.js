// The calibration worker: "Calibrate to my voice" off the page's thread. It runs its own
// instance of the upload worker's module (ser_worker.wasm, src/app/wasm/adapt_bindings.cpp):
// the takes become the model's features as `ser adapt` computes them, then the core's
// adapt_model() runs on them. It also decodes clips uploaded for calibration.
//
// Page → worker: { type: 'adapt', base: { name, text }, takes: [{ samples, sampleRate, label }] },
//   { type: 'decode', id, file }.
// Worker → page: { type: 'progress', done, total }, { type: 'adapted', model, summary },
//   { type: 'refused', message }, { type: 'decoded', id, samples, sampleRate },
//   { type: 'decode-failed', id, message }.

import createSerWorker from './ser_worker.js';
import { decodeFile } from './clip_decoder.js';
import { HeapFloats, withCString } from './heap_floats.js';

const ready = createSerWorker({ onAdaptProgress: (done, total) => postMessage({ type: 'progress', done, total }) });
let queue = Promise.resolve();

function adapt(module, { base, takes }) {
  const error = () => module.UTF8ToString(module._ser_adapt_error());
  const ok = withCString(module, base.name, (n) => withCString(module, base.text, (t) => module._ser_adapt_begin(n, t)));
  if (ok !== 1) return { type: 'refused', message: `The model could not be adapted: ${error()}` };
  const heap = new HeapFloats(module);
  for (const take of takes) {
    if (module._ser_adapt_add(heap.write(take.samples), take.samples.length, take.sampleRate, take.label) !== 1) {
      return { type: 'refused', message: error() };
    }
  }
  if (module._ser_adapt_run() !== 1) return { type: 'refused', message: error() };
  return {
    type: 'adapted',
    model: module.UTF8ToString(module._ser_adapt_model_json()),
    summary: module.UTF8ToString(module._ser_adapt_summary_json()),
  };
}

// The whole file as mono samples at its own rate (uploads for calibration are short).
async function decode({ id, file }) {
  const pieces = [];
  let sampleRate = 0;
  try {
    await decodeFile(file, { onStart: (info) => { sampleRate = info.sampleRate; }, onAudio: (s) => pieces.push(s.slice()) });
  } catch (error) {
    return { type: 'decode-failed', id, message: `${file.name} could not be decoded (${error?.message ?? error}): use WAV, FLAC, MP3 or OGG` };
  }
  const samples = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    samples.set(p, at);
    at += p.length;
  }
  return { type: 'decoded', id, samples, sampleRate };
}

self.onmessage = ({ data }) => {
  queue = queue.then(async () => {
    const module = await ready;
    if (data.type === 'adapt') postMessage(adapt(module, data));
    else if (data.type === 'decode') {
      const answer = await decode(data);
      postMessage(answer, answer.samples ? [answer.samples.buffer] : []);
    }
  }).catch((error) => postMessage({ type: 'refused', message: `The calibration worker failed: ${error?.message ?? error}` }));
};
