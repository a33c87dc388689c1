import { PROJECTION_DEFAULTS } from '../../../src/analysis/projection.ts';
import type { RecordKind } from '../../../src/ingest/records.ts';
import type { IngestRecord as Rec } from '../../support/pipeline.ts';

/**
 * The small marketplace the HTTP suites run on, as the files a marketplace hands to
 * `ringwatch ingest` (docs/ingest.md, "Files"), delivered in three monthly parts. Each part is
 * loaded by the real ingest and followed by a real detection run (loadMarket.ts, called by
 * `startHarness`), so the suites read what the pipeline writes: its keys, factor names, scores,
 * hubs and identity events.
 *
 * - Ring A: 5 stores selling cheap "Acme" shoes (and one cheap "Zeta" bag); they pay into one
 *   account, send parcels from one phone (A1–A3), share a return address (A2, A4) and a carrier
 *   account (A3–A5), and A1 and A5 ship from a fulfilment centre that more than the hub limit of
 *   sellers use (a hub). A1–A4 are linked in January, A5 joins them in February (Jaccard 4/5).
 * - Ring B (February): 4 stores selling cheap Zeta bags with one product photo; B1–B3 pay into one
 *   account, B4 into its own. Scores 68, as ring D does, so that a tie is ordered by ring id.
 * - Ring D (March): 2 stores selling cheap "acme" shoes, sharing a phone and a payment account,
 *   opened four weeks apart (no burst); the marketplace suspended D2 before (a prior closure).
 *   Scores 68.
 * - Ring C: 3 honest stores of one owner at normal "ACME" prices sharing an address; not flagged.
 * - S-X1..S-X4: ordinary sellers whose normal prices make the marketplace medians.
 * - S-F001..: ordinary sellers with no listings that ship from the fulfilment centre.
 *
 * Risk scores with the default scoring (docs/detection.md, "Scoring"): A 71.5 = 50 price + 12
 * shared payment accounts (5 of 5) + 8 registration burst (5 of 5) + 1.5 size; B 68 = 50 + 9 (3 of
 * 4) + 8 + 1; D 68 = 50 + 12 + 6 prior closures (1 of 2); C 8.5 = 8 burst + 0.5 size.
 */

type MarketPart = Record<RecordKind, Rec[]>;

/** A well-formed ring id that detection did not issue (ids are 40 random bits: no collision to fear). */
export const UNKNOWN_RING = 'R-ZZZZZZZZ';

/** When each part is detected: a ring's firstSeen is the run that first found it. */
export const DETECTION_TIMES = ['2025-01-15T00:00:00.000Z', '2025-02-15T00:00:00.000Z', '2025-03-15T00:00:00.000Z'] as const;

/** Sellers sharing the fulfilment centre: more than the projection's hub limit, so it is a hub. */
export const HUB_SELLERS = PROJECTION_DEFAULTS.hubLimit + 20;
/** Of those, the ones in rings or with listings (A1, A5, B1, X1); the others are S-F001... */
const HUB_NAMED = ['S-A1', 'S-A5', 'S-B1', 'S-X1'];

const FULFILMENT_CENTRE = { line1: 'Fulfilment Centre 1', line2: '18 Logistics Park Road', city: 'Dongguan', country: 'CN' };

const empty = (): MarketPart => ({ sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] });

const seller = (id: string, storeName: string, registeredAt: string, country: string, extra: Rec = {}): Rec => ({
  seller_id: id,
  store_name: storeName,
  registered_at: registeredAt,
  country,
  ...extra,
});

const listing = (id: string, sellerId: string, brand: string, category: string, price: number, extra: Rec = {}): Rec => ({
  listing_id: id,
  seller_id: sellerId,
  title: `${brand} ${category} ${id}`,
  price,
  currency: 'USD',
  brand,
  category,
  listed_at: '2025-01-10T00:00:00Z',
  ...extra,
});

const hubShipment = (sellerId: string, n = 1): Rec => ({ seller_id: sellerId, shipment_id: `SH-${sellerId}-HUB-${n}`, carrier: 'SF', origin: FULFILMENT_CENTRE });

