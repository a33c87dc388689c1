/**
 * Global setup of every test project: suites spawn the real `node bin/ringwatch.js`, which runs
 * the compiled dist/. A dist/ older than src/ is rebuilt here first, once, so that the tests run
 * the code as it now is and as it ships (not old compiled code, nor tsx's fallback).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { distStaleness } from '../../scripts/dist-state.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default function setup(): void {
  const stale = distStaleness(ROOT);
  if (stale === null) return;
  process.stderr.write(`test setup: ${stale}; rebuilding it (npm run build)\n`);
  execFileSync(process.execPath, ['scripts/build.js'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
