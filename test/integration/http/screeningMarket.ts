import { join } from 'node:path';
import { runDetection, type DetectionSummary } from '../../../src/analysis/runDetection.ts';
import { Neo4jDetectionStore } from '../../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { tempDir, writeMarket } from '../ingest/fixtures.ts';
import { freshDb } from '../../support/db.ts';
import { appOver, call, type AppHarness } from './harness.ts';

type Rec = Record<string, unknown>;

/**
 * A marketplace for screening, loaded by the real ingest and scored by the real detection:
 * three counterfeit triangles (A, B, D: each sharing an account, a sender phone, a return address
 * and a carrier account, selling Gucci at a fifth of its price), an honest owner of three stores
 * (O: shared everything, normal prices), 120 honest sellers paid through one aggregator wallet
 * that A1 uses too (a hub), and A1's own phone, on A1 alone.
 */
export const IDS = {
  A: { account: '6222 0000 1111 0000', phone: '+86 13800138000', line1: 'Room 101, 8 Market Rd', carrier: 'SF-1111 01' },
  B: { account: '6222 0000 2222 0000', phone: '139 0013 9000', line1: 'Room 202, 9 Market Rd', carrier: 'SF-2222 02' },
  D: { account: '6222 0000 4444 0000', phone: '+86 137 0013 7000', line1: 'Room 404, 7 Market Rd', carrier: 'SF-4444 04' },
  honestAccount: 'DE89 3704 0044 0532 0130 00',
  hubAccount: 'AGGREGATOR-1',
  a1OwnPhone: '+86 139 1234 5678',
} as const;

export function screeningMarket(): Record<string, Rec[]> {
  const m: Record<string, Rec[]> = { sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] };
  const seller = (id: string, registeredAt: string, extra: Rec = {}) => m.sellers!.push({ seller_id: id, store_name: `Store ${id}`, country: 'CN', registered_at: registeredAt, ...extra });
  const listings = (id: string, price: number, n = 4) => {
    for (let i = 0; i < n; i++) m.listings!.push({ listing_id: `${id}-L${i}`, seller_id: id, title: 'GG Marmont bag', price, currency: 'USD', brand: 'Gucci', category: 'bags' });
  };
  for (const ring of ['A', 'B', 'D'] as const) {
    const ids = IDS[ring];
    [1, 2, 3].forEach((n, i) => {
      const id = `${ring}${n}`;
      seller(id, `2025-05-0${i + 1}`, id === 'A1' ? { phone: IDS.a1OwnPhone } : {});
      listings(id, 300);
      m.payment_accounts!.push({ seller_id: id, account_id: ids.account, kind: 'bank' });
      m.shipping_links!.push({ seller_id: id, shipment_id: `${id}-S`, carrier: 'SF', sender_phone: ids.phone, carrier_account: ids.carrier });
      m.addresses!.push({ seller_id: id, role: 'return', line1: ids.line1, city: 'Guangzhou', country: 'CN' });
    });
  }
  for (const id of ['O1', 'O2', 'O3']) {
    seller(id, id === 'O1' ? '2015-01-01' : id === 'O2' ? '2018-06-01' : '2021-03-01', { country: 'DE' });
    listings(id, 1500);
    m.payment_accounts!.push({ seller_id: id, account_id: IDS.honestAccount, kind: 'bank' });
    m.addresses!.push({ seller_id: id, role: 'registered', line1: '5 Honest St', city: 'Berlin', country: 'DE' });
  }
  for (let i = 0; i < 120; i++) {
    const id = `H${i}`;
    seller(id, `20${10 + (i % 14)}-02-01`);
    listings(id, 1400 + i, 2);
    m.payment_accounts!.push({ seller_id: id, account_id: IDS.hubAccount, kind: 'wallet' });
  }
  m.payment_accounts!.push({ seller_id: 'A1', account_id: IDS.hubAccount, kind: 'wallet' });
  return m;
}

export interface ScreeningWorld {
  h: AppHarness;
  detection: DetectionSummary;
  analyst: string;
  screening: string;
  ringOf(sellerId: string): string;
}

/**
 * The market ingested and detected on a fresh graph, then ring A closed and D1 alone closed, both
 * through the closures route (the real path, src/actions/closures.ts).
 */
export async function startScreeningWorld(): Promise<ScreeningWorld> {
  const h = appOver(await freshDb());
  const dir = writeMarket(tempDir(), 'ndjson', screeningMarket() as never);
  await ingestDirectory(h.db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
  const detection = await runDetection(new Neo4jDetectionStore(h.db), { communities: { seed: 7 } });
  const ringOf = (sellerId: string) => {
    const ring = detection.rings.find((r) => r.sellerIds.includes(sellerId));
    if (!ring) throw new Error(`${sellerId} is in no ring`);
    return ring.ringId;
  };
  const analyst = await h.key('analyst');
  const screening = await h.key('screening');
  const close = async (ringId: string, body: Rec, key: string) => {
    const response = await call(h.app, 'POST', `/v1/rings/${ringId}/closures`, { token: analyst, body: { dryRun: false, reason: 'counterfeit Gucci', ...body }, headers: { 'idempotency-key': key } });
    if (response.status !== 201) throw new Error(`closure of ${ringId}: ${response.status} ${await response.text()}`);
  };
  await close(ringOf('A1'), {}, 'close-a');
  await close(ringOf('D1'), { sellerIds: ['D1'] }, 'close-d1');
  return { h, detection, analyst, screening, ringOf };
}
