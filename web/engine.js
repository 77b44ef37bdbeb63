// The page's side of the functions the interface module exports (src/app/wasm/bindings.cpp):
// audio is copied into the module's heap and handed over as (pointer, count, sample rate).

import { HeapFloats, withCString } from './heap_floats.js';

export class Engine {
  constructor(module) {
    this.module = module;
    this.micHeap = new HeapFloats(module);
  }

  // Validates and selftests a model file; false when it was refused (the UI says why).
  loadModel(name, text) {
    return withCString(this.module, name, (n) => withCString(this.module, text, (t) => this.module._ser_model_load(n, t))) === 1;
  }

  modelMissing(message) {
    this.module.ccall('ser_model_missing', null, ['string'], [message]);
  }

  // state: 'off' | 'starting' | 'running' | 'stopping' | 'failed'
  micState(state, sampleRate = 0, message = '') {
    this.module.ccall('ser_mic_state', null, ['string', 'number', 'string'], [state, sampleRate, message]);
  }

  micSamples(samples, sampleRate) {
    const pointer = this.micHeap.write(samples);
    this.module._ser_mic_samples(pointer, samples.length, sampleRate);
  }

  // The microphone session's first minutes as a WAV file (bytes).
  micRecording() {
    const size = this.module._ser_mic_recording_prepare();
    const at = this.module._ser_mic_recording_data();
    return this.module.HEAPU8.slice(at, at + size);
  }

  // Uploads. clipAdd returns the clip's id; it shows as queued until clipStarted.
  clipAdd(name, bytes) {
    return this.module.ccall('ser_clip_add', 'number', ['string', 'number'], [name, bytes]);
  }

  clipStarted(id, format, sampleRate, duration) {
    this.module.ccall('ser_clip_started', null, ['number', 'string', 'number', 'number'], [id, format, sampleRate, duration || 0]);
  }

  clipProgress(id, seconds, fraction, heapBytes) {
    this.module._ser_clip_progress(id, seconds, fraction, heapBytes);
  }

  clipDone(id, reportJson) {
    withCString(this.module, reportJson, (json) => this.module._ser_clip_done(id, json));
  }

  clipFailed(id, message) {
    this.module.ccall('ser_clip_failed', null, ['number', 'string'], [id, message]);
  }

  clipCancelled(id) {
    this.module._ser_clip_cancelled(id);
  }

  // Mouse wheel in lines (positive: up/left).
  scroll(xLines, yLines) {
    this.module._ser_scroll(xLines, yLines);
  }

  reportError(message) {
    this.module.ccall('ser_report_error', null, ['string'], [message]);
  }

  diagnostics() {
    return JSON.parse(this.module.UTF8ToString(this.module._ser_diagnostics()));
  }

  liveTimeline() {
    return JSON.parse(this.module.UTF8ToString(this.module._ser_live_timeline()));
  }
}
