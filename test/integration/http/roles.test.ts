import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_ROUTES } from '../../../src/http/routes/table.ts';
import { revokeApiKey } from '../../../src/keys/apiKeys.ts';
import { ROLES, type Role } from '../../../src/keys/principal.ts';
import { describeCaller, refusalsOf, type Caller } from '../../support/roleMatrix.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';

/** A request each /v1 route would serve to a caller it admits; the rings sell Acme (ring A also Zeta). */
interface Sample {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The same route asked for another brand's or agency's thing (the callers are Acme's and NCA's). */
  scoped?: { otherBrand?: { status: 403 | 404; type: string }; otherAgency?: { status: 403 | 404; type: string } };
}

describe('the role matrix: every /v1 route refuses exactly the callers its declared roles exclude', () => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const samples = new Map<string, Sample>();
  let n = 0;

  beforeAll(async () => {
    h = await startHarness();
    const { A: RING_A, C: RING_C } = h.market.rings;
    for (const role of ROLES) tokens.set(role, await h.key(role, role === 'brand' ? { brand: 'Acme' } : role === 'agency' ? { agency: 'NCA' } : {}));
    tokens.set('otherBrand', await h.key('brand', { brand: 'Zeta' }));
    tokens.set('otherAgency', await h.key('agency', { agency: 'FBI' }));
    const revoked = await h.key('analyst');
    await revokeApiKey(h.db, revoked.split('_')[1] as string, h.clock.fn);
    tokens.set('revoked', revoked);
    const referral = await call(h.app, 'POST', `/v1/rings/${RING_A}/referrals`, {
      token: tokens.get('analyst'),
      body: { agency: 'NCA', caseReference: 'OP-ROLES-1' },
      headers: { 'idempotency-key': 'roles-referral' },
    });
    const { referralId } = (await referral.json()) as { referralId: string };
    const notFound = { status: 404 as const, type: 'urn:ringwatch:problem:ring-not-found' };
    samples.set('GET /v1/rings', { path: '/v1/rings?brand=Acme', scoped: { otherBrand: { status: 403, type: 'urn:ringwatch:problem:brand-scope' } } });
    samples.set('GET /v1/rings/{ringId}', { path: `/v1/rings/${RING_C}`, scoped: { otherBrand: notFound } });
    samples.set('GET /v1/rings/{ringId}/graph', { path: `/v1/rings/${RING_A}/graph` });
    samples.set('POST /v1/rings/{ringId}/closures', { path: `/v1/rings/${RING_A}/closures`, body: { dryRun: true, reason: 'role matrix' } });
    samples.set('POST /v1/rings/{ringId}/referrals', { path: `/v1/rings/${RING_A}/referrals`, body: { agency: 'NCA', caseReference: 'OP-ROLES-2' } });
    samples.set('GET /v1/referrals/{referralId}/package', { path: `/v1/referrals/${referralId}/package`, scoped: { otherAgency: { status: 404, type: 'urn:ringwatch:problem:referral-not-found' } } });
    samples.set('POST /v1/screenings', { path: '/v1/screenings', body: { paymentAccounts: ['6222 0000 1111'] } });
    // A list scoped to its reader: another brand or agency is answered with its own (empty) list, not refused.
    samples.set('GET /v1/alerts', { path: '/v1/alerts?kind=recidivism' });
    samples.set('POST /v1/brands/{brand}/verdicts', { path: '/v1/brands/Acme/verdicts', body: { listingIds: ['L-A1'], verdict: 'counterfeit' }, scoped: { otherBrand: { status: 403, type: 'urn:ringwatch:problem:brand-scope' } } });
  });
  afterAll(async () => {
    await h.close();
  });

  const ask = (key: string, sample: Sample, method: string) => {
    const headers = { ...sample.headers, ...(method === 'POST' ? { 'idempotency-key': `roles-${++n}` } : {}) };
    return call(h.app, method, sample.path, { token: key === 'none' ? undefined : tokens.get(key), body: sample.body, headers });
  };
  const keyOf = (caller: Caller) => (caller.kind === 'role' ? caller.role : caller.kind);

  it('has a sample request for every keyed /v1 route', () => {
    const keyed = V1_ROUTES.filter((r) => r.roles !== 'public').map((r) => `${r.method} ${r.path}`);
    expect(keyed.filter((route) => !samples.has(route))).toEqual([]);
  });

  for (const route of V1_ROUTES.filter((r) => r.roles !== 'public')) {
    const name = `${route.method} ${route.path}`;
    it(`${name}: refuses every caller outside ${JSON.stringify(route.roles)}, lets the others in`, async () => {
      const sample = samples.get(name) as Sample;
      for (const refusal of refusalsOf(route.roles, sample.scoped)) {
        const response = await ask(keyOf(refusal.caller), sample, route.method);
        expect(response.status, `${name} for ${describeCaller(refusal.caller)}`).toBe(refusal.status);
        expect((await problemOf(response)).type, `${name} for ${describeCaller(refusal.caller)}`).toBe(refusal.type);
      }
      for (const role of route.roles as readonly Role[]) {
        const response = await ask(role, sample, route.method);
        expect(response.status, `${name} for a ${role} key: ${await response.clone().text()}`.slice(0, 300)).toBeLessThan(300);
      }
    });
  }
});
