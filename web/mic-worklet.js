// AudioWorklet processor (audio thread): mixes the microphone to mono and batches the
// 128-frame render quanta into blocks of about 20 ms, so the main thread and the wasm module
// are crossed 50 times a second instead of 375.

class MicBatcher extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.block = new Float32Array(options.processorOptions.blockFrames);
    this.filled = 0;
    this.consumed = 0; // frames taken from the microphone
    this.delivered = 0; // frames posted to the main thread (equal to consumed once flushed)
    this.stopped = false;
    // 'flush' ends the session: post the partial block, then the total, then stop.
    this.port.onmessage = (event) => {
      if (event.data?.type !== 'flush' || this.stopped) return;
      this.post();
      this.stopped = true;
      this.port.postMessage({ type: 'flushed', consumed: this.consumed, delivered: this.delivered });
    };
  }

  process(inputs) {
    if (this.stopped) return false;
    const channels = inputs[0];
    if (channels.length === 0) return true; // not connected yet
    const frames = channels[0].length;
    const scale = 1 / channels.length;
    this.consumed += frames;
    for (let i = 0; i < frames; i += 1) {
      let sum = 0;
      for (const channel of channels) sum += channel[i];
      this.block[this.filled] = sum * scale;
      this.filled += 1;
      if (this.filled === this.block.length) this.post();
    }
    return true;
  }

  post() {
    if (this.filled === 0) return;
    // A fresh copy is transferred (not cloned) so the main thread owns it outright.
    const samples = this.block.slice(0, this.filled);
    this.port.postMessage({ type: 'samples', samples }, [samples.buffer]);
    this.delivered += this.filled;
    this.filled = 0;
  }
}

registerProcessor('ser-mic-batcher', MicBatcher);
