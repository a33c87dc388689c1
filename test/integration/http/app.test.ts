import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Db } from '../../../src/graph/db.ts';
import { createApp } from '../../../src/http/app.ts';
import { call, problemOf, startHarness, tokenSecret, type Harness } from './harness.ts';

describe('the app: service routes, problems, limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { bodyLimitBytes: 4096, rateLimit: { burst: 3, perSecond: 1 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET /healthz answers without a key', async () => {
    const response = await call(h.app, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });

  it('GET /readyz is 200 while Neo4j answers and a 503 problem when it does not', async () => {
    const ready = await call(h.app, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    const deadDb = new Db({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x' });
    const dead = createApp({ db: deadDb, config: h.config, clock: h.clock.fn, logger: pino({ level: 'silent' }), signingKey: h.signingKey });
    const response = await call(dead, 'GET', '/readyz');
    expect(response.status).toBe(503);
    const problem = await problemOf(response);
    expect(problem.type).toBe('urn:ringwatch:problem:not-ready');
    await deadDb.close();
  });

  it('answers its own request id, quoted in problems, and only echoes a well-formed caller id beside it', async () => {
    const response = await call(h.app, 'GET', '/nope', { headers: { 'x-request-id': 'abc-123' } });
    const ours = response.headers.get('x-request-id');
    expect(ours).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(response.headers.get('x-client-request-id')).toBe('abc-123');
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 404, requestId: ours, instance: '/nope', type: 'urn:ringwatch:problem:not-found' });
    const odd = await call(h.app, 'GET', '/nope', { headers: { 'x-request-id': 'a b;c' } });
    expect(odd.headers.get('x-client-request-id')).toBeNull();
  });


  it('serves an OpenAPI 3.1 document with every route', async () => {
    const response = await call(h.app, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/alerts',
      '/v1/brands/{brand}/verdicts',
      '/v1/referrals/{referralId}/package',
      '/v1/rings',
      '/v1/rings/{ringId}',
      '/v1/rings/{ringId}/closures',
      '/v1/rings/{ringId}/graph',
      '/v1/rings/{ringId}/referrals',
      '/v1/screenings',
      '/v1/transparency',
    ]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(JSON.stringify(doc.paths['/v1/rings/{ringId}/closures'])).toContain('idempotency-key');
    expect(JSON.stringify(doc.paths['/v1/alerts'])).toContain('#/components/schemas/Alert');
    expect((doc.paths['/v1/alerts']?.get as { parameters: { name: string }[] }).parameters.map((p) => p.name).sort()).toEqual(['cursor', 'kind', 'limit', 'since', 'sort']);
  });

  it('renders /docs from its own assets only (no CDN, no web fonts)', async () => {
    const page = await call(h.app, 'GET', '/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/scalar.js"></script>');
    expect(html).toContain('/openapi.json');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await call(h.app, 'GET', '/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('answers an unknown route and a wrong method with a 404 problem', async () => {
    expect((await problemOf(await call(h.app, 'GET', '/v1/nothing-here'))).status).toBe(404);
    expect((await problemOf(await call(h.app, 'DELETE', '/healthz'))).status).toBe(405);
  });

  it('refuses a body over the limit with 413, before authentication reads anything', async () => {
    const token = await h.key('analyst');
    const response = await call(h.app, 'POST', `/v1/rings/${h.market.rings.A}/closures`, {
      token,
      body: { dryRun: true, reason: 'x'.repeat(10_000) },
      headers: { 'idempotency-key': 'k1' },
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:payload-too-large');
  });

  it('rate-limits per key with 429 and Retry-After, and refills with time', async () => {
    const token = await h.key('analyst');
    h.clock.advance(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(h.app, 'GET', '/v1/rings', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call(h.app, 'GET', '/v1/rings', { token });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await problemOf(limited)).type).toBe('urn:ringwatch:problem:rate-limited');
    // Another key has its own bucket.
    expect((await call(h.app, 'GET', '/v1/rings', { token: await h.key('analyst') })).status).toBe(200);
    h.clock.advance(1_000);
    expect((await call(h.app, 'GET', '/v1/rings', { token })).status).toBe(200);
  });

  it('charges a forged token to its sender\'s address, never to the key it names', async () => {
    h.clock.advance(60_000);
    const token = await h.key('brand', { brand: 'Acme' });
    // A forged secret behind the brand key's real id, 70 times from one address.
    const forged = token.replace(tokenSecret(token), 'x'.repeat(tokenSecret(token).length));
    const attacker: number[] = [];
    for (let i = 0; i < 70; i++) attacker.push((await call(h.app, 'GET', '/v1/rings', { token: forged, address: '10.0.0.66' })).status);
    expect(attacker.slice(0, 3)).toEqual([401, 401, 401]);
    expect(new Set(attacker.slice(3))).toEqual(new Set([429]));
    // The brand, from its own address, still has its whole budget.
    const brand: number[] = [];
    for (let i = 0; i < 3; i++) brand.push((await call(h.app, 'GET', '/v1/rings', { token, address: '10.0.0.7' })).status);
    expect(brand).toEqual([200, 200, 200]);
  });

  it('limits tokens with random key ids by address, and a verified key\'s requests do not drain its address', async () => {
    h.clock.advance(60_000);
    const random: number[] = [];
    for (let i = 0; i < 5; i++) random.push((await call(h.app, 'GET', '/v1/rings', { token: `rw_${'k'.repeat(10)}${i}_${'s'.repeat(32)}`, address: '10.0.0.9' })).status);
    expect(random).toEqual([401, 401, 401, 429, 429]);
    // Two real keys behind one address (a marketplace gateway) each get their own budget.
    const [first, second] = [await h.key('analyst'), await h.key('analyst')];
    const statuses: number[] = [];
    for (const token of [first, first, first, second, second, second]) statuses.push((await call(h.app, 'GET', '/v1/rings', { token, address: '10.0.0.10' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
