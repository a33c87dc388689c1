import { describe, expect, it } from 'vitest';
import type { GraphRow } from '../../../src/ingest/graphRows.ts';
import { markFirstListings, markLastLinks, sellerPlaces, shippingLinkRows, toColumns } from '../../../src/ingest/batches.ts';

describe('markLastLinks: one link write per (seller, identifier) pair in a batch', () => {
  it('lets only the last row of a pair write the link, so the later record wins', () => {
    const rows: GraphRow[] = [
      { sellerId: 'S1', accountKey: 'A', raw: 'first' },
      { sellerId: 'S2', accountKey: 'A', raw: 'other seller' },
      { sellerId: 'S1', accountKey: 'B', raw: 'other account' },
      { sellerId: 'S1', accountKey: 'A', raw: 'last' },
    ];
    markLastLinks('payment_accounts', rows);
    expect(rows.map((r) => r.link)).toEqual([false, true, true, true]);
  });

  it('keeps one address link per role', () => {
    const rows: GraphRow[] = [
      { sellerId: 'S1', role: 'return', addressKey: 'X' },
      { sellerId: 'S1', role: 'registered', addressKey: 'X' },
      { sellerId: 'S1', role: 'return', addressKey: 'X' },
    ];
    markLastLinks('addresses', rows);
    expect(rows.map((r) => r.link)).toEqual([false, true, true]);
  });

  it('keys image links by listing, and seller phones by seller', () => {
    const listings: GraphRow[] = [
      { listingId: 'L1', sellerId: 'S1', imageHash: 'h' },
      { listingId: 'L2', sellerId: 'S1', imageHash: 'h' },
      { listingId: 'L1', sellerId: 'S1', imageHash: 'h' },
    ];
    markLastLinks('listings', listings);
    expect(listings.map((r) => r.link)).toEqual([false, true, true]);
    const sellers: GraphRow[] = [
      { sellerId: 'S1', phoneKey: '+1' },
      { sellerId: 'S1', phoneKey: '+2' },
    ];
    markLastLinks('sellers', sellers);
    expect(sellers.map((r) => r.link)).toEqual([true, true]);
  });
});

describe('shippingLinkRows: a batch of shipping rows as one list per identifier kind', () => {
  const row = (sellerId: string, shipmentId: string, ids: { carrier?: string; phone?: string; origin?: string }): GraphRow => ({
    sellerId,
    shipmentId,
    carrier: 'SF',
    shippedAt: null,
    carrierAccountKey: ids.carrier ?? null,
    carrierAccountRaw: ids.carrier === undefined ? null : `raw ${ids.carrier}`,
    phoneKey: ids.phone ?? null,
    phoneRaw: ids.phone === undefined ? null : `raw ${ids.phone}`,
    phoneNormalised: ids.phone !== undefined,
    originKey: ids.origin ?? null,
    originRaw: ids.origin === undefined ? null : `raw ${ids.origin}`,
    originCity: ids.origin === undefined ? null : 'Yiwu',
    originCountry: ids.origin === undefined ? null : 'CN',
  });

  it('keeps one row per (seller, identifier) pair, the last shipment of the pair, in key order', () => {
    const params = shippingLinkRows([
      row('S2', 'SH1', { carrier: 'SF:B', phone: '+2' }),
      row('S1', 'SH2', { carrier: 'SF:B', origin: 'O1' }),
      row('S2', 'SH3', { carrier: 'SF:B', phone: '+1' }),
      row('S1', 'SH4', { carrier: 'SF:A' }),
    ]);
    expect(params.sellerIds).toEqual(['S2', 'S1']);
    // S2's two shipments through SF:B become one link with the later shipment as evidence.
    expect(params.carrierAccounts.map((r) => [params.sellerIds[r.seller as number], r.key, r.shipmentId])).toEqual([
      ['S1', 'SF:A', 'SH4'],
      ['S2', 'SF:B', 'SH3'],
      ['S1', 'SF:B', 'SH2'],
    ]);
    expect(params.senderPhones.map((r) => [r.key, r.shipmentId])).toEqual([
      ['+1', 'SH3'],
      ['+2', 'SH1'],
    ]);
    expect(params.origins).toEqual([{ seller: 1, key: 'O1', raw: 'raw O1', city: 'Yiwu', country: 'CN', shipmentId: 'SH2', carrier: 'SF', shippedAt: null }]);
  });

  it('gives a row for each identifier a record names, and none for the others', () => {
    const params = shippingLinkRows([row('S1', 'SH1', { carrier: 'SF:A' })]);
    expect(params.carrierAccounts).toEqual([{ seller: 0, key: 'SF:A', raw: 'raw SF:A', carrier: 'SF', shipmentId: 'SH1', shippedAt: null }]);
    expect(params.senderPhones).toEqual([]);
    expect(params.origins).toEqual([]);
  });
});

describe('markFirstListings', () => {
  it('marks only the first row of each listing in a batch', () => {
    const rows: GraphRow[] = [{ listingId: 'L1' }, { listingId: 'L2' }, { listingId: 'L1' }];
    markFirstListings(rows);
    expect(rows.map((r) => r.first)).toEqual([true, true, false]);
  });
});

describe('toColumns', () => {
  it('turns rows into one list per field, null where a row has no value', () => {
    const rows: GraphRow[] = [{ a: 'x', b: 1 }, { a: 'y', c: true }];
    expect(toColumns(rows, ['a', 'b', 'c'])).toEqual({ a: ['x', 'y'], b: [1, null], c: [null, true] });
    expect(toColumns([], ['a'])).toEqual({ a: [] });
  });
});

describe('sellerPlaces', () => {
  it('lists each seller once, in order of first appearance, and gives each row its place', () => {
    expect(sellerPlaces([{ sellerId: 'S2' }, { sellerId: 'S1' }, { sellerId: 'S2' }, { sellerId: 'S3' }])).toEqual({
      sellerIds: ['S2', 'S1', 'S3'],
      places: [0, 1, 0, 2],
    });
  });
});
