// `npm run build` (and `prepare`, so `npm ci` runs it): compiles src/ to dist/ with
// tsconfig.build.json, from an empty dist/ so that a module removed from src/ leaves nothing
// behind, bundles the ring viewer (src/viewer/, browser code) into dist/viewer/ with esbuild, then
// stamps the build so that bin/ringwatch.js can tell a current dist/ from a stale one.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from './dist-state.js';
import { buildViewer } from './build-viewer.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  // No stamp: bin/ringwatch.js keeps treating dist/ as stale rather than running half a build.
  process.stderr.write(`build: tsc failed (exit ${compiled.status ?? compiled.signal}); dist/ is not usable\n`);
  process.exit(1);
}
try {
  const { jsBytes } = await buildViewer(root);
  process.stderr.write(`build: ring viewer bundled into dist/viewer/ (${(jsBytes / 1024).toFixed(0)} KiB of JavaScript)\n`);
} catch (error) {
  process.stderr.write(`build: bundling the ring viewer failed: ${error.message}; dist/ is not usable\n`);
  process.exit(1);
}
// Dated when compilation started, so that an edit made while tsc ran still counts as newer.
const stamp = join(root, BUILD_STAMP);
writeFileSync(stamp, `built by scripts/build.js from src/, started ${new Date(started).toISOString()}\n`);
utimesSync(stamp, started / 1000, started / 1000);
process.stderr.write(`build: src/ compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
