// "Calibrate to my voice", the page's side: hands the takes the module recorded (or clips the
// person uploaded, decoded in the worker) to the calibration worker, relays its progress and
// answer to the module (src/app/wasm/calibration_bindings.cpp), and swaps the model: the
// adapted one is used live and for uploads, kept in IndexedDB across reloads, downloadable
// as a model file, and one click away from the model it was adapted from.

import { clearAdapted, loadAdapted, saveAdapted } from './adapted_store.js';
import { withCString } from './heap_floats.js';

const baseName = (name) => name.replace(/\.[^.]*$/, '');

export class Calibration {
  // models: { base() → { name, text } | null (the last model loaded that was not adapted
  // here: what adaptation starts from), current() → { name, text, adapted } | null,
  // use(name, text, { adapted }) → bool, shipped() (loads the shipped model again) };
  // download(name, type, data); report(message).
  constructor(module, models, download, report) {
    this.module = module;
    this.models = models;
    this.download = download;
    this.report = report;
    this.pending = null; // the last adaptation's model, { name, text }
    this.uploads = new Map(); // decode id → { name, label }
    this.uploadLabel = 0; // the label the picker was opened for
    this.nextUpload = 1;
    this.worker = new Worker(new URL('./calibration-worker.js', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', ({ data }) => this.onMessage(data));
    this.worker.addEventListener('error', (event) => this.refused(`The calibration worker failed: ${event.message ?? 'it did not start'}`));
    this.picker = Object.assign(document.createElement('input'), { type: 'file', accept: 'audio/*', multiple: true, hidden: true });
    this.picker.addEventListener('change', () => {
      this.addUploads([...this.picker.files], this.uploadLabel);
      this.picker.value = '';
    });
    document.body.append(this.picker);
  }

  // At boot, after the default model: the adapted model kept from an earlier visit.
  async restore() {
    const stored = await loadAdapted();
    if (stored && !this.models.use(stored.name, stored.text, { adapted: true })) await clearAdapted();
  }

  adapt() {
    const base = this.models.base();
    if (!base) {
      this.refused('No model to adapt: load a model first.');
      return;
    }
    const m = this.module;
    const takes = [];
    for (let i = 0; i < m._ser_calibration_takes(); i += 1) {
      const at = m._ser_calibration_take_data(i) / Float32Array.BYTES_PER_ELEMENT;
      const samples = m.HEAPF32.slice(at, at + m._ser_calibration_take_samples(i));
      takes.push({ samples, sampleRate: Math.round(m._ser_calibration_take_rate(i)), label: m._ser_calibration_take_label(i) });
    }
    m._ser_calibration_started();
    this.worker.postMessage({ type: 'adapt', base, takes }, takes.map((t) => t.samples.buffer));
  }

  onMessage(data) {
    const m = this.module;
    switch (data.type) {
      case 'progress': m._ser_calibration_progress(data.done, data.total); break;
      case 'adapted': {
        this.pending = { name: `${baseName(this.models.base()?.name ?? 'model')}.adapted.json`, text: data.model };
        withCString(m, data.summary, (s) => m._ser_calibration_done(s));
        if (JSON.parse(data.summary).better_or_equal) this.useAdapted();
        break;
      }
      case 'refused': this.refused(data.message); break;
      case 'decoded': {
        const { name, label } = this.uploads.get(data.id);
        this.uploads.delete(data.id);
        const pointer = m._malloc(data.samples.length * Float32Array.BYTES_PER_ELEMENT);
        try {
          m.HEAPF32.set(data.samples, pointer / Float32Array.BYTES_PER_ELEMENT);
          withCString(m, name, (n) => m._ser_calibration_add_upload(n, label, pointer, data.samples.length, data.sampleRate));
        } finally {
          m._free(pointer);
        }
        break;
      }
      case 'decode-failed':
        this.uploads.delete(data.id);
        this.refused(data.message);
        break;
      default: break;
    }
  }

  refused(message) {
    withCString(this.module, message, (t) => this.module._ser_calibration_refused(t));
  }

  // Clips for one label (index into the model's labels).
  addUploads(files, label) {
    for (const file of files) {
      const id = this.nextUpload;
      this.nextUpload += 1;
      this.uploads.set(id, { name: file.name, label });
      this.worker.postMessage({ type: 'decode', id, file });
    }
  }

  openPicker(label) {
    this.uploadLabel = label;
    this.picker.click();
  }

  // The last adaptation's model, live and for uploads, and kept for the next visit.
  useAdapted() {
    if (!this.pending || !this.models.use(this.pending.name, this.pending.text, { adapted: true })) return;
    saveAdapted(this.pending).catch((error) => this.report(`the adapted model could not be kept for the next visit: ${error?.message ?? error}`));
  }

  async reset() {
    await clearAdapted();
    await this.models.shipped();
  }

  // Another model file was loaded by hand: it replaces the adapted one, also after a reload.
  forget() { return clearAdapted(); }

  downloadAdapted() {
    const adapted = this.models.current();
    if (adapted?.adapted) this.download(adapted.name, 'application/json', adapted.text);
  }
}
