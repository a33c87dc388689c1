import { describe, expect, it } from 'vitest';
import type { GraphRow } from '../../../src/ingest/graphRows.ts';
import { markLastLinks } from '../../../src/ingest/load.ts';

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

  it('flags each identifier of a shipping link on its own', () => {
    const rows: GraphRow[] = [
      { sellerId: 'S1', carrierAccountKey: 'C', phoneKey: '+1', originKey: 'O1' },
      { sellerId: 'S1', carrierAccountKey: 'C', phoneKey: '+2', originKey: 'O1' },
      { sellerId: 'S1', carrierAccountKey: null, phoneKey: '+2', originKey: 'O2' },
    ];
    markLastLinks('shipping_links', rows);
    expect(rows.map((r) => [r.linkCarrier, r.linkPhone, r.linkOrigin])).toEqual([
      [false, true, false],
      [true, false, true],
      [true, true, true],
    ]);
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
