import { PROJECTION_DEFAULTS } from '../../src/analysis/projection.ts';
import type { Db } from '../../src/graph/db.ts';
import { ingestAndDetect, ringOf, writeParts, type IngestRecord, type MarketPart } from '../support/pipeline.ts';

/**
 * The market the Bloom perspective and the Browser guide are tried on, as ingest files in two
 * parts, each loaded by the real ingest and followed by a real detection run (test/support/pipeline.ts):
 *
 * - Ring A: A1–A3 selling Gucci bags at a fifth of the marketplace's price; A1 and A2 pay into one
 *   account (typed two ways), A3 into an IBAN of its own; all three give one return address (typed
 *   three ways); A1 also has a phone and a warehouse origin of its own, which link no one.
 * - Ring B: B1, B2 selling cheap Nike shoes; one card (typed with full-width digits, an en dash and
 *   a zero-width space, and plainly) and one sender phone; opened three weeks apart (no burst), so
 *   that A scores higher.
 * - Ring C: C1, C2 selling Louis Vuitton at normal prices, sharing a carrier account and a product
 *   photo: not flagged. (Either alone would be a loose tie, too weak to make a ring: docs/detection.md.)
 * - Ring D: D1, D2 selling cheap Gucci with one product photo and one carrier account, found in July;
 *   in August the marketplace moved D2's listings to D1, only the carrier account links them, a loose
 *   tie, and the ring is dissolved (inactive, no members) though it was flagged.
 * - An aggregator wallet that A1, B1 and more than the hub limit of other stores (H1, H2, …) are
 *   paid through: a hub, linking no one. H1–H13 also list Gucci and Nike at normal prices (the medians).
 */

export const DETECTION_TIMES = ['2026-07-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z'] as const;

/** Accounts as sellers typed them (the test keys them with ingest's own normaliser). */
export const PAYMENTS: { sellerId: string; raw: string; kind: string }[] = [
  { sellerId: 'A1', raw: '6222 0200-1234 5678', kind: 'bank' },
  { sellerId: 'A2', raw: '6222.0200.1234.5678', kind: 'bank' },
  { sellerId: 'A3', raw: 'de89 3704/0044\\0532', kind: 'bank' },
  { sellerId: 'B1', raw: '６２２２–0300\u200b9999 0000', kind: 'card' },
  { sellerId: 'B2', raw: '6222 0300 9999 0000', kind: 'card' },
  { sellerId: 'A1', raw: 'AGGREGATOR-1', kind: 'wallet' },
  { sellerId: 'B1', raw: 'aggregator 1', kind: 'wallet' },
];
export const CARRIER_ACCOUNTS = [
  { sellerId: 'C1', raw: 'sf-ca 7788·01', carrier: 'SF' },
  { sellerId: 'C2', raw: 'SFCA 778801', carrier: 'SF' },
];
/** The ring's return address as A1–A3 typed it. */
export const RETURN_ADDRESSES = [
  { sellerId: 'A1', line1: 'Rm 101, 8 Market Rd', city: 'Guangzhou', country: 'CN' },
  { sellerId: 'A2', line1: 'Room 101, No. 8 Market Road', city: 'guangzhou', country: 'CN' },
  { sellerId: 'A3', line1: 'ROOM 101 8 MARKET RD', city: 'GUANGZHOU', country: 'cn' },
];
/** Stores paid through the aggregator wallet besides A1 and B1: more than the hub limit in all. */
export const HUB_STORES = Array.from({ length: PROJECTION_DEFAULTS.hubLimit }, (_, i) => `H${i + 1}`);

