// Boots the page: checks for WebGL2, loads the wasm module (which draws the interface),
// connects the microphone, the file picker and drag-and-drop to it, and publishes
// window.serDiagnostics for tests and debugging.

import createSerApp from './ser_app.js';
import { ClipFeeder } from './clips.js';
import { Engine } from './engine.js';
import { Microphone } from './microphone.js';

const canvas = document.getElementById('canvas');
const notice = document.getElementById('notice');
const fallback = document.getElementById('fallback');
const fileInput = document.getElementById('file-input');

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

async function boot() {
  if (!webgl2Available()) {
    showFatalError(NO_WEBGL2);
    return;
  }
  let microphone = null;
  // What the module calls (src/app/page.cpp). The module runs main() before createSerApp
  // resolves, but only calls the first two after a click, when both objects exist.
  const serPage = {
    requestMicrophone: (on) => (on ? microphone.start() : microphone.stop()),
    openFilePicker: () => fileInput.click(),
    showFatalError,
  };
  const module = await createSerApp({
    canvas,
    serPage,
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
    onAbort: (what) => showFatalError(`The app stopped after an internal error (${what}). Reload the page.`),
  });
  if (diagnostics.fatal) return; // main() could not create its window

  const engine = new Engine(module);
  microphone = new Microphone(engine);
  const clips = new ClipFeeder(engine);
  fileInput.addEventListener('change', () => {
    clips.add([...fileInput.files]);
    fileInput.value = ''; // so choosing the same file again still fires 'change'
  });
  installDropTarget((files) => clips.add(files));
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  const report = (message) => engine.reportError(`page: ${message}`);
  window.addEventListener('error', (event) => report(event.message));
  window.addEventListener('unhandledrejection', (event) => report(String(event.reason?.message ?? event.reason)));

  diagnostics.microphone = microphone.diagnostics;
  diagnostics.module = () => engine.diagnostics();
  // Page coordinates of the centre of a named control drawn on the canvas, or null.
  diagnostics.clickTarget = (name) => {
    const item = engine.diagnostics().items[name];
    if (!item) return null;
    const box = canvas.getBoundingClientRect();
    return { x: box.left + item.x + item.width / 2, y: box.top + item.y + item.height / 2 };
  };
  notice.hidden = true;
  diagnostics.ready = true;
}

boot().catch((error) => showFatalError(`The app could not start: ${error?.message ?? error}`));
