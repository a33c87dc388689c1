import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetection, type DetectionSummary } from '../../src/analysis/runDetection.ts';
import type { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';
import { freshDb, graphFingerprint } from '../support/db.ts';
import { tempDir, writeMarket } from './ingest/fixtures.ts';

type Rec = Record<string, unknown>;

/**
 * A marketplace whose right answer can be seen: two counterfeit triangles (each sharing an
 * account, a phone and a return address, selling Gucci at a fifth of its price) joined by one
 * mule account; an honest owner of three stores sharing everything at normal prices; 120 honest
 * sellers paid through one aggregator wallet (a hub); and honest sellers setting the median.
 */
function market() {
  const m: Record<string, Rec[]> = { sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] };
  const seller = (id: string, registeredAt: string) => m.sellers!.push({ seller_id: id, store_name: `Store ${id}`, country: 'CN', registered_at: registeredAt });
  const listings = (id: string, price: number, n = 4) => {
    for (let i = 0; i < n; i++) m.listings!.push({ listing_id: `${id}-L${i}`, seller_id: id, title: 'GG Marmont bag', price, currency: 'USD', brand: 'Gucci', category: 'bags' });
  };
  for (const [ring, members] of [['A', ['A1', 'A2', 'A3']], ['B', ['B1', 'B2', 'B3']]] as const) {
    members.forEach((id, i) => {
      seller(id, `2025-05-0${i + 1}`);
      listings(id, 300);
      m.payment_accounts!.push({ seller_id: id, account_id: `6222 0000 ${ring === 'A' ? '1111' : '2222'} 000${i % 2}`.replace(/ 000\d$/, ' 0000'), kind: 'bank' });
      m.shipping_links!.push({ seller_id: id, shipment_id: `${id}-S`, carrier: 'SF', sender_phone: ring === 'A' ? '138 0013 8000' : '139 0013 9000' });
      m.addresses!.push({ seller_id: id, role: 'return', line1: `Room ${ring === 'A' ? 101 : 202}, 8 Market Rd`, city: 'Guangzhou', country: 'CN' });
    });
  }
  m.payment_accounts!.push({ seller_id: 'A3', account_id: 'MULE-77', kind: 'wallet' }, { seller_id: 'B1', account_id: 'mule 77', kind: 'wallet' });
  for (const id of ['O1', 'O2', 'O3']) {
    seller(id, id === 'O1' ? '2015-01-01' : id === 'O2' ? '2018-06-01' : '2021-03-01');
    listings(id, 1500);
    m.payment_accounts!.push({ seller_id: id, account_id: 'DE89 3704 0044 0532 0130 00', kind: 'bank' });
    m.addresses!.push({ seller_id: id, role: 'registered', line1: '5 Honest St', city: 'Berlin', country: 'DE' });
    m.shipping_links!.push({ seller_id: id, shipment_id: `${id}-S`, carrier: 'DHL', sender_phone: '+49 30 901820' });
  }
  for (let i = 0; i < 120; i++) {
    const id = `H${i}`;
    seller(id, `20${10 + (i % 14)}-02-01`);
    listings(id, 1400 + i, 2);
    m.payment_accounts!.push({ seller_id: id, account_id: 'AGGREGATOR-1', kind: 'wallet' });
  }
  m.payment_accounts!.push({ seller_id: 'A1', account_id: 'AGGREGATOR-1', kind: 'wallet' });
  return m;
}

