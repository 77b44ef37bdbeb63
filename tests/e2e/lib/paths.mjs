// Where the e2e tests find the repository, the built app and their artifacts folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// The folder the app's CMake target writes (./dev build uses build/wasm); SER_WEB_ROOT overrides.
export const webRoot = path.resolve(process.env.SER_WEB_ROOT ?? path.join(repoRoot, 'build/wasm/web'));
export const serveScript = path.join(repoRoot, 'web/serve.mjs');
// Screenshots kept after a run (git-ignored).
export const artifactsDir = path.join(repoRoot, 'tests/e2e/artifacts');
// The corpora and references beside the repository (SER_SHARED_DIR overrides).
export const sharedDir = path.resolve(process.env.SER_SHARED_DIR ?? path.join(repoRoot, '../shared'));
