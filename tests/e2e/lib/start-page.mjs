// One test's app: the server (web/serve.mjs), a browser and its page, all closed after the
// test, with what the page logged printed when it logged anything.
import { openApp, waitForModule } from './app.mjs';
import { launchBrowser } from './browser.mjs';
import { serveModel } from './model.mjs';
import { startServer } from './server.mjs';

// model: serveModel's options, or null to leave the server's own models/ alone.
// open: 'ready' opens the app and waits for the model to load, 'app' only opens it, null
// leaves the page blank (for a test that opens it itself).
// The rest are launchBrowser's options.
export async function startPage(t, { model = {}, open = 'ready', ...browserOptions } = {}) {
  const server = await startServer();
  t.after(server.stop);
  const browser = await launchBrowser(browserOptions);
  t.after(browser.close);
  t.after(() => { if (browser.log.length) t.diagnostic(browser.log.join('\n')); });
  if (model) await serveModel(browser.context, model);
  const { page, context } = browser;
  if (open) await openApp(page, server.url);
  if (open === 'ready') await waitForModule(page, 'the model to load', (m) => m.model.status === 'ready' && m);
  return { server, browser, page, context };
}