function july(): MarketPart {
  const sellers: IngestRecord[] = [];
  const listings: IngestRecord[] = [];
  const seller = (id: string, registeredAt: string, extra: IngestRecord = {}) =>
    sellers.push({ seller_id: id, store_name: `Store ${id}`, country: 'CN', email: `${id.toLowerCase()}@example.com`, registered_at: registeredAt, ...extra });
  const listing = (id: string, sellerId: string, brand: string, category: string, price: number, image?: string) =>
    listings.push({ listing_id: id, seller_id: sellerId, title: `${brand} ${category}`, price, currency: 'USD', brand, category, image_hash: image });

  ['A1', 'A2', 'A3'].forEach((id, i) => seller(id, `2026-05-0${i + 1}`, id === 'A1' ? { phone: '139 0000 0001' } : {}));
  listing('A1-L1', 'A1', 'Gucci', 'bags', 300, 'AAA0AAA0');
  listing('A2-L1', 'A2', 'Gucci', 'bags', 280, 'aaa0aaa0');
  listing('A3-L1', 'A3', 'Gucci', 'bags', 310);
  for (const id of ['B1', 'B2']) seller(id, id === 'B1' ? '2026-05-10' : '2026-06-01');
  listing('B1-L1', 'B1', 'Nike', 'shoes', 20);
  listing('B1-L2', 'B1', 'Nike', 'shoes', 22);
  listing('B2-L1', 'B2', 'Nike', 'shoes', 25);
  listing('B2-L2', 'B2', 'Nike', 'shoes', 24);
  for (const id of ['C1', 'C2']) seller(id, id === 'C1' ? '2019-03-01' : '2021-09-01');
  listing('C1-L1', 'C1', 'Louis Vuitton', 'bags', 1500, 'ccc0ccc0');
  listing('C2-L1', 'C2', 'Louis Vuitton', 'bags', 1450, 'ccc0ccc0');
  seller('D1', '2026-06-10');
  seller('D2', '2026-06-10', { status: 'suspended' });
  for (const [i, id] of ['D1-L1', 'D1-L2', 'D2-L1', 'D2-L2'].entries()) listing(id, id.slice(0, 2), 'Gucci', 'bags', 240 + 10 * i, 'ddd0ddd0');
  HUB_STORES.forEach((id, i) => {
    seller(id, `20${String(10 + (i % 14)).padStart(2, '0')}-02-01`);
    if (i < 8) listing(`${id}-L1`, id, 'Gucci', 'bags', 1400 + 10 * i);
    else if (i < 13) listing(`${id}-L1`, id, 'Nike', 'shoes', 110 + 5 * i);
  });

  return {
    sellers,
    listings,
    payment_accounts: [
      ...PAYMENTS.map((p) => ({ seller_id: p.sellerId, account_id: p.raw, kind: p.kind })),
      ...HUB_STORES.map((id) => ({ seller_id: id, account_id: 'AGGREGATOR-1', kind: 'wallet' })),
    ],
    addresses: RETURN_ADDRESSES.map(({ sellerId, ...address }) => ({ seller_id: sellerId, role: 'return', ...address })),
    shipping_links: [
      { seller_id: 'A1', shipment_id: 'A1-S1', carrier: 'SF', origin: { line1: 'Unit 5, 2 Port Rd', city: 'Shenzhen', country: 'CN' } },
      { seller_id: 'B1', shipment_id: 'B1-S1', carrier: 'SF', sender_phone: '138 0013 8000' },
      { seller_id: 'B2', shipment_id: 'B2-S1', carrier: 'SF', sender_phone: '+86 138-0013-8000' },
      ...CARRIER_ACCOUNTS.map((c) => ({ seller_id: c.sellerId, shipment_id: `${c.sellerId}-S1`, carrier: c.carrier, carrier_account: c.raw })),
      ...['D1', 'D2'].map((id) => ({ seller_id: id, shipment_id: `${id}-S1`, carrier: 'SF', carrier_account: 'SFCA 990001' })),
    ],
  };
}

/** August: D2's listings moved to D1 (a listing moved to another seller loses its old LISTED_BY). */
function august(): MarketPart {
  return { listings: ['D2-L1', 'D2-L2'].map((id, i) => ({ listing_id: id, seller_id: 'D1', title: 'Gucci bags', price: 260 + 10 * i, currency: 'USD', brand: 'Gucci', category: 'bags', image_hash: 'ddd0ddd0' })) };
}

export interface BloomMarket {
  rings: { A: string; B: string; C: string; D: string };
}

/** Loads both parts into an empty graph; ring D's id is read before August dissolves it. */
export async function loadBloomMarket(db: Db): Promise<BloomMarket> {
  const [julyDir, augustDir] = writeParts([july(), august()], 'ringwatch-bloom-market-');
  await ingestAndDetect(db, [{ dir: julyDir!, detectAt: DETECTION_TIMES[0] }]);
  const D = await ringOf(db, 'D1');
  // Full, as a nightly run: every ring scored against August's typical prices, which the ranking below relies on.
  await ingestAndDetect(db, [{ dir: augustDir!, detectAt: DETECTION_TIMES[1], full: true }]);
  return { rings: { A: await ringOf(db, 'A1'), B: await ringOf(db, 'B1'), C: await ringOf(db, 'C1'), D } };
}
