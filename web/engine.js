// The page's side of the functions the wasm module exports (src/app/bindings.cpp): audio is
// copied into the module's heap and handed over as (pointer, count, sample rate).

// A float buffer in the wasm heap, reused for every block and grown only for a bigger one.
class HeapFloats {
  constructor(module) {
    this.module = module;
    this.pointer = 0;
    this.capacity = 0;
  }

  write(samples) {
    if (samples.length > this.capacity) {
      if (this.pointer) this.module._free(this.pointer);
      this.pointer = this.module._malloc(samples.length * Float32Array.BYTES_PER_ELEMENT);
      if (!this.pointer) throw new Error(`the module has no memory left for ${samples.length} samples`);
      this.capacity = samples.length;
    }
    // HEAPF32 must be read after any allocation: memory growth replaces the view.
    this.module.HEAPF32.set(samples, this.pointer / Float32Array.BYTES_PER_ELEMENT);
    return this.pointer;
  }
}

export class Engine {
  constructor(module) {
    this.module = module;
    this.micHeap = new HeapFloats(module);
    this.clipHeap = new HeapFloats(module);
  }

  // state: 'off' | 'starting' | 'running' | 'stopping' | 'failed'
  micState(state, sampleRate = 0, message = '') {
    this.module.ccall('ser_mic_state', null, ['string', 'number', 'string'], [state, sampleRate, message]);
  }

  micSamples(samples, sampleRate) {
    const pointer = this.micHeap.write(samples);
    this.module._ser_mic_samples(pointer, samples.length, sampleRate);
  }

  // Returns the clip's id; the clip shows as "decoding" until clipDecoded.
  clipAdd(name) {
    return this.module.ccall('ser_clip_add', 'number', ['string'], [name]);
  }

  // The clip methods below return false when the module refused the step and marked the clip
  // failed (the reason is on its row); the caller then stops feeding that clip.
  clipDecoded(id, sampleRate, sampleCount, note = '') {
    return this.module.ccall('ser_clip_decoded', 'number', ['number', 'number', 'number', 'string'],
      [id, sampleRate, sampleCount, note]) === 1;
  }

  clipSamples(id, samples, sampleRate) {
    const pointer = this.clipHeap.write(samples);
    return this.module._ser_clip_samples(id, pointer, samples.length, sampleRate) === 1;
  }

  clipFinish(id) {
    return this.module._ser_clip_finish(id) === 1;
  }

  clipFailed(id, message) {
    this.module.ccall('ser_clip_failed', null, ['number', 'string'], [id, message]);
  }

  reportError(message) {
    this.module.ccall('ser_report_error', null, ['string'], [message]);
  }

  diagnostics() {
    return JSON.parse(this.module.UTF8ToString(this.module._ser_diagnostics()));
  }
}
