import { join } from 'node:path';
import { runDetection, type DetectionSummary } from '../../../src/analysis/runDetection.ts';
import { newAlertId, writeAlerts, type AlertEvidence, type NewAlert } from '../../../src/alerts/alertStore.ts';
import { Neo4jDetectionStore } from '../../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import type { AlertKind } from '../../../src/vocabulary.ts';
import { tempDir, writeMarket } from '../ingest/fixtures.ts';
import { freshDb } from '../../support/db.ts';
import { appOver, call, type AppHarness } from '../http/harness.ts';

type Rec = Record<string, unknown>;

/**
 * A marketplace for alerts, loaded by the real ingest and scored by the real detection: two
 * counterfeit rings, ring G (G1–G3, Gucci bags at a fifth of their price) and ring A (A1–A4,
 * Acme shoes likewise, one store more and so riskier), each sharing a payment account, a sender phone and a return address; an
 * honest owner of three Gucci stores (O1–O3, shared account, normal prices); and honest sellers
 * that set the marketplace's typical prices.
 */
export function alertMarket(): Record<string, Rec[]> {
  const m: Record<string, Rec[]> = { sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] };
  const seller = (id: string, registeredAt: string) => m.sellers!.push({ seller_id: id, store_name: `Store ${id}`, country: 'CN', registered_at: registeredAt });
  const listings = (id: string, brand: string, category: string, price: number, n = 4) => {
    for (let i = 0; i < n; i++) m.listings!.push({ listing_id: `${id}-${brand}-L${i}`, seller_id: id, title: `${brand} ${category}`, price, currency: 'USD', brand, category });
  };
  const rings = [
    { ring: 'G', stores: 3, brand: 'Gucci', category: 'bags', price: 300, account: '6222 0000 1111 0000', phone: '+86 138 0013 8000', line1: 'Room 101, 8 Market Rd' },
    { ring: 'A', stores: 4, brand: 'Acme', category: 'shoes', price: 20, account: '6222 0000 2222 0000', phone: '+86 139 0013 9000', line1: 'Room 202, 9 Market Rd' },
  ];
  for (const r of rings) {
    Array.from({ length: r.stores }, (_, i) => i + 1).forEach((n) => {
      const id = `${r.ring}${n}`;
      seller(id, `2025-05-0${n}`);
      listings(id, r.brand, r.category, r.price);
      m.payment_accounts!.push({ seller_id: id, account_id: r.account, kind: 'bank' });
      m.shipping_links!.push({ seller_id: id, shipment_id: `${id}-S`, carrier: 'SF', sender_phone: r.phone });
      m.addresses!.push({ seller_id: id, role: 'return', line1: r.line1, city: 'Guangzhou', country: 'CN' });
    });
  }
  for (const id of ['O1', 'O2', 'O3']) {
    seller(id, id === 'O1' ? '2015-01-01' : id === 'O2' ? '2018-06-01' : '2021-03-01');
    listings(id, 'Gucci', 'bags', 1500);
    m.payment_accounts!.push({ seller_id: id, account_id: 'DE89 3704 0044 0532 0130 00', kind: 'bank' });
  }
  for (let i = 0; i < 30; i++) {
    const id = `H${i}`;
    seller(id, `20${10 + (i % 14)}-02-01`);
    listings(id, 'Gucci', 'bags', 1400 + i, 2);
    listings(id, 'Acme', 'shoes', 110 + i, 1);
  }
  return m;
}

export interface AlertWorld {
  h: AppHarness;
  detection: DetectionSummary;
  /** What detection itself raised (through writeAlerts), before the suites' own alerts replaced them. */
  detectedAlerts: { alertId: string; kind: string; ringId: string; sellerIds: string[]; unrouted: boolean }[];
  analyst: string;
  /** The ring a seller is in, as detection named it. */
  ringOf(sellerId: string): string;
  /** The normalised key of the identifier node a seller links to by `rel` (PAYS_INTO, SENDS_FROM_PHONE, USES_ADDRESS). */
  keyOf(sellerId: string, rel: string): Promise<string>;
  /** Writes alerts through writeAlerts in a write transaction, as detection's write-back does. */
  raise(alerts: NewAlert[]): Promise<void>;
  /** A new alert on the ring of `sellerId` about `sellerIds`, with its payment account as evidence. */
  alert(kind: AlertKind, sellerId: string, createdAt: string, evidence?: AlertEvidence[]): Promise<NewAlert>;
}

/**
 * The market ingested and detected on a fresh graph (the alerts detection raised itself are kept
 * in `detectedAlerts` and removed: these suites write their own through writeAlerts, at times and
 * of kinds they choose), ring A referred to the agency NCA through the referrals route.
 */
export async function startAlertWorld(): Promise<AlertWorld> {
  const h = appOver(await freshDb());
  const dir = writeMarket(tempDir(), 'ndjson', alertMarket() as never);
  await ingestDirectory(h.db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
  const detection = await runDetection(new Neo4jDetectionStore(h.db), { communities: { seed: 7 } });
  const { records } = await h.db.driver.executeQuery(
    'MATCH (a:Alert) RETURN a.alertId AS alertId, a.kind AS kind, a.ringId AS ringId, a.sellerIds AS sellerIds, a:Unrouted AS unrouted',
    {},
    { database: h.db.database },
  );
  const detectedAlerts = records.map((r) => r.toObject() as AlertWorld['detectedAlerts'][number]);
  await h.db.driver.executeQuery('MATCH (a:Alert) DETACH DELETE a', {}, { database: h.db.database });
  const ringOf = (sellerId: string) => {
    const ring = detection.rings.find((r) => r.sellerIds.includes(sellerId));
    if (!ring) throw new Error(`${sellerId} is in no ring`);
    return ring.ringId;
  };
  const analyst = await h.key('analyst');
  const referral = await call(h.app, 'POST', `/v1/rings/${ringOf('A1')}/referrals`, {
    token: analyst,
    body: { agency: 'NCA', caseReference: 'OP-ALERTS-1' },
    headers: { 'idempotency-key': 'alerts-referral' },
  });
  if (referral.status !== 201) throw new Error(`referral: ${referral.status} ${await referral.text()}`);
  const keyOf = async (sellerId: string, rel: string) => {
    // The relationship type comes from the tests above, never from input.
    const { records } = await h.db.driver.executeQuery(`MATCH (:Seller {sellerId: $sellerId})-[:${rel}]->(i) RETURN i.key AS key`, { sellerId }, { database: h.db.database });
    const key = records[0]?.get('key');
    if (typeof key !== 'string') throw new Error(`${sellerId} has no ${rel}`);
    return key;
  };
  const raise = (alerts: NewAlert[]) => h.db.writeTx((tx) => writeAlerts(tx, alerts), { app: 'test:raise-alerts' });
  const alert = async (kind: AlertKind, sellerId: string, createdAt: string, evidence?: AlertEvidence[]): Promise<NewAlert> => ({
    alertId: newAlertId(),
    kind,
    ringId: ringOf(sellerId),
    sellerIds: [sellerId],
    createdAt,
    runId: detection.run.runId,
    evidence: evidence ?? [{ kind: 'paymentAccount', key: await keyOf(sellerId, 'PAYS_INTO'), sellerIds: detection.rings.find((r) => r.sellerIds.includes(sellerId))!.sellerIds }],
  });
  return { h, detection, detectedAlerts, analyst, ringOf, keyOf, raise, alert };
}
