import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/auditLog.ts';
import type { Dossier } from '../../../src/dossier/schema.ts';
import { graphCounts } from './graphCounts.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';
import { UNKNOWN_RING } from './market.ts';

describe('POST /v1/rings/{ringId}/closures', () => {
  let h: Harness;
  let analyst: string;
  let RING_A: string, RING_B: string, RING_C: string, RING_D: string;
  beforeAll(async () => {
    h = await startHarness();
    ({ A: RING_A, B: RING_B, C: RING_C, D: RING_D } = h.market.rings);
    analyst = await h.key('analyst');
  });
  afterAll(async () => {
    await h.close();
  });

  const close = (ringId: string, body: unknown, idempotencyKey: string | null = `k-${Math.random()}`, token = analyst) =>
    call(h.app, 'POST', `/v1/rings/${ringId}/closures`, { token, body, headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey } });

  const sellerStatuses = async (ringId: string) => {
    const d = (await (await call(h.app, 'GET', `/v1/rings/${ringId}`, { token: analyst })).json()) as Dossier;
    return { ring: d.status, members: Object.fromEntries(d.members.map((m) => [m.sellerId, m.status])), closures: d.closures };
  };

  it('a dry run answers what would be closed and changes nothing but the audit log', async () => {
    const before = await graphCounts(h.db);
    const response = await close(RING_B, { dryRun: true, reason: 'counterfeit Zeta bags' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ closureId: null, sellerIds: ['S-B1', 'S-B2', 'S-B3', 'S-B4'], dryRun: true, status: 'closed' });
    const after = await graphCounts(h.db);
    expect(after).toEqual({ ...before, nodes: before.nodes + 1 }); // the audit event only
    const session = h.db.driver.session();
    const audited = await session.run(`MATCH (e:AuditEvent {action: 'ring.closure.dry-run'}) RETURN e.target AS target`);
    await session.close();
    expect(audited.records.map((r) => r.get('target'))).toEqual([RING_B]);
  });

  it('closes every member in one transaction, then the ring', async () => {
    const response = await close(RING_B, { dryRun: false, reason: 'counterfeit Zeta bags' }, 'close-b-1');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { closureId: string };
    expect(body).toEqual({ closureId: expect.stringMatching(/^CL-[A-Z2-7]{10}$/), sellerIds: ['S-B1', 'S-B2', 'S-B3', 'S-B4'], dryRun: false, status: 'closed' });
    const state = await sellerStatuses(RING_B);
    expect(state.ring).toBe('closed');
    expect(Object.values(state.members)).toEqual(['closed', 'closed', 'closed', 'closed']);
    expect(state.closures).toEqual([{ closureId: body.closureId, at: '2025-04-10T12:00:00.000Z', sellerIds: ['S-B1', 'S-B2', 'S-B3', 'S-B4'], reason: 'counterfeit Zeta bags' }]);
    const session = h.db.driver.session();
    const seller = await session.run(`MATCH (s:Seller {sellerId: 'S-B1'}) RETURN s.closedBy AS closedBy, toString(s.closedAt) AS closedAt`);
    await session.close();
    expect(seller.records[0]?.get('closedBy')).toBe(body.closureId);
    // Nothing left to close.
    const again = await close(RING_B, { dryRun: false, reason: 'again' });
    expect(again.status).toBe(409);
    expect((await problemOf(again)).type).toBe('urn:ringwatch:problem:already-closed');
  });

  it('closes a subset, leaving the ring open until the last member is closed', async () => {
    const first = await close(RING_A, { dryRun: false, reason: 'first wave', sellerIds: ['S-A2', 'S-A1', 'S-A1'] });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ sellerIds: ['S-A1', 'S-A2'], status: 'open' });
    expect((await sellerStatuses(RING_A)).members).toEqual({ 'S-A1': 'closed', 'S-A2': 'closed', 'S-A3': 'active', 'S-A4': 'active', 'S-A5': 'active' });
    const rest = await close(RING_A, { dryRun: false, reason: 'the rest' });
    expect(await rest.json()).toMatchObject({ sellerIds: ['S-A3', 'S-A4', 'S-A5'], status: 'closed' });
  });

  it('refuses sellerIds that are not members with a 422 naming them, changing nothing', async () => {
    const before = await graphCounts(h.db);
    const response = await close(RING_D, { dryRun: false, reason: 'x', sellerIds: ['S-D1', 'S-X1', 'S-NOPE'] });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:ringwatch:problem:not-ring-members', notMembers: ['S-NOPE', 'S-X1'] });
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('gives the same answer, once, to 20 identical requests arriving together', async () => {
    const before = await graphCounts(h.db);
    const body = { dryRun: false, reason: 'counterfeit Acme', sellerIds: ['S-D1'] };
    const responses = await Promise.all(Array.from({ length: 20 }, () => close(RING_D, body, 'race-key-1')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const answers = await Promise.all(responses.map((r) => r.json()));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    const session = h.db.driver.session();
    const closures = await session.run(`MATCH (c:Closure {ringId: $ringId}) RETURN count(c) AS n`, { ringId: RING_D });
    await session.close();
    expect(Number(closures.records[0]?.get('n'))).toBe(1);
    const after = await graphCounts(h.db);
    // One closure, its OF_RING and CLOSED links, S-D1 closed, and 20 audit events (1 closure + 19 replays).
    expect(after).toEqual({ ...before, nodes: before.nodes + 1 + 20, relationships: before.relationships + 2, closedSellers: before.closedSellers + 1 });
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    // Later, the same key and body: the same answer again.
    const later = await close(RING_D, body, 'race-key-1');
    expect(await later.json()).toEqual(answers[0]);
  });

  it('lets exactly one of two bodies racing under one key win; the other gets 422', async () => {
    const a = { dryRun: false, reason: 'body A' };
    const b = { dryRun: false, reason: 'body B' };
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => close(RING_C, i % 2 ? a : b, 'race-key-2')));
    const byBody = [0, 1].map((parity) => responses.filter((_, i) => i % 2 === parity).map((r) => r.status));
    const winner = byBody[0]?.[0] === 201 ? 0 : 1;
    expect(byBody[winner]).toEqual(Array(10).fill(201));
    expect(byBody[1 - winner]).toEqual(Array(10).fill(422));
    const session = h.db.driver.session();
    const closures = await session.run(`MATCH (c:Closure {ringId: $ringId}) RETURN count(c) AS n`, { ringId: RING_C });
    await session.close();
    expect(Number(closures.records[0]?.get('n'))).toBe(1);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('refuses the same key with another body (422) and scopes keys per API key', async () => {
    const response = await close(RING_D, { dryRun: false, reason: 'something else', sellerIds: ['S-D2'] }, 'race-key-1');
    expect(response.status).toBe(422);
    expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:idempotency-key-reused');
    // Another analyst's same Idempotency-Key is their own.
    const other = await close(RING_D, { dryRun: true, reason: 'x', sellerIds: ['S-D2'] }, 'race-key-1', await h.key('analyst'));
    expect(other.status).toBe(200);
  });

  it('requires the Idempotency-Key header (400) and a valid body (422 naming the fields)', async () => {
    const before = await graphCounts(h.db);
    const missing = await close(RING_C, { dryRun: false, reason: 'x' }, null);
    expect(missing.status).toBe(400);
    expect(((await problemOf(missing)).errors as { field: string }[])[0]?.field).toBe('header.idempotency-key');
    const invalid = await close(RING_C, { dryRun: 'yes', reason: '', sellerIds: [] });
    expect(invalid.status).toBe(422);
    expect(((await problemOf(invalid)).errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['body.dryRun', 'body.reason', 'body.sellerIds']);
    const malformed = await call(h.app, 'POST', `/v1/rings/${RING_C}/closures`, { token: analyst, body: '{"dryRun": tru', headers: { 'idempotency-key': 'm' } });
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).type).toBe('urn:ringwatch:problem:malformed-request');
    const notJson = await call(h.app, 'POST', `/v1/rings/${RING_C}/closures`, { token: analyst, body: 'dryRun=true', headers: { 'idempotency-key': 'm', 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
    await problemOf(notJson);
    const unknown = await close(UNKNOWN_RING, { dryRun: false, reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('says so when a ring has no current members (merged or split by a later run)', async () => {
    const session = h.db.driver.session();
    await session.run(`CREATE (:Ring {ringId: 'R-GGGGGGGG', riskScore: 50.0, flagged: true, active: false, status: 'open'})`);
    await session.close();
    const before = await graphCounts(h.db);
    const response = await close('R-GGGGGGGG', { dryRun: false, reason: 'x' });
    expect(response.status).toBe(409);
    expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:ring-has-no-members');
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('closes each store once when overlapping closures race under different keys', async () => {
    // An 8-store ring; 16 requests, each with its own Idempotency-Key, each closing 2 of its stores
    // (every store named by 4 of them), all at once.
    const session = h.db.driver.session();
    await session.run(
      `CREATE (r:Ring {ringId: 'R-HHHHHHHH', riskScore: 80.0, flagged: true, active: true, status: 'open', size: 8})
       WITH r UNWIND range(1, 8) AS i
       CREATE (:Seller {sellerId: 'S-H' + i, storeName: 'Race ' + i, ringId: 'R-HHHHHHHH'})-[:MEMBER_OF]->(r)`,
    );
    await session.close();
    const subsets = Array.from({ length: 16 }, (_, i) => [`S-H${(i % 8) + 1}`, `S-H${((i + 1 + Math.floor(i / 8)) % 8) + 1}`]);
    const responses = await Promise.all(subsets.map((sellerIds, i) => close('R-HHHHHHHH', { dryRun: false, reason: 'race', sellerIds }, `overlap-${i}`)));
    const answers = await Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as { sellerIds?: string[]; status?: string; type?: string } })));
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    // Together the 201s closed every store, and no store twice.
    const closedByAnswers = answers.filter((a) => a.status === 201).flatMap((a) => a.body.sellerIds ?? []);
    expect(closedByAnswers.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `S-H${i + 1}`).sort());
    for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body.type).toBe('urn:ringwatch:problem:already-closed');
    const check = h.db.driver.session();
    const counts = await check.run(
      `MATCH (r:Ring {ringId: 'R-HHHHHHHH'})
       OPTIONAL MATCH (:Closure)-[c:CLOSED]->(:Seller)-[:MEMBER_OF]->(r)
       WITH r, count(c) AS closedLinks
       OPTIONAL MATCH (k:Closure {ringId: 'R-HHHHHHHH', ringClosed: true})
       RETURN r.status AS status, closedLinks, count(k) AS ringClosers`,
    );
    await check.close();
    const row = counts.records[0];
    expect(row?.get('status')).toBe('closed');
    expect(Number(row?.get('closedLinks'))).toBe(8);
    expect(Number(row?.get('ringClosers'))).toBe(1);
    expect(answers.filter((a) => a.body.status === 'closed' && a.status === 201)).toHaveLength(1);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('is for analysts only', async () => {
    const before = await graphCounts(h.db);
    for (const token of [await h.key('brand', { brand: 'Acme' }), await h.key('agency', { agency: 'NCA' }), await h.key('admin')]) {
      const after = await graphCounts(h.db);
      const response = await close(RING_C, { dryRun: false, reason: 'x' }, 'k', token);
      expect(response.status).toBe(403);
      await problemOf(response);
      expect(await graphCounts(h.db)).toEqual(after);
    }
    expect((await graphCounts(h.db)).closedSellers).toBe(before.closedSellers);
  });
});
