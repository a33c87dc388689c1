import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';
import { freshDb } from '../support/db.ts';
import { tempDir, writeMarket } from './ingest/fixtures.ts';

type Rec = Record<string, unknown>;

/**
 * The typical price scoring compares a listing with is the marketplace's upper quartile computed
 * in Neo4j (cypher/detect/reference_prices.cypher): per brand key, category and currency, an
 * actual listed price (percentileDisc 0.75). This is the one implementation; it is tested here, for real.
 */
describe('reference prices (the marketplace upper quartile, in Cypher)', () => {
  let db: Db;
  const listing = (id: string, sellerId: string, price: number, currency: string, brand?: string, category?: string): Rec => ({
    listing_id: id,
    seller_id: sellerId,
    title: `Item ${id}`,
    price,
    currency,
    ...(brand === undefined ? {} : { brand }),
    ...(category === undefined ? {} : { category }),
  });

  beforeAll(async () => {
    db = await freshDb();
    const listings = [
      // Acme bags in EUR, the brand written three ways: one brand key.
      listing('L1', 'S1', 160, 'EUR', 'Acme', 'bags'),
      listing('L2', 'S2', 100, 'EUR', ' ACME', 'bags'),
      listing('L3', 'S3', 140, 'EUR', 'acme  ', 'bags'),
      listing('L4', 'S1', 120, 'EUR', 'Acme', 'bags'),
      listing('L5', 'S2', 130, 'EUR', 'Acme', 'bags'),
      // The same brand and category in another currency: never mixed with EUR.
      listing('L6', 'S3', 30, 'CNY', 'Acme', 'bags'),
      listing('L7', 'S3', 10, 'CNY', 'Acme', 'bags'),
      listing('L8', 'S3', 20, 'CNY', 'Acme', 'bags'),
      // Another category of the brand, and the brand without a category.
      listing('L9', 'S1', 70, 'EUR', 'Acme', 'wallets'),
      listing('L10', 'S1', 50, 'EUR', 'Acme', 'wallets'),
      listing('L11', 'S2', 1000, 'EUR', 'Acme'),
      // No brand: no typical price.
      listing('L12', 'S2', 5, 'EUR', undefined, 'bags'),
    ];
    const sellers = ['S1', 'S2', 'S3'].map((id) => ({ seller_id: id, store_name: `Store ${id}` }));
    const dir = writeMarket(tempDir(), 'ndjson', { sellers, listings } as never);
    await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
  });
  afterAll(async () => {
    await db.close();
  });

  it('takes the upper-quartile listed price per brand key, category and currency', async () => {
    const rows = await db.read('detect/reference_prices', {}, { app: 'test' });
    const prices = rows
      .map((row) => ({ brandKey: row.brandKey, category: row.category, currency: row.currency, typicalPrice: Number(row.typicalPrice), listings: Number(row.listings) }))
      .sort((a, b) => `${a.category}|${a.currency}`.localeCompare(`${b.category}|${b.currency}`));
    expect(prices).toEqual([
      { brandKey: 'acme', category: '', currency: 'EUR', typicalPrice: 1000, listings: 1 },
      // 10 20 30: the third (0.75 × 3 = 2.25, rounded up).
      { brandKey: 'acme', category: 'bags', currency: 'CNY', typicalPrice: 30, listings: 3 },
      // 100 120 130 140 160: the fourth (0.75 × 5 = 3.75, rounded up).
      { brandKey: 'acme', category: 'bags', currency: 'EUR', typicalPrice: 140, listings: 5 },
      // 50 70: percentileDisc gives a listed price, never an interpolation between two.
      { brandKey: 'acme', category: 'wallets', currency: 'EUR', typicalPrice: 70, listings: 2 },
    ]);
  });

  it('is the reference price scoring compares each listing of a ring with', async () => {
    const [facts] = await new Neo4jDetectionStore(db).ringFacts([['S1', 'S2']]);
    const reference = Object.fromEntries(facts!.listings.map((l) => [l.listingId, l.referencePrice]));
    expect(reference).toEqual({ L1: 140, L2: 140, L4: 140, L5: 140, L9: 70, L10: 70, L11: 1000, L12: undefined });
  });
});
