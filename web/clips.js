// Uploaded and dropped files, analysed by a pool of upload workers (clip-worker.js): the page
// queues them, hands each to an idle worker in the order given, relays the workers' progress
// and results to the module (which shows them), cancels on request and keeps the reports for
// download. Several clips are analysed at once, one per worker. A long clip of a model whose
// frames are frame-local is split instead: it waits for every worker, each decodes all of it
// and classifies its share of the windows, and one worker merges the shares, so the reports
// equal one worker's bit for bit (tests/e2e/long-upload.test.mjs, upload-pool.test.mjs).
//
// A file the worker cannot decode itself (a format other than WAV, FLAC, Ogg and MP3, or a
// browser without WebCodecs) is decoded here by the browser's own decoder, at the rate its
// header names, and sent to one worker as audio: that path holds the whole file in memory.

import { sniffSampleRate } from './audio_header.js';
import { describeDecodeError } from './clip_decoder.js';

const HEADER_BYTES = 64 * 1024;
const PCM_CHUNK_SECONDS = 1;
// Used when the header names no rate.
const FALLBACK_RATE = 48000;
// What OfflineAudioContext accepts.
const MIN_RATE = 3000;
const MAX_RATE = 768000;

class ClipError extends Error {}

function describeClipError(error) {
  return error instanceof ClipError ? error.message : describeDecodeError(error);
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// Files at least this large are split across the pool: about 4 minutes of 16 kHz 16-bit WAV,
// 9 minutes of 128 kbit/s MP3. Any clip gives the same results split or not; a split costs
// each worker a decoding of the whole file, so short clips go whole to one worker.
const SPLIT_MIN_BYTES = 8 * 1024 * 1024;

export class ClipQueue {
  // engine: the module's side (engine.js); workers: the upload workers (at least one).
  constructor(engine, workers) {
    this.engine = engine;
    this.slots = workers.map((worker) => ({ worker, clip: null }));
    this.splits = false; // whether the workers' model splits long clips (they say so when it loads)
    this.modelAnswers = null; // workers that answered the last model sent (null: none sent)
    this.pending = []; // { id, file } not yet sent
    this.reports = new Map(); // id → { name, json, csv }
    this.stats = { split: 0, mostAtOnce: 0 }; // clips split so far; most clips analysed at once
    workers.forEach((worker, slot) => worker.addEventListener('message', (event) => this.onWorkerMessage(slot, event.data)));
  }

  add(files) {
    for (const file of files) {
      const id = this.engine.clipAdd(file.name, file.size);
      // No decoder has anything to say about zero bytes; the CLI says the same.
      if (file.size === 0) this.engine.clipFailed(id, 'the file is empty (0 bytes): choose the recording itself');
      else this.pending.push({ id, file });
    }
    this.dispatch();
  }

  cancel(id) {
    const queued = this.pending.findIndex((c) => c.id === id);
    if (queued >= 0) {
      this.pending.splice(queued, 1);
      this.engine.clipCancelled(id);
      return;
    }
    const clip = this.slots.map((s) => s.clip).find((c) => c?.id === id && !c.ended);
    if (!clip) return;
    clip.cancelled = true;
    for (const slot of this.slotsOf(clip)) slot.worker.postMessage({ type: 'cancel', id });
  }

  report(id) { return this.reports.get(id) ?? null; }

  // Sends every worker the model; clips wait for all answers, which say whether to split.
  setModel(name, text) {
    this.modelAnswers = 0;
    for (const slot of this.slots) slot.worker.postMessage({ type: 'model', name, text });
  }

  slotsOf(clip) { return this.slots.filter((s) => s.clip === clip); }

  // Starts queued clips, in order, on idle workers: a clip to be split waits for all of them.
  dispatch() {
    if (this.modelAnswers !== null && this.modelAnswers < this.slots.length) return;
    while (this.pending.length > 0) {
      const idle = this.slots.filter((s) => !s.clip);
      const { id, file } = this.pending[0];
      const split = this.splits && this.slots.length > 1 && file.size >= SPLIT_MIN_BYTES;
      if (idle.length === 0 || (split && idle.length < this.slots.length)) return;
      this.pending.shift();
      const clip = { id, file, cancelled: false, ended: false, started: false, pageDecoding: null,
        shares: split ? this.slots.length : 0, parts: [], progress: new Map() };
      if (split) {
        this.stats.split += 1;
        this.slots.forEach((slot, index) => {
          slot.clip = clip;
          slot.worker.postMessage({ type: 'analyse', id, file, share: { index, count: clip.shares } });
        });
      } else {
        idle[0].clip = clip;
        idle[0].worker.postMessage({ type: 'analyse', id, file });
      }
      const atOnce = new Set(this.slots.filter((s) => s.clip && !s.clip.ended).map((s) => s.clip.id)).size;
      this.stats.mostAtOnce = Math.max(this.stats.mostAtOnce, atOnce);
    }
  }

  // The clip's end, told to the module once; the workers still busy with it are stopped.
  end(clip, tell) {
    if (clip.ended) return;
    clip.ended = true;
    tell();
    for (const slot of this.slotsOf(clip)) slot.worker.postMessage({ type: 'cancel', id: clip.id });
  }

  release(slot) {
    slot.clip = null;
    this.dispatch();
  }

  onWorkerMessage(index, message) {
    const slot = this.slots[index];
    if (message.type === 'model') {
      if (message.ok) this.splits = message.splits;
      this.modelAnswers += 1;
      this.dispatch();
      return;
    }
    const clip = slot.clip;
    if (!clip || message.id !== clip.id) return;
    switch (message.type) {
      case 'started':
        // A split clip starts once; a clip the page decodes again, from its one worker.
        if (clip.ended) break;
        if (!clip.started || clip.pageDecoding === slot) this.engine.clipStarted(clip.id, message.format, message.sampleRate, message.duration);
        clip.started = true;
        break;
      case 'progress':
        if (clip.ended) break;
        // Shares decode the same file side by side: the clip is as far as the slowest (a share
        // not heard from yet is at its start), so the progress never goes back.
        clip.progress.set(index, message);
        if (clip.shares && clip.progress.size < clip.shares) {
          this.engine.clipProgress(clip.id, 0, 0, message.heapBytes);
        } else {
          const reports = [...clip.progress.values()];
          this.engine.clipProgress(clip.id, Math.min(...reports.map((p) => p.seconds)),
            Math.min(...reports.map((p) => p.fraction)), Math.max(...reports.map((p) => p.heapBytes)));
        }
        break;
      case 'share-done':
        clip.parts[message.index] = message.bytes;
        if (!clip.ended && clip.parts.filter(Boolean).length === clip.shares) {
          // The last share's worker merges them all (it stays with the clip until done).
          slot.worker.postMessage({ type: 'merge', id: clip.id, name: clip.file.name, parts: clip.parts }, clip.parts);
          break;
        }
        this.release(slot);
        break;
      case 'done':
        this.end(clip, () => {
          this.reports.set(clip.id, { name: clip.file.name, json: message.json, csv: message.csv });
          this.engine.clipDone(clip.id, message.json);
        });
        this.release(slot);
        break;
      case 'failed':
        this.end(clip, () => this.engine.clipFailed(clip.id, message.message));
        this.release(slot);
        break;
      case 'cancelled':
        this.end(clip, () => this.engine.clipCancelled(clip.id));
        this.release(slot);
        break;
      case 'unsupported':
        // One worker takes the audio the page decodes; the clip's other shares stop.
        if (clip.ended || clip.pageDecoding) {
          this.release(slot);
          break;
        }
        clip.pageDecoding = slot;
        for (const other of this.slotsOf(clip)) {
          if (other === slot) continue;
          other.worker.postMessage({ type: 'cancel', id: clip.id });
          other.clip = { ...clip, ended: true }; // its answer only frees the worker
        }
        clip.shares = 0;
        clip.progress.clear();
        this.decodeOnPage(clip, slot, message.reason);
        break;
      default:
        break;
    }
  }

  // The browser's own decoder, at the rate the header names, then the audio to the worker.
  async decodeOnPage(clip, slot, reason) {
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
      this.end(clip, () => this.engine.clipFailed(id, describeClipError(error) + detail));
      this.release(slot);
      return;
    }
    const post = (message, transfer) => slot.worker.postMessage({ id, ...message }, transfer);
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
