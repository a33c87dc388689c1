import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWER_CSP } from '../../../src/http/routes/viewer.get.ts';
import { freshDb } from '../../support/db.ts';
import { appOver, call, problemOf, type AppHarness } from './harness.ts';

/**
 * How the app serves the ring viewer's built files (dist/viewer, made by the build that the test
 * setup runs) and the Browser guide; the page itself is tested in a browser (test/browser).
 */
describe('the viewer and guide files', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = appOver(await freshDb());
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the page and its bundle under the viewer policy, without a key', async () => {
    const redirect = await call(h.app, 'GET', '/viewer');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/viewer/');
    const page = await call(h.app, 'GET', '/viewer/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(VIEWER_CSP);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="viewer.js"></script>');
    const script = await call(h.app, 'GET', '/viewer/viewer.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect((await call(h.app, 'GET', '/viewer/viewer.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers a file the build did not make, or a path that climbs out, with a 404 problem', async () => {
    for (const path of ['/viewer/nothing.js', '/viewer/..%2Fpackage.json', '/viewer/%2e%2e%2f%2e%2e%2fpackage.json', '/viewer/../package.json', '/viewer/a/b.js']) {
      const response = await call(h.app, 'GET', path);
      expect(response.status, path).toBe(404);
      expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:not-found');
    }
  });

  it('serves the Browser guide at /guide with the CORS Browser needs, and its preflight', async () => {
    const guide = await call(h.app, 'GET', '/guide', { headers: { origin: 'http://localhost:7474' } });
    expect(guide.status).toBe(200);
    expect(guide.headers.get('access-control-allow-origin')).toBe('*');
    expect(await guide.text()).toBe(readFileSync('browser-guide/ringwatch.html', 'utf8'));
    const preflight = await call(h.app, 'OPTIONS', '/guide', { headers: { origin: 'http://localhost:7474', 'access-control-request-method': 'GET', 'access-control-request-headers': 'pragma, cache-control' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/pragma.*cache-control/);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });
});
