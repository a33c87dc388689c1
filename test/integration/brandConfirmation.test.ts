import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetection } from '../../src/analysis/runDetection.ts';
import { PHOTO_EVIDENCE_MAX_LISTINGS, Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { freshDb } from '../support/db.ts';
import { ingestAndDetect, ringOf, writeParts, type IngestRecord as Rec, type MarketPart } from '../support/pipeline.ts';
import { appOver, call, type AppHarness } from './http/harness.ts';

/**
 * A brand's confirmation flags a ring of "super fakes" (docs/detection.md, "Scoring"), through the
 * real pipeline: the brand's verdict goes in through `POST /v1/brands/{brand}/verdicts`, the next
 * (incremental) detection re-scores the ring.
 *
 * - Ring S: four stores selling Acme shoes at about 75% of the typical price (the price factor
 *   stays quiet), S1–S3 paying into one account, S3–S4 sending from one phone. L-S1 shows photo P1.
 * - Ring Q: three stores sharing an account, near retail too; Q1's listing uses photo P1, copied
 *   from ring S: the confirmation reaches it as a photo match, which adds evidence but no flag.
 * - Ring R: three stores sharing an account, near retail; their listings use Acme's stock photo,
 *   which more than PHOTO_EVIDENCE_MAX_LISTINGS ordinary listings use: a confirmed fake with that
 *   photo says nothing about them.
 * - S-X1..S-X4: ordinary sellers whose listings at normal prices make the median and use the stock photo.
 */
const STOCK_LISTINGS = PHOTO_EVIDENCE_MAX_LISTINGS + 10;

function market(): MarketPart {
  const sellers: Rec[] = [];
  const listings: Rec[] = [];
  const accounts: Rec[] = [];
  const shipping: Rec[] = [];
  const seller = (id: string, registeredAt: string) => sellers.push({ seller_id: id, store_name: `Store ${id}`, registered_at: registeredAt, country: 'CN' });
  const listing = (id: string, sellerId: string, price: number, imageHash: string) =>
    listings.push({ listing_id: id, seller_id: sellerId, title: `Acme shoes ${id}`, price, currency: 'USD', brand: 'Acme', category: 'shoes', image_hash: imageHash });
  for (let i = 1; i <= 4; i++) {
    seller(`S-S${i}`, `202${i}-03-01T00:00:00Z`);
    listing(`L-S${i}`, `S-S${i}`, 80 + i, i === 1 ? 'P1P1P1P1' : `S-PHOTO-${i}`);
    listing(`L-S${i}b`, `S-S${i}`, 75 + i, `S-PHOTO-${i}b`);
    accounts.push({ seller_id: `S-S${i}`, account_id: i <= 3 ? '6222 0000 1111 2222' : `6222 0000 9999 000${i}`, kind: 'bank' });
  }
  shipping.push(
    { seller_id: 'S-S3', shipment_id: 'SH-S3', carrier: 'SF', sender_phone: '+86 138 0013 8000' },
    { seller_id: 'S-S4', shipment_id: 'SH-S4', carrier: 'SF', sender_phone: '+86 138 0013 8000' },
  );
  for (const [ring, photo] of [['Q', 'P1P1P1P1'], ['R', 'ACME-STOCK']] as const) {
    for (let i = 1; i <= 3; i++) {
      seller(`S-${ring}${i}`, `201${i}-06-01T00:00:00Z`);
      listing(`L-${ring}${i}`, `S-${ring}${i}`, 85 + i, ring === 'Q' && i > 1 ? `Q-PHOTO-${i}` : photo);
      accounts.push({ seller_id: `S-${ring}${i}`, account_id: `${ring === 'Q' ? '4000' : '5000'} 1111 2222 3333`, kind: 'card' });
    }
  }
  for (let i = 1; i <= 4; i++) seller(`S-X${i}`, '2020-01-01T00:00:00Z');
  for (let k = 1; k <= STOCK_LISTINGS; k++) listing(`L-X${k}`, `S-X${((k - 1) % 4) + 1}`, 100 + (k % 20), 'ACME-STOCK');
  return { sellers, listings, payment_accounts: accounts, shipping_links: shipping };
}

interface RingRow {
  riskScore: number;
  flagged: boolean;
  verdicts: { contribution: number; detail: string };
}

async function ring(h: AppHarness, sellerId: string): Promise<RingRow> {
  const ringId = await ringOf(h.db, sellerId);
  const session = h.db.driver.session({ database: h.db.database });
  try {
    const result = await session.run('MATCH (r:Ring {ringId: $ringId}) RETURN r.riskScore AS riskScore, r.flagged AS flagged, r.factors AS factors', { ringId });
    const row = result.records[0]!;
    const stored = row.get('factors') as unknown;
    const factors = (typeof stored === 'string' ? JSON.parse(stored) : stored) as { name: string; contribution: number; detail: string }[];
    return { riskScore: Number(row.get('riskScore')), flagged: row.get('flagged') === true, verdicts: factors.find((f) => f.name === 'brand_verdicts')! };
  } finally {
    await session.close();
  }
}

async function confirm(h: AppHarness, listingIds: string[]): Promise<void> {
  const token = await h.key('brand', { brand: 'Acme' });
  const response = await call(h.app, 'POST', '/v1/brands/Acme/verdicts', { token, body: { listingIds, verdict: 'counterfeit' } });
  expect(response.status).toBe(201);
}

describe('brand confirmations in detection', () => {
  let h: AppHarness;

  beforeAll(async () => {
    const db = await freshDb();
    await ingestAndDetect(db, [{ dir: writeParts([market()])[0]!, detectAt: '2025-04-01T00:00:00Z', full: true }]);
    h = appOver(db);
  }, 120_000);
  afterAll(async () => h?.close());

  it('does not flag near-retail rings before any verdict', async () => {
    for (const seller of ['S-S1', 'S-Q1', 'S-R1']) expect((await ring(h, seller)).flagged).toBe(false);
  });

  it('flags the ring after one counterfeit verdict on one listing, and the photo match reaches the ring that copied it', async () => {
    await confirm(h, ['L-S1']);
    const summary = await runDetection(new Neo4jDetectionStore(h.db), { clock: () => new Date('2025-04-02T00:00:00Z') });
    expect(summary.run.mode).toBe('incremental');

    const s = await ring(h, 'S-S1');
    expect(s.flagged).toBe(true);
    expect(s.riskScore).toBe(55);
    expect(s.verdicts.detail).toContain('Acme confirmed listing L-S1 of store S-S1 as counterfeit; 2 of the other 3 stores share 1 payment account with it, the other 1 are tied to it through other members.');

    const q = await ring(h, 'S-Q1');
    expect(q.verdicts.detail).toMatch(/1 other listing uses the photo of a confirmed counterfeit/);
    expect(q.verdicts.contribution).toBeGreaterThan(0);
    expect(q.flagged).toBe(false);
    expect((await ring(h, 'S-R1')).verdicts.contribution).toBe(0);
  });

  it('does not carry a confirmation through a stock photo that hundreds of listings use', async () => {
    await confirm(h, ['L-X1']); // an ordinary seller's listing with the stock photo, confirmed fake
    await runDetection(new Neo4jDetectionStore(h.db), { clock: () => new Date('2025-04-03T00:00:00Z') });
    const r = await ring(h, 'S-R1');
    expect(r.verdicts).toMatchObject({ contribution: 0, detail: 'No brand has given a verdict on these listings yet.' });
    expect(r.flagged).toBe(false);
  });
});
