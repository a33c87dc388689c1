import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetection } from '../../../src/analysis/runDetection.ts';
import { cypher } from '../../../src/graph/cypher.ts';
import { Neo4jDetectionStore } from '../../../src/graph/detectionStore.ts';
import { createApp, type App } from '../../../src/http/app.ts';
import { CYPHER_VOCABULARY } from '../../../src/vocabulary.ts';
import { graphFingerprint } from '../../support/db.ts';
import { call, problemOf } from './harness.ts';
import { IDS, startScreeningWorld, type ScreeningWorld } from './screeningMarket.ts';

interface Outcome {
  decision: string;
  matches: { ringId: string | null; status: string; riskScore: number | null; flagged: boolean; decision: string; matchedOn: { kind: string; sellerIds: string[] }[] }[];
}

/** The graph without the audit chain: what a screening must leave exactly as it was. */
async function graphBesidesAudit(w: ScreeningWorld): Promise<string[]> {
  return (await graphFingerprint(w.h.db)).lines.filter((line) => !/^N \["Audit(Event|Head)"\]/.test(line));
}

describe('POST /v1/screenings on a graph written by ingest and detection', () => {
  let w: ScreeningWorld;
  let app: App;
  const logLines: string[] = [];

  beforeAll(async () => {
    w = await startScreeningWorld();
    // The same app over the same graph, logging everything it logs, to look for identifiers in it.
    const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
    app = createApp({ db: w.h.db, config: w.h.config, clock: w.h.clock.fn, logger: pino({ level: 'trace' }, sink), signingKey: w.h.signingKey });
  });
  afterAll(async () => {
    await w.h.close();
  });

  const screen = async (body: unknown, token = w.screening): Promise<Outcome> => {
    const response = await call(app, 'POST', '/v1/screenings', { token, body });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as Outcome;
  };

  it('the market came out as the test needs it: A, B, D flagged, O not, the aggregator a hub', () => {
    const ring = (id: string) => w.detection.rings.find((r) => r.ringId === w.ringOf(id))!;
    expect(ring('A1').sellerIds).toEqual(['A1', 'A2', 'A3']);
    expect([ring('A1').score.flagged, ring('B1').score.flagged, ring('D1').score.flagged, ring('O1').score.flagged]).toEqual([true, true, true, false]);
    expect(w.detection.hubs.map((hub) => [hub.kind, hub.key])).toEqual([['paymentAccount', 'AGGREGATOR1']]);
  });

  it('blocks an identifier of a store of a ring closed through the closures route', async () => {
    const outcome = await screen({ paymentAccounts: ['62220000-1111-0000'] });
    expect(outcome).toEqual({
      decision: 'block',
      matches: [{ ringId: w.ringOf('A1'), status: 'closed', riskScore: expect.any(Number), flagged: true, decision: 'block', matchedOn: [{ kind: 'paymentAccount', sellerIds: ['A1', 'A2', 'A3'] }] }],
    });
  });

  it('normalises as ingest does: 0086 with dashes meets +86, Rd meets Road, Rm meets Room', async () => {
    const phone = await screen({ phones: ['0086 138-0013-8000'] });
    expect(phone.decision).toBe('block');
    expect(phone.matches[0]?.matchedOn).toEqual([{ kind: 'phone', sellerIds: ['A1', 'A2', 'A3'] }]);
    const address = await screen({ addresses: [{ line1: 'rm 101 8 market road', city: 'GUANGZHOU', country: 'cn' }] });
    expect(address.matches.map((m) => [m.ringId, m.matchedOn])).toEqual([[w.ringOf('A1'), [{ kind: 'address', sellerIds: ['A1', 'A2', 'A3'] }]]]);
    // A national number is read in the applicant's country, as ingest read it in the seller's.
    const national = await screen({ country: 'CN', phones: ['139-0013-9000'], carrierAccounts: [{ carrier: ' sf ', account: 'sf 2222.02' }] });
    expect(national.matches.map((m) => [m.ringId, m.matchedOn])).toEqual([
      [w.ringOf('B1'), [{ kind: 'phone', sellerIds: ['B1', 'B2', 'B3'] }, { kind: 'carrierAccount', sellerIds: ['B1', 'B2', 'B3'] }]],
    ]);
  });

  it('reviews an identifier of a flagged open ring', async () => {
    const outcome = await screen({ paymentAccounts: [IDS.B.account.replace(/ /g, '')] });
    expect(outcome).toEqual({
      decision: 'review',
      matches: [{ ringId: w.ringOf('B1'), status: 'open', riskScore: expect.any(Number), flagged: true, decision: 'review', matchedOn: [{ kind: 'paymentAccount', sellerIds: ['B1', 'B2', 'B3'] }] }],
    });
  });

  it('blocks an identifier of an open ring one of whose matched stores was closed', async () => {
    const outcome = await screen({ paymentAccounts: [IDS.D.account] });
    expect(outcome.decision).toBe('block');
    expect(outcome.matches).toEqual([expect.objectContaining({ ringId: w.ringOf('D1'), status: 'open', decision: 'block' })]);
  });

  it('allows unknown identifiers, and an honest unflagged ring\'s (naming the ring)', async () => {
    expect(await screen({ country: 'CN', paymentAccounts: ['9999 0000 0000'], phones: ['+86 135 0000 1111'], addresses: [{ line1: '1 Nowhere Rd', city: 'Guangzhou', country: 'CN' }] })).toEqual({ decision: 'allow', matches: [] });
    const honest = await screen({ paymentAccounts: ['de89370400440532013000'] });
    expect(honest).toEqual({
      decision: 'allow',
      matches: [{ ringId: w.ringOf('O1'), status: 'open', riskScore: expect.any(Number), flagged: false, decision: 'allow', matchedOn: [{ kind: 'paymentAccount', sellerIds: ['O1', 'O2', 'O3'] }] }],
    });
  });

  it('never matches a hub, not even one a closed ring\'s store uses', async () => {
    const { records } = await w.h.db.driver.executeQuery('MATCH (h:Hub:PaymentAccount {key: $key})<-[:PAYS_INTO]-(s:Seller {sellerId: "A1"}) RETURN s.status AS status', { key: 'AGGREGATOR1' });
    expect(records.map((r) => r.get('status'))).toEqual([CYPHER_VOCABULARY.storeStatus.closed]);
    expect(await screen({ paymentAccounts: ['aggregator 1'] })).toEqual({ decision: 'allow', matches: [] });
  });

  it('takes the gravest of several matches and lists every ring', async () => {
    const outcome = await screen({ paymentAccounts: [IDS.honestAccount, IDS.B.account, IDS.A.account] }, w.analyst);
    expect(outcome.decision).toBe('block');
    expect(outcome.matches.map((m) => [m.ringId, m.decision])).toEqual([[w.ringOf('A1'), 'block'], [w.ringOf('B1'), 'review'], [w.ringOf('O1'), 'allow']]);
  });

  it('lets analyst and screening keys in; a screening key is refused everywhere else', async () => {
    expect((await call(app, 'POST', '/v1/screenings', { token: w.analyst, body: { phones: [IDS.A.phone] } })).status).toBe(200);
    for (const [method, path] of [['GET', '/v1/rings'], ['GET', `/v1/rings/${w.ringOf('B1')}`], ['POST', `/v1/rings/${w.ringOf('B1')}/closures`]] as const) {
      const response = await call(app, method, path, { token: w.screening, body: method === 'POST' ? { dryRun: true, reason: 'x' } : undefined, headers: { 'idempotency-key': 'k' } });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect((await problemOf(response)).type).toBe('urn:ringwatch:problem:forbidden-role');
    }
    const brand = await w.h.key('brand', { brand: 'Gucci' });
    expect((await call(app, 'POST', '/v1/screenings', { token: brand, body: { phones: [IDS.A.phone] } })).status).toBe(403);
  });

  it('writes nothing but its audit event, which holds counts, the decision and ring ids, and no identifier', async () => {
    const before = await graphBesidesAudit(w);
    const body = { country: 'CN', paymentAccounts: [IDS.A.account], phones: [IDS.B.phone], addresses: [{ line1: IDS.D.line1, city: 'Guangzhou', country: 'CN' }], carrierAccounts: [{ carrier: 'SF', account: IDS.A.carrier }], email: 'li.wei@example.com' };
    const outcome = await screen(body);
    expect(await graphBesidesAudit(w)).toEqual(before);
    const { records } = await w.h.db.driver.executeQuery('MATCH (e:AuditEvent) RETURN e ORDER BY e.seq DESC LIMIT 1');
    const event = records[0]!.get('e').properties as Record<string, unknown>;
    expect(event).toMatchObject({ action: 'screening.check', target: 'screening', role: 'screening' });
    expect(JSON.parse(String(event.detail))).toEqual({
      decision: 'block',
      identifiers: { paymentAccounts: 1, phones: 1, addresses: 1, carrierAccounts: 1, email: 1 },
      matches: 3,
      ringIds: outcome.matches.map((m) => m.ringId),
    });
    // The event's own request id and hashes are hex, so only what the screening put in is searched.
    const answerAndAudit = `${JSON.stringify(outcome)} ${String(event.detail)} ${String(event.target)}`.toLowerCase();
    for (const needle of ['62220000', '6222 ', '13800138000', '1390013', '139 0013', 'room', 'market', 'guangzhou', 'cn|', 'sf-1111', 'sf:', 'li.wei', 'example.com']) {
      expect(answerAndAudit, needle).not.toContain(needle);
    }
  });

  it('logs no identifier (one request line, nothing of the body)', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('').toLowerCase();
    for (const needle of ['62220000', '6222 ', '13800138000', '1390013', 'market', 'aggregator', 'de89', 'li.wei', 'cn|', 'sf:']) expect(log, needle).not.toContain(needle);
  });

  it('looks every label up through its key constraint: unique index seeks, no scans', async () => {
    const params = { keys: { PaymentAccount: ['X'], Phone: ['+8613800138000'], CarrierAccount: ['SF:X'], Address: ['CN|x||'] }, vocabulary: CYPHER_VOCABULARY };
    const { summary } = await w.h.db.driver.executeQuery(`EXPLAIN ${cypher('screenings/lookup')}`, params);
    const operators: string[] = [];
    const walk = (plan: { operatorType: string; children: unknown[] }) => {
      operators.push(plan.operatorType.replace(/@.*$/, ''));
      for (const child of plan.children) walk(child as typeof plan);
    };
    walk(summary.plan as never);
    expect(operators.filter((op) => op.startsWith('NodeUniqueIndexSeek')).length).toBe(4);
    expect(operators.filter((op) => /Scan/.test(op))).toEqual([]);
  });

  it('blocks on a closed store that a later run leaves in no ring', async () => {
    // A run that takes every identifier of three or more stores for a hub: ring A falls apart,
    // and A1, closed, is left alone with its own phone.
    const rerun = await runDetection(new Neo4jDetectionStore(w.h.db), { communities: { seed: 7 }, projection: { hubLimit: 2 } });
    expect(rerun.rings.some((r) => r.sellerIds.includes('A1'))).toBe(false);
    expect(await screen({ phones: [IDS.a1OwnPhone] })).toEqual({
      decision: 'block',
      matches: [{ ringId: null, status: 'closed', riskScore: null, flagged: false, decision: 'block', matchedOn: [{ kind: 'phone', sellerIds: ['A1'] }] }],
    });
    // Its shared account is a hub now, and a hub never matches, closed stores or not.
    expect(await screen({ paymentAccounts: [IDS.A.account] })).toEqual({ decision: 'allow', matches: [] });
  });
});
