import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dossier } from '../../../src/dossier/schema.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { graphCounts } from './graphCounts.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';

describe('POST /v1/brands/{brand}/verdicts', () => {
  let h: Harness;
  let acme: string;
  let RING_A: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_A = h.market.rings.A;
    acme = await h.key('brand', { brand: 'Acme' });
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (brand: string, body: unknown, token = acme) => call(h.app, 'POST', `/v1/brands/${encodeURIComponent(brand)}/verdicts`, { token, body });

  it('records one Verdict per listing and sets the listing verdict, which the dossier shows', async () => {
    const before = await graphCounts(h.db);
    const response = await post('acme', { listingIds: ['L-A1', 'L-A2', 'L-A1'], verdict: 'counterfeit', note: 'no such model' });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toEqual({ brand: 'Acme', verdict: 'counterfeit', listingIds: ['L-A1', 'L-A2'], recorded: 2 });
    const after = await graphCounts(h.db);
    expect(after).toEqual({ ...before, nodes: before.nodes + 3, relationships: before.relationships + 2, verdicts: 2 });
    const d = (await (await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: acme })).json()) as Dossier;
    expect(d.listings.filter((l) => l.verdict === 'counterfeit').map((l) => l.listingId)).toEqual(['L-A1', 'L-A2']);
    // A later verdict replaces the current one and keeps the history.
    h.clock.advance(1000);
    await post('Acme', { listingIds: ['L-A2'], verdict: 'genuine' });
    const session = h.db.driver.session();
    const result = await session.run(`MATCH (v:Verdict)-[:ABOUT]->(l:Listing {listingId: 'L-A2'}) RETURN l.verdict AS current, count(v) AS n`);
    await session.close();
    expect(result.records[0]?.get('current')).toBe('genuine');
    expect(Number(result.records[0]?.get('n'))).toBe(2);
  });

  it("keeps the latest verdict by its time, not by the order requests commit in", async () => {
    // Two verdicts on one listing: the one made at T+2 s commits first, the one made at T+1 s (a
    // slower request) commits after it. The listing's verdict must be the later one's.
    const start = new Date(h.clock.now);
    h.clock.advance(2000);
    expect((await post('Acme', { listingIds: ['L-A3'], verdict: 'genuine' })).status).toBe(201);
    h.clock.now = new Date(start.getTime() + 1000);
    expect((await post('Acme', { listingIds: ['L-A3'], verdict: 'counterfeit' })).status).toBe(201);
    h.clock.now = new Date(start.getTime() + 3000);
    const session = h.db.driver.session();
    const result = await session.run(`MATCH (v:Verdict)-[:ABOUT]->(l:Listing {listingId: 'L-A3'}) RETURN l.verdict AS current, toString(l.verdictAt) AS at, count(v) AS n`);
    await session.close();
    expect(result.records[0]?.get('current')).toBe('genuine');
    expect(new Date(String(result.records[0]?.get('at'))).getTime()).toBe(start.getTime() + 2000);
    expect(Number(result.records[0]?.get('n'))).toBe(2);
    // Undo, for the tests below.
    const undo = h.db.driver.session();
    await undo.run(`MATCH (v:Verdict)-[:ABOUT]->(l:Listing {listingId: 'L-A3'}) DETACH DELETE v REMOVE l.verdict, l.verdictAt, l.verdictId, l.verdictLockedBy`);
    await undo.close();
  });

  it('refuses a note with hidden characters (bidi overrides, zero-width, line separators)', async () => {
    for (const note of ['fake \u202Eetuneg', 'a\u200Bb', 'one\u2028two', 'tab\there']) {
      const response = await post('Acme', { listingIds: ['L-A3'], verdict: 'counterfeit', note });
      expect(response.status, JSON.stringify(note)).toBe(422);
      expect(((await problemOf(response)).errors as { field: string }[])[0]?.field).toBe('body.note');
    }
  });

  it('refuses listings that are unknown or of another brand together, in one 422 listing them, changing nothing', async () => {
    const before = await graphCounts(h.db);
    const response = await post('Acme', { listingIds: ['L-A3', 'L-B1', 'L-NOPE'], verdict: 'counterfeit' });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:ringwatch:problem:listings-not-of-brand', listingIds: ['L-B1', 'L-NOPE'] });
    expect(problem.detail).not.toContain('Zeta');
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it("is for that brand's keys only", async () => {
    const zeta = await h.key('brand', { brand: 'Zeta' });
    const analyst = await h.key('analyst');
    const before = await graphCounts(h.db);
    const other = await post('Acme', { listingIds: ['L-A3'], verdict: 'counterfeit' }, zeta);
    expect(other.status).toBe(403);
    expect((await problemOf(other)).type).toBe('urn:ringwatch:problem:brand-scope');
    expect((await problemOf(await post('Acme', { listingIds: ['L-A3'], verdict: 'counterfeit' }, analyst))).status).toBe(403);
    expect((await problemOf(await post('Acme', { listingIds: ['L-A3'], verdict: 'counterfeit' }, ''))).status).toBe(401);
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('validates the body: 1 to 1000 listing ids, a known verdict', async () => {
    const before = await graphCounts(h.db);
    const cases: [unknown, string][] = [
      [{ listingIds: [], verdict: 'counterfeit' }, 'body.listingIds'],
      [{ listingIds: Array.from({ length: 1001 }, (_, i) => `L-${i}`), verdict: 'counterfeit' }, 'body.listingIds'],
      [{ listingIds: ['L-A3'], verdict: 'fake' }, 'body.verdict'],
      [{ listingIds: ['L-A3'], verdict: 'genuine', note: 'x'.repeat(3000) }, 'body.note'],
      [{ listingIds: ['bad id with spaces'], verdict: 'genuine' }, 'body.listingIds.0'],
      [{ verdict: 'genuine' }, 'body.listingIds'],
    ];
    for (const [body, field] of cases) {
      const response = await post('Acme', body);
      expect(response.status, field).toBe(422);
      expect(((await problemOf(response)).errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('takes 1000 listing ids at once', async () => {
    // 1000 more Acme listings of S-X1, through the real ingest (the brand as sellers type it).
    const ids = Array.from({ length: 1000 }, (_, i) => `L-BULK-${i}`);
    const dir = mkdtempSync(join(tmpdir(), 'ringwatch-bulk-'));
    const brands = ['Acme', 'ACME', ' acme '];
    writeFileSync(join(dir, 'listings.ndjson'), ids.map((id, i) => `${JSON.stringify({ listing_id: id, seller_id: 'S-X1', title: `Acme shoes ${id}`, price: 1, currency: 'usd', brand: brands[i % 3], category: 'shoes' })}\n`).join(''));
    const ingest = await ingestDirectory(h.db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
    rmSync(dir, { recursive: true, force: true });
    expect(ingest.files.listings).toMatchObject({ loaded: 1000, rejected: 0 });
    const response = await post('Acme', { listingIds: ids, verdict: 'counterfeit' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { recorded: number }).recorded).toBe(1000);
  });
});

describe('GET /v1/transparency', () => {
  let h: Harness;
  let RING_A: string, RING_B: string, RING_D: string;
  beforeAll(async () => {
    h = await startHarness();
    ({ A: RING_A, B: RING_B, D: RING_D } = h.market.rings);
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers monthly aggregates without a key', async () => {
    const analyst = await h.key('analyst');
    h.clock.now = new Date('2025-04-20T00:00:00Z');
    expect((await call(h.app, 'POST', `/v1/rings/${RING_B}/closures`, { token: analyst, body: { dryRun: false, reason: 'fakes' }, headers: { 'idempotency-key': 'a' } })).status).toBe(201);
    expect((await call(h.app, 'POST', `/v1/rings/${RING_D}/closures`, { token: analyst, body: { dryRun: false, reason: 'fakes', sellerIds: ['S-D1'] }, headers: { 'idempotency-key': 'b' } })).status).toBe(201);
    h.clock.now = new Date('2025-05-02T00:00:00Z');
    expect((await call(h.app, 'POST', `/v1/rings/${RING_D}/closures`, { token: analyst, body: { dryRun: false, reason: 'fakes' }, headers: { 'idempotency-key': 'c' } })).status).toBe(201);
    expect((await call(h.app, 'POST', `/v1/rings/${RING_A}/referrals`, { token: analyst, body: { agency: 'NCA', caseReference: 'c-1' }, headers: { 'idempotency-key': `ref-${Math.random()}` } })).status).toBe(201);

    const response = await call(h.app, 'GET', '/v1/transparency');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { months: unknown[]; generatedAt: string };
    // Detection found A (and the unflagged C) in January, B in February, D in March (market.ts).
    expect(body.months).toEqual([
      { month: '2025-01', ringsFound: 1, storesClosed: 0, referrals: 0, medianDaysToClosure: null },
      { month: '2025-02', ringsFound: 1, storesClosed: 0, referrals: 0, medianDaysToClosure: null },
      { month: '2025-03', ringsFound: 1, storesClosed: 0, referrals: 0, medianDaysToClosure: null },
      // B closed whole on 2025-04-20, first seen 2025-02-15: 64 days.
      { month: '2025-04', ringsFound: 0, storesClosed: 5, referrals: 0, medianDaysToClosure: 64 },
      // D closed whole on 2025-05-02, first seen 2025-03-15: 48 days.
      { month: '2025-05', ringsFound: 0, storesClosed: 1, referrals: 1, medianDaysToClosure: 48 },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/S-[ABCDFX]\d|R-[A-Z2-7]{8}|Best Shoes/);
    for (const ringId of Object.values(h.market.rings)) expect(JSON.stringify(body)).not.toContain(ringId);
  });
});
