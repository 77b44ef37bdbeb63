// Talking to the page the way a person would (clicks on the canvas) and reading what it
// shows through window.serDiagnostics (web/main.js, src/app/state/diagnostics.cpp).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';

import { artifactsDir } from './paths.mjs';

const LOAD_TIMEOUT_MS = 20_000;

// Opens the app and waits until it is ready to use (or has shown its fatal message).
export async function openApp(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.serDiagnostics?.ready || window.serDiagnostics?.fatal, null,
    { timeout: LOAD_TIMEOUT_MS });
}

export const moduleState = (page) => page.evaluate(() => window.serDiagnostics.module());
export const microphoneState = (page) => page.evaluate(() => ({ ...window.serDiagnostics.microphone }));

// Resolves after the page has drawn `count` more animation frames.
export const frames = (page, count = 2) => page.evaluate((n) => new Promise((resolve) => {
  const step = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
  step(n);
}), count);

// Polls check(state of the module) until it returns a truthy value, which it returns.
export async function waitForModule(page, what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let state;
  for (;;) {
    state = await moduleState(page);
    const result = check(state);
    if (result) return result;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; module state:\n${JSON.stringify(state, null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Presses the ImGui control the module published under `name`, with real mouse events, one
// frame apart as a hand would be, so ImGui sees hover, press and release. at: where along the
// control's width (0 left edge, 1 right edge), e.g. a slider's end.
export async function clickControl(page, name, { at = 0.5 } = {}) {
  const locate = () => page.evaluate(([n, a]) => {
    const item = window.serDiagnostics.module().items[n];
    if (!item) return null;
    const box = document.getElementById('canvas').getBoundingClientRect();
    return { x: box.left + item.x + item.width * a, y: box.top + item.y + item.height / 2, height: innerHeight };
  }, [name, at]);
  let target = await locate();
  // Below (or above) the window's edge: scroll the interface with the wheel, as a person would.
  for (let tries = 0; target && (target.y < 0 || target.y > target.height) && tries < 20; tries += 1) {
    await page.mouse.move(10, target.height / 2);
    await page.mouse.wheel(0, target.y > target.height ? 120 : -120);
    await frames(page, 3);
    target = await locate();
  }
  assert.ok(target, `the canvas shows no control named '${name}'`);
  await page.mouse.move(target.x, target.y);
  await frames(page);
  await page.mouse.down();
  await frames(page);
  await page.mouse.up();
  await frames(page);
}

export async function saveScreenshot(page, name) {
  await fs.mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  const png = await page.screenshot({ path: file });
  return { file, png };
}

// Presses a control that saves a file and returns the file's text (or bytes with binary).
export async function downloadFrom(page, name, { binary = false } = {}) {
  const download = page.waitForEvent('download', { timeout: 10_000 });
  await clickControl(page, name);
  const file = await (await download).path();
  return { name: (await download).suggestedFilename(), data: await fs.readFile(file, binary ? null : 'utf8') };
}

// A finished clip's downloads ({ name, json, csv }) as the page keeps them (web/clips.js).
export const clipReport = (page, id) => page.evaluate((clip) => window.serDiagnostics.clipReport(clip), id);

// A clip's JSON report but for how long its analysis took: what must not depend on how many
// upload workers analysed it.
export function untimedReport(json) {
  const report = JSON.parse(json);
  delete report.browser.analysis_ms;
  return report;
}
