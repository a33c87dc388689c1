// Bundles the ring viewer (src/viewer/: browser code, its page and its style sheet) into
// dist/viewer/, which `ringwatch serve` serves at /viewer/ (src/http/routes/viewer.get.ts). One
// script, minified, no CDN: the page works offline and its Content-Security-Policy allows 'self' only.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The files a browser loads, besides the bundle: copied as they are. */
const STATIC_FILES = ['index.html', 'viewer.css'];

/** Builds dist/viewer/ from src/viewer/ under `root`; resolves with the bytes of JavaScript shipped. */
export async function buildViewer(root) {
  const source = join(root, 'src', 'viewer');
  const out = join(root, 'dist', 'viewer');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(source, 'main.ts')],
    outfile: join(out, 'viewer.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
    // sigma's `events` dependency reads process.env.NODE_ENV in places.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const file of STATIC_FILES) copyFileSync(join(source, file), join(out, file));
  return { jsBytes: statSync(join(out, 'viewer.js')).size };
}
