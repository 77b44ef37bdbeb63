// Debian's headless Chromium driven by playwright-core (never a downloaded browser), with
// the fake microphone the tests need. One browser per test, in a throwaway profile.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

// From shared/TOOLCHAIN.md: software WebGL2 works with --disable-gpu; these keep Chromium
// from reaching the network or showing first-run UI.
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// microphone: 'allow' (the fake device plays fakeAudio, a WAV file) or 'deny'.
// inputDevice: false leaves the machine without any microphone (a container has none).
// initScript: runs in the page before any of its scripts.
export async function launchBrowser({
  microphone = 'allow', inputDevice = true, fakeAudio, initScript, viewport, deviceScaleFactor = 1,
} = {}) {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'ser-e2e-'));
  const args = [...BASE_ARGS];
  if (inputDevice) args.push('--use-fake-device-for-media-stream');
  if (microphone === 'allow') args.push('--use-fake-ui-for-media-stream');
  else args.push('--deny-permission-prompts');
  if (fakeAudio) args.push(`--use-file-for-fake-audio-capture=${fakeAudio}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: viewport ?? { width: 1000, height: 720 },
    deviceScaleFactor,
  });
  if (initScript) await context.addInitScript(initScript);
  const page = context.pages()[0] ?? (await context.newPage());
  // Printed when a test fails, to show what the page said.
  const log = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    log,
    close: async () => {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}
