// Boots the page: checks for WebGL2, loads the interface module (which draws everything)
// and the default model, starts the upload workers, connects the microphone, the file
// pickers, drag-and-drop and downloads, and publishes window.serDiagnostics for tests and
// debugging.

import createSerApp from './ser_app.js';
import { Calibration } from './calibration.js';
import { ClipQueue } from './clips.js';
import { Engine } from './engine.js';
import { Microphone } from './microphone.js';

const canvas = document.getElementById('canvas');
const notice = document.getElementById('notice');
const fallback = document.getElementById('fallback');
const fileInput = document.getElementById('file-input');
const modelInput = document.getElementById('model-input');

// The model the app starts with: weights/default.json, copied here by the build.
const DEFAULT_MODEL = 'models/default.json';

const NO_WEBGL2 =
  'This browser could not start WebGL2, which the interface needs to draw. Turn on hardware ' +
  'acceleration (or WebGL) in the browser\'s settings, or use a current Chrome, Edge or Firefox.';

// Read by tests and by anyone debugging from the console. module() is the wasm side's state:
// levels, sample counts, messages, and where its buttons are on the canvas (CSS pixels).
const diagnostics = {
  ready: false,
  fatal: null,
  microphone: null,
  module: () => null,
  liveTimeline: () => null,
  clickTarget: () => null,
};
window.serDiagnostics = diagnostics;

function showFatalError(message) {
  diagnostics.fatal = message;
  document.getElementById('fallback-message').textContent = message;
  fallback.hidden = false;
  canvas.hidden = true;
  notice.hidden = true;
}

function webgl2Available() {
  try {
    return document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

function installDropTarget(onFiles) {
  let depth = 0; // dragenter/dragleave fire for every child element crossed
  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes('Files');
  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) document.body.classList.remove('dragging');
  });
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    onFiles([...event.dataTransfer.files]);
  });
}

// Saves `data` as a file in the user's downloads.
function download(name, type, data) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const baseName = (name) => name.replace(/\.[^.]*$/, '');

// Upload workers: one per core up to a cap (each holds the model, about 10-50 MB), or the
// count the address asks for (?upload-workers=1 analyses as a single worker did).
const MAX_UPLOAD_WORKERS = 4;
function uploadWorkerCount() {
  const asked = Number(new URLSearchParams(window.location.search).get('upload-workers'));
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 2 * MAX_UPLOAD_WORKERS);
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_UPLOAD_WORKERS));
}

// The default model, for the interface module and the upload worker.
async function loadDefaultModel(useModel, engine) {
  let response;
  try {
    response = await fetch(DEFAULT_MODEL, { cache: 'no-cache' });
  } catch (error) {
    engine.modelMissing(`${DEFAULT_MODEL} could not be fetched (${error?.message ?? error}).`);
    return;
  }
  if (!response.ok) {
    engine.modelMissing(`${DEFAULT_MODEL} was not found on the server (HTTP ${response.status}).`);
    return;
  }
  useModel('default.json', await response.text());
}

