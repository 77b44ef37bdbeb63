// The microphone: getUserMedia → an AudioContext at the device's own rate → the batching
// AudioWorklet (mic-worklet.js) → the wasm module. Every state change is reported to the
// module, which shows it; failures become messages a person can act on.

// The worklet posts about this often; ~20 ms keeps latency low and crossings few.
const BLOCK_SECONDS = 0.02;
const RENDER_QUANTUM = 128;
// How long stop() waits for the worklet's last block before closing anyway.
const FLUSH_TIMEOUT_MS = 1000;

export function describeMicrophoneError(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this page in the browser\'s site ' +
        'settings, then press Start microphone again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one (or enable it in the system settings), then press ' +
        'Start microphone again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be opened: another program may be using it. Close that ' +
        'program, then press Start microphone again.';
    default:
      return `The microphone could not be started: ${error?.message ?? error}`;
  }
}

function blockFrames(sampleRate) {
  return Math.max(1, Math.round((sampleRate * BLOCK_SECONDS) / RENDER_QUANTUM)) * RENDER_QUANTUM;
}

export class Microphone {
  constructor(engine) {
    this.engine = engine;
    this.session = null;
    // Counted on the page's side of the worklet: tests compare them with the module's count.
    this.diagnostics = { contextRate: 0, blockFrames: 0, receivedFrames: 0, blocks: 0, workletConsumed: null, workletDelivered: null };
  }

  async start() {
    if (this.session) return;
    const session = { stream: null, context: null, node: null, flushed: null };
    this.session = session;
    // stop() may run during any await below; it releases what exists then, and this releases the rest.
    const abandoned = async () => {
      if (this.session === session) return false;
      await this.release(session);
      return true;
    };
    this.engine.micState('starting');
    try {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw new Error('this page has no access to microphones here (it must be served over https or from localhost)');
      }
      session.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      if (await abandoned()) return;
      const track = session.stream.getAudioTracks()[0];
      // Run the context at the device's rate: no browser resampling before ours (and Firefox
      // refuses to connect a microphone to a context at another rate).
      const deviceRate = track.getSettings().sampleRate;
      session.context = deviceRate ? new AudioContext({ sampleRate: deviceRate }) : new AudioContext();
      await session.context.audioWorklet.addModule(new URL('./mic-worklet.js', import.meta.url));
      if (await abandoned()) return;
      const rate = session.context.sampleRate;
      const frames = blockFrames(rate);
      Object.assign(this.diagnostics, {
        contextRate: rate, blockFrames: frames, receivedFrames: 0, blocks: 0, workletConsumed: null, workletDelivered: null,
      });
      session.node = new AudioWorkletNode(session.context, 'ser-mic-batcher', {
        numberOfInputs: 1,
        numberOfOutputs: 0, // a sink: the context keeps pulling it without a path to the speakers
        processorOptions: { blockFrames: frames },
      });
      session.flushed = new Promise((resolve) => {
        session.node.port.onmessage = (event) => this.onWorkletMessage(session, event.data, resolve);
      });
      track.addEventListener('ended', () => {
        if (this.session === session) this.stop('The microphone was disconnected.');
      });
      // The module must be running before the first block can arrive.
      this.engine.micState('running', rate);
      session.context.createMediaStreamSource(session.stream).connect(session.node);
      await session.context.resume();
    } catch (error) {
      if (await abandoned()) return;
      this.session = null;
      await this.release(session);
      this.engine.micState('failed', 0, describeMicrophoneError(error));
    }
  }

  // message: set when the microphone went away by itself, shown as a failure.
  async stop(message = '') {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.engine.micState('stopping');
    if (session.node) {
      session.node.port.postMessage({ type: 'flush' });
      await Promise.race([session.flushed, new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS))]);
    }
    await this.release(session);
    this.engine.micState(message ? 'failed' : 'off', 0, message);
  }

  onWorkletMessage(session, data, resolveFlushed) {
    if (data.type === 'samples') {
      this.diagnostics.receivedFrames += data.samples.length;
      this.diagnostics.blocks += 1;
      this.engine.micSamples(data.samples, session.context.sampleRate);
    } else if (data.type === 'flushed') {
      this.diagnostics.workletConsumed = data.consumed;
      this.diagnostics.workletDelivered = data.delivered;
      resolveFlushed();
    }
  }

  async release(session) {
    session.node?.disconnect();
    session.stream?.getTracks().forEach((track) => track.stop());
    if (session.context && session.context.state !== 'closed') await session.context.close();
  }
}
