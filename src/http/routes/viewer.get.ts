import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PROJECT_ROOT } from '../../projectRoot.ts';
import type { AppEnv } from '../env.ts';
import { problems } from '../problems.ts';

/**
 * `GET /viewer/`: the ring viewer, a page of the service's own for analysts without a Bloom
 * licence (docs/viewer.md). Its files are what `npm run build` bundled into dist/viewer/
 * (scripts/build-viewer.js); nothing comes from another host, so it works offline.
 *
 * The page holds an API key, so it is served under a policy that lets it run only the service's
 * own script, talk only to the service, send no Referer and be framed by nobody.
 */
const VIEWER_DIR = join(PROJECT_ROOT, 'dist', 'viewer');

export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const contentTypeOf = (name: string): string | undefined => CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];

/** The built files by name, read once: a fixed set, so no request path ever reaches the file system. */
function readBuiltFiles(): Map<string, Uint8Array<ArrayBuffer>> | null {
  try {
    const files = new Map<string, Uint8Array<ArrayBuffer>>();
    for (const name of readdirSync(VIEWER_DIR)) {
      // Copied once into a plain Uint8Array (what a response body takes), not at every request.
      if (contentTypeOf(name)) files.set(name, new Uint8Array(readFileSync(join(VIEWER_DIR, name))));
    }
    return files.has('index.html') ? files : null;
  } catch {
    return null;
  }
}

const VIEWER_HEADERS = {
  'content-security-policy': VIEWER_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  // Files are not content-named: a browser asks again each time (a new build must show at once).
  'cache-control': 'no-cache',
};

/** Registers `/viewer` (a redirect), `/viewer/` (the page) and `/viewer/<file>` (its bundle, styles, source map). */
export function registerViewer(app: OpenAPIHono<AppEnv>): void {
  let files: Map<string, Uint8Array<ArrayBuffer>> | null | undefined;
  const serveFile = (c: Context<AppEnv>, name: string) => {
    files ??= readBuiltFiles();
    // Not cached when absent, so that a build made while serve runs is picked up.
    if (files === null) {
      files = undefined;
      throw problems.viewerNotBuilt();
    }
    const body = files.get(name);
    const type = contentTypeOf(name);
    if (!body || !type) throw problems.notFound(`the viewer has no file ${name}`);
    return c.body(body, 200, { ...VIEWER_HEADERS, 'content-type': type });
  };
  app.get('/viewer', (c) => c.redirect('/viewer/', 308));
  app.get('/viewer/', (c) => serveFile(c, 'index.html'));
  // Any name is looked up in the fixed set (no pattern on the route: the app's 405 check reads
  // route paths without their patterns).
  app.get('/viewer/:file', (c) => serveFile(c, c.req.param('file')));
}
