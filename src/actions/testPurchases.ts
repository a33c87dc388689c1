import type { MarketTruth } from '../analysis/marketTruth.ts';
import { RingwatchError } from '../errors.ts';
import { brandKey } from '../vocabulary.ts';
import { recordVerdicts } from './verdicts.ts';

/**
 * The test purchases of a generated market's truth file, confirmed: each super-fake ring names one
 * listing a brand would buy, and here that brand's verdict `counterfeit` is recorded on it through
 * the same action as `POST /v1/brands/{brand}/verdicts` (recordVerdicts: one Verdict per listing,
 * the seller marked changed for the next incremental detection, an audit event per brand).
 * Listings that already carry `counterfeit` are left alone, so applying twice records nothing new.
 * Used by `ringwatch eval --apply-verdicts` and bench/detect/quality.ts (docs/detection.md, "Evaluation").
 */

export interface AppliedTestPurchases {
  /** Test purchases named by the truth file (one per super-fake ring). */
  testPurchases: number;
  /** Listings given a counterfeit verdict now. */
  recorded: string[];
  /** Listings that already carried a counterfeit verdict. */
  skipped: string[];
  /** Brands the recorded verdicts were for. */
  brands: string[];
}

/** A brand's note on each verdict, so an analyst can tell evaluation's verdicts from real ones. */
export const TEST_PURCHASE_NOTE = 'test purchase from the truth file (ringwatch eval --apply-verdicts)';

/**
 * Records `counterfeit` on every test purchase of `truth` that does not carry it yet, one
 * recordVerdicts call (one transaction, one audit event) per brand, brands in name order.
 * Fails with INPUT_INVALID, recording nothing, when a test purchase is not in the graph (the
 * truth file of another market) or is not a listing of its brand.
 */
export async function applyTestPurchases(
  context: Parameters<typeof recordVerdicts>[0],
  truth: Pick<MarketTruth, 'rings'>,
): Promise<AppliedTestPurchases> {
  const purchases = truth.rings.flatMap((ring) => (ring.test_purchase === undefined ? [] : [ring.test_purchase]));
  const brandOf = new Map(purchases.map((p) => [p.listing_id, p.brand]));
  const rows = purchases.length === 0 ? [] : await context.db.read('verdicts/current', { listingIds: [...brandOf.keys()] }, context.meta);
  const wrong = rows.filter((row) => !row.found || row.brandKey !== brandKey(brandOf.get(String(row.listingId))!));
  if (wrong.length > 0) {
    throw new RingwatchError(
      'INPUT_INVALID',
      `${wrong.length} of the truth file's ${purchases.length} test purchases are not listings of their brand in the graph ` +
        `(${wrong.slice(0, 3).map((row) => String(row.listingId)).join(', ')}${wrong.length > 3 ? ', …' : ''}): is this the truth of the market that was ingested?`,
    );
  }
  const skipped = rows.filter((row) => row.verdict === 'counterfeit').map((row) => String(row.listingId));
  const pending = new Map<string, string[]>();
  for (const row of rows) {
    if (row.verdict === 'counterfeit') continue;
    const id = String(row.listingId);
    const brand = brandOf.get(id)!;
    pending.set(brand, [...(pending.get(brand) ?? []), id]);
  }
  const recorded: string[] = [];
  const brands = [...pending.keys()].sort();
  for (const brand of brands) {
    const listingIds = pending.get(brand)!;
    await recordVerdicts(context, { brand, brandKey: brandKey(brand), keyBrand: brand, listingIds, verdict: 'counterfeit', note: TEST_PURCHASE_NOTE });
    recorded.push(...listingIds);
  }
  return { testPurchases: purchases.length, recorded, skipped, brands };
}
