import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.ts';
import { graphCounts } from './graphCounts.ts';
import { call, problemOf, startHarness, tokenSecret, type Harness } from './harness.ts';

/** Ids a hostile caller might send: SQL and Cypher fragments, NUL, path tricks, sheer length. */
const HOSTILE = [
  "' OR 1=1",
  "' OR 1=1 --",
  '%00',
  'R-AAAAAAAA%00',
  'x}) DETACH DELETE n //',
  "R-AAAAAAAA'}) MATCH (n) DETACH DELETE n //",
  '$ringId',
  '..%2F..%2Fetc%2Fpasswd',
  'R-'.padEnd(5000, 'A'),
  '<script>alert(1)</script>',
  'r-aaaaaaaa',
];

describe('hostile input: always a 4xx problem, never a change to the graph', () => {
  let h: Harness;
  let analyst: string;
  let acme: string;
  let nca: string;
  let RING_A: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_A = h.market.rings.A;
    analyst = await h.key('analyst');
    acme = await h.key('brand', { brand: 'Acme' });
    nca = await h.key('agency', { agency: 'NCA' });
  });
  afterAll(async () => {
    await h.close();
  });

  const expectRefusedWithoutChange = async (requests: (() => Promise<Response>)[]) => {
    const before = await graphCounts(h.db);
    for (const request of requests) {
      const response = await request();
      expect(response.status, `${response.status} ${await response.clone().text()}`.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      await problemOf(response);
    }
    expect(await graphCounts(h.db)).toEqual(before);
  };

  it.each(HOSTILE)('ring id %s', async (raw) => {
    const id = raw.includes('%') ? raw : encodeURIComponent(raw);
    const body = { dryRun: false, reason: 'x' };
    await expectRefusedWithoutChange([
      () => call(h.app, 'GET', `/v1/rings/${id}`, { token: analyst }),
      () => call(h.app, 'GET', `/v1/rings/${id}`, { token: acme }),
      () => call(h.app, 'GET', `/v1/rings/${id}/graph`, { token: analyst }),
      () => call(h.app, 'POST', `/v1/rings/${id}/closures`, { token: analyst, body, headers: { 'idempotency-key': 'k' } }),
      () => call(h.app, 'POST', `/v1/rings/${id}/referrals`, { token: analyst, body: { agency: 'NCA', caseReference: 'c' }, headers: { 'idempotency-key': `ref-${Math.random()}` } }),
      () => call(h.app, 'GET', `/v1/referrals/${id}/package`, { token: nca }),
      () => call(h.app, 'POST', `/v1/brands/${id}/verdicts`, { token: acme, body: { listingIds: ['L-A1'], verdict: 'counterfeit' } }),
      () => call(h.app, 'GET', `/v1/rings?cursor=${id}`, { token: analyst }),
      () => call(h.app, 'GET', `/v1/rings?brand=${id}`, { token: acme }),
    ]);
  });

  it('hostile values inside bodies and headers', async () => {
    const closures = `/v1/rings/${RING_A}/closures`;
    await expectRefusedWithoutChange([
      ...HOSTILE.map((id) => () => call(h.app, 'POST', closures, { token: analyst, body: { dryRun: false, reason: 'x', sellerIds: [id] }, headers: { 'idempotency-key': 'k2' } })),
      ...HOSTILE.map((id) => () => call(h.app, 'POST', '/v1/brands/Acme/verdicts', { token: acme, body: { listingIds: [id], verdict: 'counterfeit' } })),
      () => call(h.app, 'POST', closures, { token: analyst, body: { dryRun: false, reason: 'x' }, headers: { 'idempotency-key': 'x'.repeat(5000) } }),
      () => call(h.app, 'POST', closures, { token: analyst, body: { dryRun: false, reason: 'x' }, headers: { 'idempotency-key': 'a b' } }),
      () => call(h.app, 'POST', closures, { token: analyst, body: { dryRun: false, reason: 'x', __proto__: { admin: true }, sellerIds: { $ne: null } } as unknown, headers: { 'idempotency-key': 'k3' } }),
      () => call(h.app, 'POST', closures, { token: analyst, body: '[]', headers: { 'idempotency-key': 'k4' } }),
      () => call(h.app, 'POST', closures, { token: analyst, body: 'null', headers: { 'idempotency-key': 'k5' } }),
      () => call(h.app, 'POST', `/v1/rings/${RING_A}/referrals`, { token: analyst, body: { agency: 'NCA', caseReference: 'c\u0000' }, headers: { 'idempotency-key': `ref-${Math.random()}` } }),
    ]);
  });

  it('refuses a key given twice with 400, a charset other than UTF-8 with 415, a wrong method with 405 and Allow', async () => {
    const closures = `/v1/rings/${RING_A}/closures`;
    const before = await graphCounts(h.db);
    // JSON.parse keeps the last copy: this body would have been a real closure.
    const twice = await call(h.app, 'POST', closures, { token: analyst, body: '{"dryRun":true,"reason":"x","dryRun":false}', headers: { 'idempotency-key': 'dup-1' } });
    expect(twice.status).toBe(400);
    expect(await problemOf(twice)).toMatchObject({ type: 'urn:ringwatch:problem:duplicate-key', field: 'body.dryRun' });
    const nested = await call(h.app, 'POST', '/v1/brands/Acme/verdicts', { token: acme, body: '{"listingIds":["L-A1"],"verdict":"genuine","evidence":{"a":1,"a":2}}' });
    expect(nested.status).toBe(400);
    for (const charset of ['utf-16', 'UTF-16LE', 'iso-8859-1']) {
      const response = await call(h.app, 'POST', closures, { token: analyst, body: { dryRun: false, reason: 'x' }, headers: { 'idempotency-key': `cs-${charset}`, 'content-type': `application/json; charset=${charset}` } });
      expect(response.status, charset).toBe(415);
      expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:unsupported-media-type');
    }
    for (const [method, path, allow] of [
      ['DELETE', '/healthz', 'GET, HEAD'],
      ['PUT', `/v1/rings/${RING_A}`, 'GET, HEAD'],
      ['GET', closures, 'POST'],
      ['DELETE', '/v1/rings', 'GET, HEAD'],
    ] as const) {
      const response = await call(h.app, method, path, { token: analyst });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:method-not-allowed');
    }
    expect((await call(h.app, 'GET', '/v1/nothing-here', { token: analyst })).status).toBe(404);
    expect(await graphCounts(h.db)).toEqual(before);
    // UTF-8, said outright, is JSON as usual.
    const utf8 = await call(h.app, 'POST', closures, { token: analyst, body: { dryRun: true, reason: 'x' }, headers: { 'idempotency-key': 'cs-utf8', 'content-type': 'application/json; charset=UTF-8' } });
    expect(utf8.status).toBe(200);
  });

  it('hostile and foreign tokens', async () => {
    await expectRefusedWithoutChange(
      ["' OR 1=1", 'rw_aaaaaaaaaaaa_x}) DETACH DELETE n //', `rw_${'a'.repeat(12)}_${'A'.repeat(43)}`, 'x'.repeat(5000)].map(
        (token) => async () => h.app.request(`/v1/rings/${RING_A}`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
  });

  it('keeps tokens, bodies and query strings out of the logs', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ db: h.db, config: h.config, clock: h.clock.fn, logger, signingKey: h.signingKey });
    await call(app, 'GET', `/v1/rings/${RING_A}`, { token: analyst });
    await call(app, 'GET', '/v1/rings?brand=SecretBrandQuery', { token: analyst });
    await call(app, 'POST', `/v1/rings/${RING_A}/closures`, { token: analyst, body: { dryRun: true, reason: 'reason-with-personal-data +8613800138000' }, headers: { 'idempotency-key': 'log-k' } });
    await call(app, 'GET', '/v1/rings', { token: 'rw_aaaaaaaaaaaa_' + 'Z'.repeat(43) });
    const log = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(log).not.toContain(tokenSecret(analyst));
    expect(log).not.toContain('Z'.repeat(43));
    expect(log).not.toContain('SecretBrandQuery');
    expect(log).not.toContain('8613800138000');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ msg: 'request', method: 'GET', route: '/v1/rings/:ringId', status: 200, requestId: expect.any(String) });
  });
});
