#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci`'s prepare step, or `npm run build`): it answers
// in a fraction of the time tsx takes to transpile the source tree at every start.
//
// A dist/ older than src/ would silently run old code, so this checks first (one stat call per
// file of src/, about 2 ms): when dist/ is missing or stale it says so on stderr and runs the
// sources through tsx instead, slower but current. An install without src/
// (a packed or Docker build) runs dist/ as it is. The test setup rebuilds a stale dist/ before the
// suites start, so the tests run what ships.
import { fileURLToPath } from 'node:url';
import { distStaleness } from '../scripts/dist-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const stale = distStaleness(root);
if (stale === null) {
  await import('../dist/cli/main.js');
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`ringwatch: ${stale}, and tsx (a dev dependency) is not installed to run src/: run npm run build\n`);
    process.exit(1);
  }
  process.stderr.write(`ringwatch: ${stale}; running src/ through tsx (slow start). npm run build brings dist/ up to date\n`);
  register();
  await import('../src/cli/main.ts');
}