/** January: ring A without A5's links, ring C, the ordinary sellers and the fulfilment centre. */
function january(): MarketPart {
  const m = empty();
  for (let i = 1; i <= 5; i++) {
    m.sellers.push(seller(`S-A${i}`, `Best Shoes ${i}`, `2025-01-0${i}T08:00:00Z`, 'CN'));
    m.listings.push(listing(`L-A${i}`, `S-A${i}`, 'Acme', 'shoes', 14 + i));
  }
  m.listings.push(listing('L-A6', 'S-A1', 'Zeta', 'bags', 20));
  // One account, typed four ways.
  ['6222 0202 0011 2233', '6222-0202-0011-2233', '6222020200112233', '6222.0202.0011.2233'].forEach((account, i) =>
    m.payment_accounts.push({ seller_id: `S-A${i + 1}`, account_id: account, kind: 'bank', holder_name: 'Wang Fang' }),
  );
  m.addresses.push(
    { seller_id: 'S-A2', role: 'return', line1: 'Rm 1201, Bldg 5', line2: 'No. 88 Huaqiang Rd', city: 'Shenzhen', country: 'CN' },
    { seller_id: 'S-A4', role: 'return', line1: 'Room 1201, Building 5, 88 Huaqiang Road', city: 'shenzhen', country: 'cn' },
  );
  m.shipping_links.push(
    { seller_id: 'S-A1', shipment_id: 'SH-A1-1', carrier: 'SF', sender_phone: '138 0013 8000', origin: FULFILMENT_CENTRE, shipped_at: '2025-01-12' },
    { seller_id: 'S-A2', shipment_id: 'SH-A2-1', carrier: 'SF', sender_phone: '+86 138-0013-8000', shipped_at: '2025-01-12' },
    { seller_id: 'S-A3', shipment_id: 'SH-A3-1', carrier: 'SF', sender_phone: '0086 13800138000', carrier_account: '9988 7766', shipped_at: '2025-01-13' },
    { seller_id: 'S-A4', shipment_id: 'SH-A4-1', carrier: 'SF', carrier_account: '9988-7766', shipped_at: '2025-01-13' },
  );

  for (let i = 1; i <= 3; i++) {
    m.sellers.push(seller(`S-C${i}`, `Honest Store ${i}`, '2023-05-01T00:00:00Z', 'DE'));
    m.listings.push(listing(`L-C${i}`, `S-C${i}`, 'ACME', 'shoes', 118 + i));
    m.addresses.push({ seller_id: `S-C${i}`, role: 'registered', line1: 'Hauptstr. 5', city: 'Berlin', country: 'DE' });
  }

  for (let i = 1; i <= 4; i++) m.sellers.push(seller(`S-X${i}`, `Ordinary ${i}`, '2022-01-01T00:00:00Z', 'FR'));
  // 12 Acme shoes and 8 Zeta bags at normal prices: the medians stay normal with every ring's cheap listings counted.
  for (let k = 1; k <= 12; k++) m.listings.push(listing(`L-X${k}`, `S-X${((k - 1) % 4) + 1}`, 'Acme', 'shoes', 105 + 5 * k));
  for (let k = 1; k <= 8; k++) m.listings.push(listing(`L-XZ${k}`, `S-X${((k - 1) % 4) + 1}`, 'Zeta', 'bags', 290 + 5 * k));
  m.shipping_links.push(hubShipment('S-X1'));

  for (let i = 1; i <= HUB_SELLERS - HUB_NAMED.length; i++) {
    const id = `S-F${String(i).padStart(3, '0')}`;
    m.sellers.push(seller(id, `Small Shop ${i}`, `2022-0${(i % 9) + 1}-15T00:00:00Z`, 'CN'));
    m.shipping_links.push(hubShipment(id));
  }
  return m;
}

/** February: A5 joins ring A (its account, carrier account and hub shipments); ring B appears. */
function february(): MarketPart {
  const m = empty();
  m.payment_accounts.push({ seller_id: 'S-A5', account_id: '6222 0202 0011 2233', kind: 'bank', holder_name: 'Wang Fang' });
  m.shipping_links.push({ seller_id: 'S-A5', shipment_id: 'SH-A5-1', carrier: 'sf', carrier_account: '99887766', origin: FULFILMENT_CENTRE, shipped_at: '2025-02-03' });
  for (let i = 1; i <= 4; i++) {
    m.sellers.push(seller(`S-B${i}`, `Bag Outlet ${i}`, `2025-02-0${i}T08:00:00Z`, 'CN'));
    m.listings.push(listing(`L-B${i}`, `S-B${i}`, 'Zeta', 'bags', 25 + i, { image_hash: i % 2 ? 'AB12CD34EF567890' : 'ab12cd34ef567890', listed_at: '2025-02-05T00:00:00Z' }));
    m.payment_accounts.push({ seller_id: `S-B${i}`, account_id: i <= 3 ? '4000 1111 2222 3333' : '4000 9999 8888 7777', kind: 'card' });
  }
  m.shipping_links.push(hubShipment('S-B1'));
  return m;
}

/** March: ring D appears. */
function march(): MarketPart {
  const m = empty();
  m.sellers.push(
    seller('S-D1', 'Deal Shop 1', '2025-02-01T00:00:00Z', 'CN', { phone: '139 1111 2222' }),
    seller('S-D2', 'Deal Shop 2', '2025-03-01T00:00:00Z', 'CN', { phone: '+86 139-1111-2222', status: 'suspended' }),
  );
  for (let k = 1; k <= 4; k++) m.listings.push(listing(`L-D${k}`, `S-D${((k - 1) % 2) + 1}`, 'acme', 'shoes', 30 + k, { listed_at: '2025-03-02T00:00:00Z' }));
  for (const id of ['S-D1', 'S-D2']) m.payment_accounts.push({ seller_id: id, account_id: 'ALIPAY-77001', kind: 'wallet' });
  return m;
}

export const MARKET_PARTS: readonly MarketPart[] = [january(), february(), march()];
