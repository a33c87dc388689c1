import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRingStores } from '../../../src/actions/closures.ts';
import type { MarketTruth } from '../../../src/analysis/marketTruth.ts';
import { runDetection, type DetectionOptions, type DetectionSummary } from '../../../src/analysis/runDetection.ts';
import { normaliseAccountId } from '../../../src/ingest/normalise/account.ts';
import type { Db, Tx } from '../../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { freshDb } from '../../support/db.ts';
import { deltaDir, generatedMarket, marketPart, type Market, type Rec } from './market.ts';

/**
 * Incremental detection (docs/live.md, "Incremental detection") on a generated market fed in a
 * base and several deltas: stores that join their rings late, two rings that arrive whole, a
 * closed ring's stores reopening under variants of their identifiers; then a full run, which
 * must keep the same rings and ids; and a run that fails while writing, which must leave the
 * rings as they were.
 */
describe('incremental detection against a real Neo4j', () => {
  let db: Db;
  let market: Market;
  let truth: MarketTruth;
  let first: DetectionSummary;
  const late = new Map<string, string[]>(); // a late store → the other members of its planted ring
  const arrivingWhole: string[][] = [];
  const options: DetectionOptions = { communities: { seed: 11 } };
  const detect = (extra: DetectionOptions = {}, store = new Neo4jDetectionStore(db)) => runDetection(store, { ...options, ...extra });
  const ingest = async (dir: string) => {
    const summary = await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
    for (const file of Object.values(summary.files)) expect(file.rejected).toBe(0);
  };
  const ringsNow = async () => new Map((await new Neo4jDetectionStore(db).exportRings(false)).map((r) => [r.ringId, r]));
  const alertsOf = (summary: DetectionSummary, kind: string) => summary.alerts.filter((a) => a.kind === kind);

  beforeAll(async () => {
    db = await freshDb();
    ({ market, truth } = await generatedMarket(4000, 40, 3));
    const plain = truth.rings.filter((r) => r.bridged_with === null && r.seller_ids.length >= 5);
    for (const ring of plain.slice(0, 2)) arrivingWhole.push([...ring.seller_ids]);
    const active = new Set(market.sellers.filter((s) => s.status === 'active').map((s) => String(s.seller_id)));
    for (const ring of plain.slice(2, 6)) {
      // An open store arrives late (one the marketplace had already closed would not be news).
      const store = ring.seller_ids.find((id) => active.has(id))!;
      late.set(store, ring.seller_ids.filter((id) => id !== store));
    }
    const heldOut = new Set([...late.keys(), ...arrivingWhole.flat()]);
    await ingest(marketPart(market, (id) => !heldOut.has(id)));
    first = await detect();
  }, 240_000);
  afterAll(async () => {
    await db.close();
  });

  it('runs fully the first time, and raises new_ring for each flagged ring', async () => {
    expect(first.run.mode).toBe('full');
    expect(first.run.modeReason).toBe('no earlier run');
    const flagged = first.rings.filter((r) => r.score.flagged);
    expect(flagged.length).toBeGreaterThan(20);
    expect(alertsOf(first, 'new_ring').map((a) => a.ringId).sort()).toEqual(flagged.map((r) => r.ringId).sort());
    expect(alertsOf(first, 'ring_growth')).toEqual([]);
    const stored = await db.read('detect/last_run');
    expect(stored[0]).toMatchObject({ runId: first.run.runId, completed: true });
  });

  it('with nothing changed, re-clusters nobody, writes nothing and raises nothing', async () => {
    const before = await ringsNow();
    const again = await detect();
    expect(again.run.mode).toBe('incremental');
    expect(again.run.counts).toMatchObject({ changedSellers: 0, sellersReclustered: 0, ringsWritten: 0, alerts: 0 });
    expect(await ringsNow()).toEqual(before);
  });

  it('re-clusters only the late stores\' part of the market and raises ring_growth on their rings', async () => {
    const before = await ringsNow();
    await ingest(marketPart(market, (id) => late.has(id)));
    const run = await detect();
    expect(run.run.mode).toBe('incremental');
    expect(run.run.counts.changedSellers).toBe(late.size);
    expect(run.run.counts.sellersReclustered).toBeLessThan(truth.sellers / 10);

    const after = await ringsNow();
    for (const [store, others] of late) {
      const ring = [...after.values()].find((r) => r.sellerIds.includes(others[0]!))!;
      expect(ring.sellerIds).toContain(store);
      const earlier = [...before.values()].find((r) => r.sellerIds.includes(others[0]!))!;
      expect(ring.ringId).toBe(earlier.ringId); // the ring keeps its id
      if (ring.flagged) {
        // Generated rings have stores the marketplace closed before: joining such a ring is recidivism.
        const closedBefore = market.sellers.some((s) => others.includes(String(s.seller_id)) && s.status !== 'active');
        const alert = alertsOf(run, closedBefore ? 'recidivism' : 'ring_growth').find((a) => a.ringId === ring.ringId)!;
        expect(alert.sellerIds).toEqual([store]);
        expect(alert.evidence.length).toBeGreaterThan(0);
        for (const e of alert.evidence) {
          expect(e.sellerIds).toContain(store);
          expect(e.sellerIds.some((id) => others.includes(id))).toBe(true);
        }
      }
    }
    expect(run.alerts.length).toBeGreaterThan(0);
    // Rings away from the late stores are as they were: same ids, members and scores.
    const touched = new Set(run.rings.map((r) => r.ringId));
    for (const [ringId, ring] of before) if (!touched.has(ringId)) expect(after.get(ringId)).toEqual(ring);
  });

  it('puts two reopened stores of a closed ring into that ring, under its id, with a recidivism alert', async () => {
    const rings = await ringsNow();
    const lateRings = new Set([...rings.values()].filter((r) => r.sellerIds.some((id) => late.has(id))).map((r) => r.ringId));
    const target = [...rings.values()].find((r) => r.flagged && r.sellerIds.length >= 4 && !lateRings.has(r.ringId))!;
    await closeRingStores(
      { db, actor: { keyId: 'test', role: 'analyst', requestId: 'test-close' }, at: new Date(), meta: { app: 'test' } },
      { ringId: target.ringId, dryRun: false, reason: 'counterfeit ring', idempotencyKey: 'close-1' },
    );
    // Two new stores under variants of a closed store's payment account and sender phone.
    const closed = target.sellerIds.find((id) => market.payment_accounts.some((p) => p.seller_id === id))!;
    const account = market.payment_accounts.find((p) => p.seller_id === closed)!;
    const phone = market.shipping_links.find((l) => l.seller_id === closed && l.sender_phone)?.sender_phone;
    const country = market.sellers.find((s) => s.seller_id === closed)!.country;
    const variant = normaliseAccountId(String(account.account_id))!.toLowerCase().replace(/(.{4})(?=.)/g, '$1-');
    const reopened = ['REOPEN-1', 'REOPEN-2'];
    await ingest(
      deltaDir({
        sellers: reopened.map((id) => ({ seller_id: id, store_name: `Fresh start ${id}`, country, registered_at: new Date().toISOString() })),
        payment_accounts: reopened.map((id) => ({ seller_id: id, account_id: variant, kind: account.kind })),
        shipping_links: phone ? reopened.map((id) => ({ seller_id: id, shipment_id: `${id}-1`, carrier: 'SF', sender_phone: ` ${String(phone)} ` })) : [],
      }),
    );
    const run = await detect();
    expect(run.run.mode).toBe('incremental');
    const after = await ringsNow();
    expect(after.get(target.ringId)!.sellerIds).toEqual(expect.arrayContaining([...target.sellerIds, ...reopened]));
    const recidivism = alertsOf(run, 'recidivism');
    expect(recidivism).toHaveLength(1);
    expect(recidivism[0]).toMatchObject({ ringId: target.ringId, sellerIds: reopened });
    const accountEvidence = recidivism[0]!.evidence.find((e) => e.kind === 'paymentAccount')!;
    expect(accountEvidence.key).toBe(normaliseAccountId(String(account.account_id)));
    expect(accountEvidence.sellerIds).toEqual(expect.arrayContaining([closed, ...reopened]));
    expect(alertsOf(run, 'ring_growth').filter((a) => a.ringId === target.ringId)).toEqual([]); // recidivism takes precedence
  });

  it('raises new_ring for rings that arrive whole', async () => {
    const dir = marketPart(market, (id) => arrivingWhole.some((ring) => ring.includes(id)));
    await ingest(dir);
    const run = await detect();
    expect(run.run.mode).toBe('incremental');
    for (const planted of arrivingWhole) {
      const alert = alertsOf(run, 'new_ring').find((a) => a.sellerIds.filter((id) => planted.includes(id)).length >= planted.length / 2);
      expect(alert, `a new_ring alert for ${planted.join(',')}`).toBeDefined();
    }
  });

  it('a run that fails while writing leaves the rings as they were, and the next run does the work', async () => {
    const [store, others] = [...late][0]!;
    const account = market.payment_accounts.find((p) => others.includes(String(p.seller_id)))!;
    await ingest(deltaDir({
      sellers: [{ seller_id: 'LATE-2', store_name: 'Another one', country: 'CN' }],
      payment_accounts: [{ seller_id: 'LATE-2', account_id: account.account_id, kind: account.kind }],
    }));
    void store;
    const before = await ringsNow();
    const failing = new Neo4jDetectionStore(failOn(db, 'alerts/write'));
    await expect(detect({}, failing)).rejects.toThrow(/injected/);
    expect(await ringsNow()).toEqual(before);
    const run = await detect();
    expect(run.run.mode).toBe('incremental');
    expect(run.alerts.filter((a) => a.sellerIds.includes('LATE-2'))).toHaveLength(1);
    const after = await ringsNow();
    expect([...after.values()].some((r) => r.sellerIds.includes('LATE-2') && r.sellerIds.includes(String(account.seller_id)))).toBe(true);
  });

  it('after the incremental runs every marked hub stores its current size (region_step reads it for unchanged sellers)', async () => {
    const { records } = await db.driver.executeQuery(`
      MATCH (h:Hub)
      CALL (h) {
        MATCH (h)<-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(x:Seller) RETURN x
        UNION
        MATCH (h)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(x:Seller) RETURN x
      }
      RETURN h.key AS key, h.hubSellerCount AS stored, count(DISTINCT x) AS actual`);
    const hubs = records.map((r) => ({ key: String(r.get('key')), stored: Number(r.get('stored')), actual: Number(r.get('actual')) }));
    expect(hubs.length).toBeGreaterThan(0);
    for (const hub of hubs) expect(hub.stored, hub.key).toBe(hub.actual);
    // The deltas above moved some hub's size since the first run, so the stored sizes were rewritten.
    const firstSize = new Map(first.hubs.map((h) => [h.key, h.sellerCount]));
    expect(hubs.some((h) => firstSize.get(h.key) !== h.actual)).toBe(true);
  });

  it('a full run afterwards keeps the same rings and ids, and raises no alert twice', async () => {
    const before = await ringsNow();
    const full = await detect({ full: true });
    expect(full.run.mode).toBe('full');
    expect(full.run.modeReason).toMatch(/--full/);
    const after = await ringsNow();
    const key = (r: { sellerIds: string[] }) => [...r.sellerIds].sort().join(',');
    const same = [...after.values()].filter((r) => before.get(r.ringId) && key(before.get(r.ringId)!) === key(r));
    // Up to Louvain's ties: the order it visits sellers in differs between one region and the whole market.
    // Up to Louvain's ties (the order it visits sellers in differs between a region and the whole
    // market): every ring keeps its id and nearly all its members, and flagged rings all of them.
    // (On this market 35-37 of 40 rings come out identical; the others are honest blobs of 170-300
    // stores joined by stock photos, a member or three apart, and the order varies with the random ids.)
    expect(same.length / before.size).toBeGreaterThan(0.8);
    for (const ring of before.values()) {
      const now = after.get(ring.ringId)!;
      expect(now, ring.ringId).toBeDefined();
      const common = now.sellerIds.filter((id) => ring.sellerIds.includes(id)).length;
      expect(common / (now.sellerIds.length + ring.sellerIds.length - common)).toBeGreaterThan(0.95);
      if (ring.flagged) expect(key(now)).toBe(key(ring));
    }
    // Each alert once: the full run alerts only where its rings differ from the incremental runs'.
    const differing = new Set([...after.values()].filter((r) => !same.includes(r)).map((r) => r.ringId));
    for (const alert of full.alerts) expect(differing.has(alert.ringId), `${alert.kind} on ${alert.ringId}`).toBe(true);
  });
});

/** A Db whose write transactions fail when they reach the named statement (after running the ones before it). */
function failOn(db: Db, statement: string): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'writeTx') return Reflect.get(target, property, receiver);
      return (work: (tx: Tx) => Promise<unknown>, meta?: never) =>
        target.writeTx(
          (tx) =>
            work({
              run: async (name, params) => {
                if (name === statement) throw new Error(`injected failure at ${name}`);
                return tx.run(name, params);
              },
            }),
          meta,
        );
    },
  });
}

export type { Rec };
