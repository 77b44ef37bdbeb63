// The node tests' rule for data from ../shared: a missing directory skips the test with a
// message, except under CI, where every test must run and a missing one fails.
import fs from 'node:fs';

export function runningUnderCi() {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

// false when `dir` exists; else the skip message, or (under CI) a thrown error.
export function skipUnlessPresent(dir, why) {
  if (fs.existsSync(dir)) return false;
  if (runningUnderCi()) throw new Error(`${dir} is absent and CI is set: ${why}, and under CI every test must run`);
  return `SKIPPED: ${dir} is absent (${why})`;
}
