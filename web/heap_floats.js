// Handing data to a wasm module: a float buffer in its heap, reused for every block and grown
// only for a bigger one (audio goes in as pointer and count), and strings of any size (ccall
// puts its strings on the module's stack, too small for a model file).

export class HeapFloats {
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

// Calls fn(pointer) with `text` as a NUL-terminated UTF-8 string in the module's heap.
export function withCString(module, text, fn) {
  const bytes = module.lengthBytesUTF8(text) + 1;
  const pointer = module._malloc(bytes);
  if (!pointer) throw new Error(`the module has no memory left for ${bytes} bytes of text`);
  try {
    module.stringToUTF8(text, pointer, bytes);
    return fn(pointer);
  } finally {
    module._free(pointer);
  }
}
