// The test suites read CI and SER_SHARED from the environment (tests/support). A wasm module
// under node has an environment of its own, so these two are handed over before main runs.
Module['preRun'] = [].concat(Module['preRun'] || [], () => {
  for (const name of ['CI', 'SER_SHARED']) {
    if (process.env[name] !== undefined) ENV[name] = process.env[name];
  }
});
