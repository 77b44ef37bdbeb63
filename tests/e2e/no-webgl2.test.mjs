// Issue 3: a browser without WebGL2 gets a readable HTML message instead of a blank canvas.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startPage } from './lib/start-page.mjs';

// Runs before the page's scripts: every canvas refuses to give a WebGL2 context, as on a
// machine where WebGL is blocked or unsupported.
function withoutWebGL2() {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    return type === 'webgl2' ? null : getContext.call(this, type, ...rest);
  };
}

test('without WebGL2 the page shows its fallback message', async (t) => {
  const { page } = await startPage(t, { model: null, open: 'app', initScript: withoutWebGL2 });

  const fallback = page.locator('#fallback');
  assert.ok(await fallback.isVisible(), 'the fallback message should be visible');
  const text = await fallback.innerText();
  t.diagnostic(text);
  assert.match(text, /WebGL2/);
  assert.match(text, /settings/, 'the message should say what to do');
  assert.equal(await page.locator('#canvas').isVisible(), false, 'no empty canvas in its place');
  assert.equal(await page.locator('#notice').isVisible(), false, 'no endless "Loading"');
  assert.equal(await page.evaluate(() => window.serDiagnostics.ready), false);
});
