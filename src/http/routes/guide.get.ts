import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { PROJECT_ROOT } from '../../projectRoot.ts';
import type { AppEnv } from '../env.ts';

/**
 * `GET /guide`: the Neo4j Browser guide (browser-guide/ringwatch.html), for `:play
 * http://localhost:8080/guide` in Browser. Browser fetches a guide from its own origin with
 * `pragma` and `cache-control` headers, so the answer carries CORS headers and a preflight is
 * answered, as browser-guide/serve.mjs does for the stand-alone case. (The app's
 * Cross-Origin-Resource-Policy: same-origin does not stand in the way: it governs no-cors loads,
 * and Browser's fetch is a CORS request.)
 */
const GUIDE_FILE = join(PROJECT_ROOT, 'browser-guide', 'ringwatch.html');

export const GUIDE_CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'pragma, cache-control, content-type, x-ajax-browser-auth, x-stream',
  'access-control-max-age': '600',
};

/** Registers `GET /guide` and its CORS preflight. */
export function registerGuide(app: OpenAPIHono<AppEnv>): void {
  let guide: Buffer | undefined;
  app.options('/guide', (c) => c.body(null, 204, GUIDE_CORS_HEADERS));
  app.get('/guide', (c) => {
    guide ??= readFileSync(GUIDE_FILE);
    return c.body(new Uint8Array(guide), 200, { ...GUIDE_CORS_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  });
}