describe('detection against a real Neo4j', () => {
  let db: Db;
  let first: DetectionSummary;
  let counter = 0;
  const options = { newRingId: () => `R-TEST${String(++counter).padStart(4, '0')}`, communities: { seed: 7 } };

  beforeAll(async () => {
    db = await freshDb();
    const dir = writeMarket(tempDir(), 'ndjson', market() as never);
    await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
    first = await runDetection(new Neo4jDetectionStore(db), options);
  });
  afterAll(async () => {
    await db.close();
  });

  const ringOf = (summary: DetectionSummary, sellerId: string) => summary.rings.find((r) => r.sellerIds.includes(sellerId));

  it('finds the two counterfeit triangles as two flagged rings despite the mule account', () => {
    const a = ringOf(first, 'A1');
    const b = ringOf(first, 'B1');
    expect(a?.sellerIds).toEqual(['A1', 'A2', 'A3']);
    expect(b?.sellerIds).toEqual(['B1', 'B2', 'B3']);
    expect(a?.score.flagged).toBe(true);
    expect(b?.score.flagged).toBe(true);
    const price = a!.score.factors.find((f) => f.name === 'price_below_reference')!;
    expect(price.contribution).toBeGreaterThan(0);
    expect(price.detail).toMatch(/12 of 12 listings .* below 50% of it/);
  });

  it('does not flag the honest owner of three stores', () => {
    const owner = ringOf(first, 'O1');
    expect(owner?.sellerIds).toEqual(['O1', 'O2', 'O3']);
    expect(owner?.score.flagged).toBe(false);
  });

  it('reports the aggregator wallet as a hub, with the ring it touches, instead of linking 121 sellers', async () => {
    expect(first.hubs).toHaveLength(1);
    expect(first.hubs[0]).toMatchObject({ kind: 'paymentAccount', key: 'AGGREGATOR1', sellerCount: 121 });
    expect(first.hubs[0]!.touches).toEqual([{ ringId: ringOf(first, 'A1')!.ringId, sellers: 1 }]);
    expect(ringOf(first, 'H1')).toBeUndefined();
    const rows = await db.driver.executeQuery('MATCH (r:Ring)-[t:TOUCHES_HUB]->(h:Hub:PaymentAccount) RETURN r.ringId AS ringId, t.sellers AS sellers, h.hubSellerCount AS n');
    expect(rows.records.map((r) => [r.get('ringId'), Number(r.get('sellers')), Number(r.get('n'))])).toEqual([[ringOf(first, 'A1')!.ringId, 1, 121]]);
  });

  it('writes rings, memberships, styling properties and the run record to Neo4j', async () => {
    const { records } = await db.driver.executeQuery(
      'MATCH (s:Seller)-[:MEMBER_OF]->(r:Ring) RETURN r.ringId AS ringId, r.flagged AS flagged, r.size AS size, collect(s.sellerId) AS members, collect(DISTINCT s.ringRisk) AS risks ORDER BY ringId',
    );
    expect(records).toHaveLength(first.rings.length);
    for (const record of records) {
      const ring = first.rings.find((r) => r.ringId === record.get('ringId'))!;
      expect((record.get('members') as string[]).sort()).toEqual(ring.sellerIds);
      expect(Number(record.get('size'))).toBe(ring.sellerIds.length);
      expect(record.get('risks')).toEqual([ring.score.riskScore]);
    }
    const run = await db.driver.executeQuery('MATCH (d:DetectionRun) RETURN d.runId AS runId, d.modularity AS modularity, d.timings AS timings');
    expect(run.records).toHaveLength(1);
    expect(run.records[0]!.get('runId')).toBe(first.run.runId);
    expect(JSON.parse(run.records[0]!.get('timings') as string)).toHaveProperty('communitiesMs');
  });

  it('re-running in full keeps ring ids and replaces the assignment cleanly', async () => {
    const before = await graphFingerprint(db);
    const second = await runDetection(new Neo4jDetectionStore(db), { ...options, full: true });
    expect(second.run.mode).toBe('full');
    expect(second.rings.map((r) => [r.ringId, r.sellerIds])).toEqual(first.rings.map((r) => [r.ringId, r.sellerIds]));
    expect(second.events.every((e) => e.type === 'continued')).toBe(true);
    const memberships = await db.driver.executeQuery('MATCH (:Seller)-[m:MEMBER_OF]->(:Ring) RETURN count(m) AS n');
    expect(Number(memberships.records[0]!.get('n'))).toBe(first.rings.reduce((n, r) => n + r.sellerIds.length, 0));
    const after = await graphFingerprint(db);
    // Only the new DetectionRun, its DETECTED_IN links and the `continued` events were added.
    expect(after.nodes - before.nodes).toBe(1 + second.events.length);
  });

  it('re-running with nothing changed is incremental and leaves every ring as it was', async () => {
    const before = await graphFingerprint(db);
    const third = await runDetection(new Neo4jDetectionStore(db), options);
    expect(third.run.mode).toBe('incremental');
    expect(third.run.counts).toMatchObject({ changedSellers: 0, sellersReclustered: 0, ringsWritten: 0, alerts: 0 });
    const after = await graphFingerprint(db);
    // Only the run's record was added.
    expect(after.nodes - before.nodes).toBe(1);
    expect(after.relationships).toBe(before.relationships);
  });
});
