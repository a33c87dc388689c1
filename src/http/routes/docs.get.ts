import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../env.ts';

/**
 * `GET /docs`: the Scalar API reference over /openapi.json, working offline. Scalar's page loads
 * its script from a CDN unless told otherwise; here the service serves the standalone bundle from
 * node_modules itself, turns off web fonts and telemetry, and a Content-Security-Policy keeps the
 * page from reaching any other host.
 */
const STANDALONE_JS = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
const SCRIPT_PATH = '/docs/scalar.js';
const DOCS_CSP = [
  "default-src 'self'",
  // Scalar's page starts itself with one inline script and styles itself inline.
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

let bundle: Buffer | undefined;

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.get(SCRIPT_PATH, (c) => {
    bundle ??= readFileSync(STANDALONE_JS);
    return c.body(new Uint8Array(bundle), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
  });
  app.get(
    '/docs',
    async (c, next) => {
      await next();
      c.res.headers.set('content-security-policy', DOCS_CSP);
    },
    Scalar<AppEnv>({
      url: '/openapi.json',
      cdn: SCRIPT_PATH,
      pageTitle: 'ringwatch API',
      withDefaultFonts: false,
      // Passed through to the bundle, which knows them; the Hono wrapper's types predate them.
      ...({ telemetry: false, agent: { disabled: true }, showDeveloperTools: 'never' } as object),
    }),
  );
}
