import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRingCursor } from '../../../src/http/cursor.ts';
import type { Dossier, RingGraph } from '../../../src/dossier/schema.ts';
import { FACTOR_NAMES } from '../../../src/vocabulary.ts';
import { graphCounts } from './graphCounts.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';
import { DETECTION_TIMES, HUB_SELLERS, UNKNOWN_RING } from './market.ts';

interface Page {
  items: { ringId: string; riskScore: number; flagged: boolean; size: number; brands: string[]; status: string }[];
  nextCursor: string | null;
}

/** Keys as ingest normalised them from the market's files (market.ts). */
const KEYS = {
  paymentAccount: '6222020200112233',
  phone: '+8613800138000',
  carrierAccount: 'SF:99887766',
  returnAddress: 'CN|shenzhen|88 huaqiang road|block:5 room:1201',
  fulfilmentCentre: 'CN|dongguan|fulfilment centre 1 18 logistics park road|',
};

describe('GET /v1/rings', () => {
  let h: Harness;
  let analyst: string;
  let acme: string;
  let zeta: string;
  let RING_A: string, RING_B: string, RING_C: string, RING_D: string;
  /** B and D score alike (market.ts): ordered by ring id, which detection drew at random. */
  let TIED: [string, string];
  beforeAll(async () => {
    h = await startHarness();
    ({ A: RING_A, B: RING_B, C: RING_C, D: RING_D } = h.market.rings);
    TIED = [RING_B, RING_D].sort() as [string, string];
    analyst = await h.key('analyst');
    acme = await h.key('brand', { brand: 'Acme' });
    zeta = await h.key('brand', { brand: 'ZETA' });
  });
  afterAll(async () => {
    await h.close();
  });

  const list = async (query: string, token = analyst) => {
    const response = await call(h.app, 'GET', `/v1/rings${query}`, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Page;
  };

  it('ranks every active ring by risk, ties by ring id', async () => {
    const page = await list('');
    expect(page.items.map((r) => r.ringId)).toEqual([RING_A, ...TIED, RING_C]);
    const tied = {
      [RING_B]: { ringId: RING_B, riskScore: 68, flagged: true, size: 4, brands: ['Zeta'], status: 'open' },
      [RING_D]: { ringId: RING_D, riskScore: 68, flagged: true, size: 2, brands: ['acme'], status: 'open' },
    };
    expect(page.items).toEqual([
      { ringId: RING_A, riskScore: 71.5, flagged: true, size: 5, brands: ['Acme', 'Zeta'], status: 'open' },
      ...TIED.map((id) => tied[id]),
      { ringId: RING_C, riskScore: 8.5, flagged: false, size: 3, brands: ['ACME'], status: 'open' },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by flagged, minRisk, status and brand (case-insensitive)', async () => {
    expect((await list('?flagged=true')).items.map((r) => r.ringId)).toEqual([RING_A, ...TIED]);
    expect((await list('?flagged=false')).items.map((r) => r.ringId)).toEqual([RING_C]);
    expect((await list('?minRisk=70')).items.map((r) => r.ringId)).toEqual([RING_A]);
    expect((await list('?minRisk=68')).items.map((r) => r.ringId)).toEqual([RING_A, ...TIED]); // at least, not above
    expect((await list('?status=closed')).items).toEqual([]);
    expect((await list('?brand=aCmE')).items.map((r) => r.ringId)).toEqual([RING_A, RING_D, RING_C]);
    expect((await list('?brand=zeta&flagged=true')).items.map((r) => r.ringId)).toEqual([RING_A, RING_B]);
  });

  it('pages with an opaque keyset cursor that stays stable when rings are written between pages', async () => {
    const first = await list('?limit=2');
    expect(first.items.map((r) => r.ringId)).toEqual([RING_A, TIED[0]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    // A new ring riskier than the cursor appears meanwhile: the next page neither repeats nor skips.
    const session = h.db.driver.session();
    await session.run(`CREATE (:Ring {ringId: 'R-EEEEEEEE', riskScore: 99.0, flagged: true, active: true, status: 'open', brands: [], size: 2})`);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    // The page ends inside the tie: the next one starts with the other ring of the same score.
    expect(second.items.map((r) => r.ringId)).toEqual([TIED[1], RING_C]);
    expect(second.nextCursor).toBeNull();
    await session.run(`MATCH (r:Ring {ringId: 'R-EEEEEEEE'}) DELETE r`);
    await session.close();
  });

  it('lets a brand key see only rings that sell its brand', async () => {
    expect((await list('', acme)).items.map((r) => r.ringId)).toEqual([RING_A, RING_D, RING_C]);
    expect((await list('', zeta)).items.map((r) => r.ringId)).toEqual([RING_A, RING_B]);
    expect((await list('?brand=acme', acme)).items).toHaveLength(3);
    // RING_A sells Acme and Zeta: each brand sees only its own name there.
    expect((await list('', acme)).items.find((r) => r.ringId === RING_A)?.brands).toEqual(['Acme']);
    expect((await list('', zeta)).items.find((r) => r.ringId === RING_A)?.brands).toEqual(['Zeta']);
    const other = await call(h.app, 'GET', '/v1/rings?brand=Zeta', { token: acme });
    expect(other.status).toBe(403);
    expect((await problemOf(other)).type).toBe('urn:ringwatch:problem:brand-scope');
  });

  it.each([
    ['?cursor=not-a-cursor!', 'query.cursor'],
    [`?cursor=${Buffer.from('[1,"x"]').toString('base64url')}`, 'query.cursor'],
    [`?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'query.cursor'],
    ['?limit=0', 'query.limit'],
    ['?limit=abc', 'query.limit'],
    ['?limit=100000', 'query.limit'],
    ['?minRisk=-1', 'query.minRisk'],
    ['?flagged=yes', 'query.flagged'],
    ['?status=deleted', 'query.status'],
    ["?brand=' OR 1=1", 'query.brand'],
    [`?brand=${'a'.repeat(5000)}`, 'query.brand'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const response = await call(h.app, 'GET', `/v1/rings${query}`, { token: analyst });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect((problem.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('accepts a valid-looking cursor for a ring that no longer exists', async () => {
    const page = await list(`?cursor=${encodeRingCursor({ riskScore: 50, ringId: UNKNOWN_RING })}`);
    expect(page.items.map((r) => r.ringId)).toEqual([RING_C]);
  });

  it('refuses without a key (401), with a bad key (401), and to agency and admin keys (403)', async () => {
    expect((await problemOf(await call(h.app, 'GET', '/v1/rings'))).status).toBe(401);
    expect((await problemOf(await call(h.app, 'GET', '/v1/rings', { token: 'rw_aaaaaaaaaaaa_' + 'A'.repeat(43) }))).status).toBe(401);
    expect((await problemOf(await call(h.app, 'GET', '/v1/rings', { token: await h.key('agency', { agency: 'NCA' }) }))).status).toBe(403);
    expect((await problemOf(await call(h.app, 'GET', '/v1/rings', { token: await h.key('admin') }))).status).toBe(403);
  });
});

describe('GET /v1/rings/{ringId} and /graph', () => {
  let h: Harness;
  let analyst: string;
  let acme: string;
  let zeta: string;
  let RING_A: string, RING_B: string, RING_C: string, RING_D: string;
  beforeAll(async () => {
    h = await startHarness();
    ({ A: RING_A, B: RING_B, C: RING_C, D: RING_D } = h.market.rings);
    analyst = await h.key('analyst');
    acme = await h.key('brand', { brand: 'acme' });
    zeta = await h.key('brand', { brand: 'Zeta' });
  });
  afterAll(async () => {
    await h.close();
  });

  const dossier = async (ringId: string, token = analyst) => {
    const response = await call(h.app, 'GET', `/v1/rings/${ringId}`, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Dossier;
  };

  it('gives an analyst the whole dossier', async () => {
    const d = await dossier(RING_A);
    expect(d).toMatchObject({
      ringId: RING_A,
      riskScore: 71.5,
      flagged: true,
      size: 5,
      status: 'open',
      active: true,
      keysMasked: false,
      firstSeen: DETECTION_TIMES[0],
      lastSeen: DETECTION_TIMES[2],
    });
    expect(d.members.map((m) => m.sellerId)).toEqual(['S-A1', 'S-A2', 'S-A3', 'S-A4', 'S-A5']);
    expect(d.members[0]).toEqual({ sellerId: 'S-A1', storeName: 'Best Shoes 1', status: 'active', country: 'CN', registeredAt: '2025-01-01T08:00:00.000Z', closedAt: null });
    // Every factor of the scoring, by its name, in its order; the contributions add up to the score.
    expect(d.factors.map((f) => f.name)).toEqual([...FACTOR_NAMES]);
    expect(d.factors).toEqual([
      { name: 'price_below_reference', contribution: 50, detail: '6 of 6 listings with a reference price (100%) are priced below 50% of it; the median listing sells at 12% of its reference.' },
      { name: 'brand_verdicts', contribution: 0, detail: 'No brand has given a verdict on these listings yet.' },
      { name: 'shared_payment_accounts', contribution: 12, detail: '1 payment account is shared between members, covering 5 of 5 members.' },
      { name: 'registration_burst', contribution: 8, detail: '5 of 5 members registered within 14 days (2025-01-01 to 2025-01-05).' },
      { name: 'prior_closures', contribution: 0, detail: 'No member has had a store closed before.' },
      { name: 'ring_size', contribution: 1.5, detail: '5 member stores (size counts fully from 10).' },
    ]);
    expect(d.factors.reduce((sum, f) => sum + (f.contribution ?? 0), 0)).toBeCloseTo(d.riskScore, 9);
    // The account typed four ways, the phone three ways, the return address two ways: one node each.
    expect(d.sharedIdentifiers).toEqual([
      { kind: 'address', key: KEYS.returnAddress, sellerIds: ['S-A2', 'S-A4'] },
      { kind: 'carrierAccount', key: KEYS.carrierAccount, sellerIds: ['S-A3', 'S-A4', 'S-A5'] },
      { kind: 'paymentAccount', key: KEYS.paymentAccount, sellerIds: ['S-A1', 'S-A2', 'S-A3', 'S-A4', 'S-A5'] },
      { kind: 'phone', key: KEYS.phone, sellerIds: ['S-A1', 'S-A2', 'S-A3'] },
    ]);
    // The fulfilment centre is shared by more sellers than the hub limit: shown apart, not counted as a link.
    expect(d.ignoredHubs).toEqual([{ kind: 'address', key: KEYS.fulfilmentCentre, sellerCount: HUB_SELLERS, ringSellers: 2 }]);
    // A1–A4 were found in January (a new flagged ring: an alert); A5 joined in February (Jaccard
    // 4/5; the ring grew: an alert), and March found the same five. Each run's identity event
    // comes before the alerts it raised.
    expect(d.history.map((e) => [e.type, e.runId, e.at])).toEqual([
      ['new', h.market.runIds[0], DETECTION_TIMES[0]],
      ['new_ring', h.market.runIds[0], DETECTION_TIMES[0]],
      ['continued', h.market.runIds[1], DETECTION_TIMES[1]],
      ['ring_growth', h.market.runIds[1], DETECTION_TIMES[1]],
      ['continued', h.market.runIds[2], DETECTION_TIMES[2]],
    ]);
    const events = d.history.filter((e) => !['new_ring', 'ring_growth'].includes(e.type));
    expect(events.map((e) => e.detail)).toEqual([{}, { jaccard: 0.8 }, { jaccard: 1 }]);
    const growth = d.history.find((e) => e.type === 'ring_growth')?.detail as { alertId: string; sellerIds: string[]; evidence: { kind: string; key: string }[] };
    expect(growth.alertId).toMatch(/^AL-[A-Z2-7]{12}$/);
    expect(growth.sellerIds).toEqual(['S-A5']);
    expect(growth.evidence.map((e) => e.key)).toContain(KEYS.paymentAccount);
    expect(d.closures).toEqual([]);
    expect(d.referrals).toEqual([]);
    expect(d.listingCount).toBe(6);
  });

  it('explains the tie of rings B and D factor by factor', async () => {
    const contributions = async (ringId: string) => Object.fromEntries((await dossier(ringId)).factors.map((f) => [f.name, f.contribution]));
    // B: 3 of its 4 stores share the account, all 4 registered within days; D: 2 stores, both on one
    // account, one suspended by the marketplace before.
    expect(await contributions(RING_B)).toEqual({ price_below_reference: 50, brand_verdicts: 0, shared_payment_accounts: 9, registration_burst: 8, prior_closures: 0, ring_size: 1 });
    expect(await contributions(RING_D)).toEqual({ price_below_reference: 50, brand_verdicts: 0, shared_payment_accounts: 12, registration_burst: 0, prior_closures: 6, ring_size: 0 });
    expect((await dossier(RING_B)).sharedIdentifiers.map((s) => [s.kind, s.sellerIds])).toEqual([
      ['imageHash', ['S-B1', 'S-B2', 'S-B3', 'S-B4']],
      ['paymentAccount', ['S-B1', 'S-B2', 'S-B3']],
    ]);
    expect((await dossier(RING_D)).sharedIdentifiers.map((s) => [s.kind, s.sellerIds])).toEqual([
      ['paymentAccount', ['S-D1', 'S-D2']],
      ['phone', ['S-D1', 'S-D2']],
    ]);
  });

  it('prices each listing against the marketplace typical price (upper quartile) of its brand and category', async () => {
    const d = await dossier(RING_A);
    // Acme shoes (brand key acme) across the marketplace: 15..19 (A), 31..34 (D), 110..165 by 5 (X),
    // 119..121 (C) → 24 prices, upper quartile (the 18th, 0.75 × 24) 135.
    const acmeShoe = d.listings.find((l) => l.listingId === 'L-A1');
    expect(acmeShoe).toEqual({ listingId: 'L-A1', sellerId: 'S-A1', title: 'Acme shoes L-A1', brand: 'Acme', category: 'shoes', price: 15, currency: 'USD', typicalPrice: 135, verdict: null });
    // Zeta bags: 20 (A6), 26..29 (B), 295..330 by 5 (X) → 13 prices, upper quartile (the 10th, 0.75 × 13 rounded up) 315.
    expect(d.listings.find((l) => l.listingId === 'L-A6')?.typicalPrice).toBe(315);
  });

  it('shows a brand key its own brand only, with identifier keys masked and no referrals', async () => {
    const d = await dossier(RING_A, acme);
    expect(d.keysMasked).toBe(true);
    expect(d.brands).toEqual(['Acme']);
    expect((await dossier(RING_A)).brands).toEqual(['Acme', 'Zeta']);
    expect(d.listings.map((l) => l.listingId)).toEqual(['L-A1', 'L-A2', 'L-A3', 'L-A4', 'L-A5']);
    expect(d.listingCount).toBe(5);
    expect(d.sharedIdentifiers.map((s) => s.key)).toEqual(['****1201', '****7766', '****2233', '****8000']);
    expect(d.ignoredHubs[0]?.key).toBe('****oad|');
    expect(d).not.toHaveProperty('referrals');
    for (const key of Object.values(KEYS)) expect(JSON.stringify(d)).not.toContain(key);
  });

  it('answers 404 to a brand key for a ring that does not sell its brand, as for one that does not exist', async () => {
    const other = await call(h.app, 'GET', `/v1/rings/${RING_B}`, { token: acme });
    expect(other.status).toBe(404);
    const missing = await call(h.app, 'GET', `/v1/rings/${UNKNOWN_RING}`, { token: acme });
    const [a, b] = [await problemOf(other), await problemOf(missing)];
    expect(a.type).toBe(b.type);
    expect(a.title).toBe(b.title);
    expect((await dossier(RING_B, zeta)).ringId).toBe(RING_B);
  });

  it('answers 404 for an unknown ring and 400 for a malformed id', async () => {
    expect((await problemOf(await call(h.app, 'GET', `/v1/rings/${UNKNOWN_RING}`, { token: analyst }))).type).toBe('urn:ringwatch:problem:ring-not-found');
    const malformed = await problemOf(await call(h.app, 'GET', '/v1/rings/R-abc', { token: analyst }));
    expect(malformed).toMatchObject({ status: 400, type: 'urn:ringwatch:problem:invalid-request' });
    expect(malformed.errors).toEqual([{ field: 'param.ringId', message: expect.any(String) }]);
  });

  it('audits every dossier read', async () => {
    const before = await graphCounts(h.db);
    await dossier(RING_C);
    const session = h.db.driver.session();
    const result = await session.run(`MATCH (e:AuditEvent {action: 'ring.dossier.read', target: $ringId}) RETURN count(e) AS n`, { ringId: RING_C });
    await session.close();
    expect(Number(result.records[0]?.get('n'))).toBe(1);
    expect((await graphCounts(h.db)).nodes).toBe(before.nodes + 1);
  });

  it('draws the ring as nodes and edges for analysts', async () => {
    const response = await call(h.app, 'GET', `/v1/rings/${RING_A}/graph`, { token: analyst });
    expect(response.status).toBe(200);
    const graph = (await response.json()) as RingGraph;
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toContain(`ring:${RING_A}`);
    expect(ids.filter((id) => id.startsWith('seller:'))).toHaveLength(5);
    expect(graph.nodes.find((n) => n.id === `paymentAccount:${KEYS.paymentAccount}`)).toMatchObject({ kind: 'paymentAccount', hub: false, sellerCount: 5 });
    expect(graph.nodes.find((n) => n.id === `address:${KEYS.fulfilmentCentre}`)).toMatchObject({ hub: true, sellerCount: HUB_SELLERS });
    expect(graph.edges).toContainEqual({ source: 'seller:S-A1', target: `ring:${RING_A}`, type: 'MEMBER_OF' });
    expect(graph.edges).toContainEqual({ source: 'seller:S-A1', target: `phone:${KEYS.phone}`, type: 'SENDS_FROM_PHONE' });
    expect(graph.edges).toContainEqual({ source: 'seller:S-A2', target: `address:${KEYS.returnAddress}`, type: 'USES_ADDRESS' });
    expect(graph.edges).toContainEqual({ source: 'seller:S-A5', target: `carrierAccount:${KEYS.carrierAccount}`, type: 'SHIPS_WITH' });
    expect(graph.edges).toContainEqual({ source: 'seller:S-A5', target: `address:${KEYS.fulfilmentCentre}`, type: 'SHIPS_FROM' });
    for (const edge of graph.edges) {
      expect(ids).toContain(edge.source);
      expect(ids).toContain(edge.target);
    }
    expect((await problemOf(await call(h.app, 'GET', `/v1/rings/${RING_A}/graph`, { token: acme }))).status).toBe(403);
    expect((await problemOf(await call(h.app, 'GET', `/v1/rings/${UNKNOWN_RING}/graph`, { token: analyst }))).status).toBe(404);
  });
});