async function boot() {
  if (!webgl2Available()) {
    showFatalError(NO_WEBGL2);
    return;
  }
  let microphone = null;
  let clips = null;
  let engine = null;
  let calibration = null;
  // What the module calls (src/app/wasm/page.cpp). The module runs main() before createSerApp
  // resolves, but calls these only after a click, when every object exists.
  const serPage = {
    requestMicrophone: (on) => (on ? microphone.start() : microphone.stop()),
    openFilePicker: () => fileInput.click(),
    openModelPicker: () => modelInput.click(),
    cancelClip: (id) => clips.cancel(id),
    downloadClip: (id, format) => {
      const report = clips.report(id);
      if (!report) return;
      if (format === 'csv') download(`${baseName(report.name)}.ser.csv`, 'text/csv', report.csv);
      else download(`${baseName(report.name)}.ser.json`, 'application/json', report.json);
    },
    saveMicRecording: () => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      download(`ser-microphone-${stamp}.wav`, 'audio/wav', engine.micRecording());
    },
    showFatalError,
    calibrationAdapt: () => calibration.adapt(),
    useAdaptedModel: () => calibration.useAdapted(),
    resetModel: () => calibration.reset(),
    downloadAdaptedModel: () => calibration.downloadAdapted(),
    openCalibrationPicker: (label) => calibration.openPicker(label),
  };
  const module = await createSerApp({
    canvas,
    serPage,
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
    onAbort: (what) => showFatalError(`The app stopped after an internal error (${what}). Reload the page.`),
  });
  if (diagnostics.fatal) return; // main() could not create its window

  engine = new Engine(module);
  const workers = Array.from({ length: uploadWorkerCount() }, () => {
    const worker = new Worker(new URL('./clip-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('error', (event) => engine.reportError(`upload worker: ${event.message ?? 'it failed to start'}`));
    worker.addEventListener('message', ({ data }) => {
      if (data.type === 'model' && !data.ok) engine.reportError(`upload worker: the model was refused: ${data.error}`);
    });
    return worker;
  });
  microphone = new Microphone(engine);
  clips = new ClipQueue(engine, workers);
  // The model in use and the last one that was not adapted (what calibration starts from and
  // resets to). Every upload worker gets the model through the queue.
  let current = null;
  let base = null;
  const useModel = (name, text, { adapted = false } = {}) => {
    if (!engine.loadModel(name, text)) return false;
    clips.setModel(name, text);
    current = { name, text, adapted };
    if (!adapted) base = current;
    return true;
  };
  const shipped = () => loadDefaultModel(useModel, engine);
  calibration = new Calibration(module, { base: () => base, current: () => current, use: useModel, shipped }, download,
    (message) => engine.reportError(`page: ${message}`));
  fileInput.addEventListener('change', () => {
    clips.add([...fileInput.files]);
    fileInput.value = ''; // so choosing the same file again still fires 'change'
  });
  modelInput.addEventListener('change', async () => {
    const [file] = modelInput.files;
    modelInput.value = '';
    if (file && useModel(file.name, await file.text())) await calibration.forget();
  });
  installDropTarget((files) => clips.add(files));
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  // Emscripten 3.1.6's GLFW hands ImGui the browser's raw wheel deltas (pixels, and the sign
  // browsers use), which scrolls the interface the wrong way and far too far. Taken here first
  // (capture on window runs before GLFW's listener on the canvas) and sent in lines.
  window.addEventListener('wheel', (event) => {
    if (event.target !== canvas) return;
    event.stopPropagation();
    event.preventDefault();
    const toLines = [1 / 40, 1, 10][event.deltaMode] ?? 1; // pixels, lines, pages
    engine.scroll(-event.deltaX * toLines, -event.deltaY * toLines);
  }, { capture: true, passive: false });
  const report = (message) => engine.reportError(`page: ${message}`);
  window.addEventListener('error', (event) => report(event.message));
  window.addEventListener('unhandledrejection', (event) => report(String(event.reason?.message ?? event.reason)));

  diagnostics.microphone = microphone.diagnostics;
  diagnostics.module = () => engine.diagnostics();
  diagnostics.liveTimeline = () => engine.liveTimeline();
  // The upload pool: its size, how many clips it split, the most it analysed at once.
  diagnostics.uploadPool = () => ({ workers: workers.length, ...clips.stats });
  // A finished clip's downloads ({ name, json, csv }), as the buttons would save them.
  diagnostics.clipReport = (id) => clips.report(id);
  // Page coordinates of the centre of a named control drawn on the canvas, or null.
  diagnostics.clickTarget = (name) => {
    const item = engine.diagnostics().items[name];
    if (!item) return null;
    const box = canvas.getBoundingClientRect();
    return { x: box.left + item.x + item.width / 2, y: box.top + item.y + item.height / 2 };
  };
  await loadDefaultModel(useModel, engine);
  await calibration.restore().catch((error) => engine.reportError(`page: the adapted model kept in this browser could not be read: ${error?.message ?? error}`));
  notice.hidden = true;
  diagnostics.ready = true;
}

boot().catch((error) => showFatalError(`The app could not start: ${error?.message ?? error}`));
