/**
 * Detection quality against a generated market's truth file (DESIGN.md, "Detection", step 6).
 *
 * - Ring precision / recall / F1: a found ring matches a planted ring at Jaccard ≥ 0.5, one-to-one
 *   (greedy by descending Jaccard; above 0.5 a ring has at most one such partner anyway).
 * - Seller precision / recall: sellers in the found rings against sellers of planted rings.
 * - Honest groups touched: honest multi-store owners and same-building groups with at least one
 *   seller in a found ring — each one is stores that a batch closure would wrongly hit.
 * - Bridged pairs separated: of the pairs of planted rings joined by a mule identifier, the share
 *   whose two rings are matched by two different found rings.
 *
 * By default only flagged rings count ("what would an analyst act on"); `flaggedOnly: false`
 * evaluates the community step alone. A ratio with a zero denominator is reported as 0, next to
 * the counts it came from.
 */
import { RingwatchError } from '../errors.ts';

export interface FoundRing {
  ringId: string;
  sellerIds: readonly string[];
  flagged: boolean;
}

/** The truth file written by `ringwatch generate` (snake_case as in the file). */
export interface MarketTruth {
  rings: Array<{
    ring_id: string;
    seller_ids: string[];
    /** Ring ids this ring is bridged with (one id, a list, or none). */
    bridged_with?: string | string[] | null;
  }>;
  honest_groups: Array<{
    group_id: string;
    kind: 'multi_store_owner' | 'same_building';
    seller_ids: string[];
  }>;
}

export interface EvaluationOptions {
  /** Count only flagged rings. */
  flaggedOnly: boolean;
  /** Jaccard from which a found ring matches a planted ring. */
  matchThreshold: number;
}

export const EVALUATION_DEFAULTS: Readonly<EvaluationOptions> = Object.freeze({ flaggedOnly: true, matchThreshold: 0.5 });

export interface RingMatch {
  ringId: string;
  plantedRingId: string;
  jaccard: number;
}

export interface Evaluation {
  /** Found rings evaluated (flagged ones, by default). */
  foundRings: number;
  plantedRings: number;
  matchedRings: number;
  ringPrecision: number;
  ringRecall: number;
  ringF1: number;
  /** Distinct sellers in the evaluated found rings. */
  foundSellers: number;
  plantedSellers: number;
  /** Found sellers that are planted ring sellers. */
  truePositiveSellers: number;
  sellerPrecision: number;
  sellerRecall: number;
  /** Honest multi-store owners with at least one store in an evaluated ring. */
  honestMultiStoreOwnersFlagged: number;
  honestMultiStoreOwners: number;
  /** Same-building honest groups with at least one seller in an evaluated ring. */
  honestSameBuildingFlagged: number;
  honestSameBuildingGroups: number;
  /** Sellers of any honest group found in an evaluated ring. */
  honestSellersFlagged: number;
  /** Distinct unordered pairs of bridged planted rings. */
  bridgedPairs: number;
  bridgedPairsSeparated: number;
  bridgedSeparatedShare: number;
  matches: RingMatch[];
  options: EvaluationOptions;
}

/** Scores found rings against the planted truth; pure. */
export function evaluateDetection(found: readonly FoundRing[], truth: MarketTruth, options: Partial<EvaluationOptions> = {}): Evaluation {
  const opts: EvaluationOptions = { ...EVALUATION_DEFAULTS, ...options };
  if (!(opts.matchThreshold > 0 && opts.matchThreshold <= 1)) {
    throw new RingwatchError('INPUT_INVALID', `evaluation: matchThreshold must be in (0, 1], got ${opts.matchThreshold}`);
  }
  if (!truth || !Array.isArray(truth.rings) || !Array.isArray(truth.honest_groups)) {
    throw new RingwatchError('INPUT_INVALID', 'evaluation: the truth needs "rings" and "honest_groups" arrays');
  }
  const rings = found.filter((ring) => !opts.flaggedOnly || ring.flagged).map((ring) => ({ ringId: ring.ringId, sellers: new Set(ring.sellerIds) }));
  const planted = truth.rings.map((ring) => ({ id: ring.ring_id, sellers: new Set(ring.seller_ids) }));

  // Candidate pairs through an inverted index seller → planted ring.
  const plantedOf = new Map<string, number>();
  planted.forEach((ring, p) => {
    for (const sellerId of ring.sellers) if (!plantedOf.has(sellerId)) plantedOf.set(sellerId, p);
  });
  const candidates: Array<{ f: number; p: number; common: number; jaccard: number }> = [];
  rings.forEach((ring, f) => {
    const common = new Map<number, number>();
    for (const sellerId of ring.sellers) {
      const p = plantedOf.get(sellerId);
      if (p !== undefined) common.set(p, (common.get(p) ?? 0) + 1);
    }
    for (const [p, n] of common) {
      const jaccard = n / (ring.sellers.size + planted[p]!.sellers.size - n);
      if (jaccard >= opts.matchThreshold) candidates.push({ f, p, common: n, jaccard });
    }
  });
  candidates.sort((a, b) => b.jaccard - a.jaccard || b.common - a.common || a.p - b.p || a.f - b.f);
  const foundMatched = new Set<number>();
  const plantedMatch = new Map<number, number>();
  const matches: RingMatch[] = [];
  for (const c of candidates) {
    if (foundMatched.has(c.f) || plantedMatch.has(c.p)) continue;
    foundMatched.add(c.f);
    plantedMatch.set(c.p, c.f);
    matches.push({ ringId: rings[c.f]!.ringId, plantedRingId: planted[c.p]!.id, jaccard: c.jaccard });
  }

  const matchedRings = matches.length;
  const ringPrecision = ratio(matchedRings, rings.length);
  const ringRecall = ratio(matchedRings, planted.length);

  const foundSellers = new Set<string>();
  for (const ring of rings) for (const sellerId of ring.sellers) foundSellers.add(sellerId);
  let truePositiveSellers = 0;
  for (const sellerId of foundSellers) if (plantedOf.has(sellerId)) truePositiveSellers++;
  const plantedSellers = plantedOf.size;

  let honestMultiStoreOwners = 0;
  let honestMultiStoreOwnersFlagged = 0;
  let honestSameBuildingGroups = 0;
  let honestSameBuildingFlagged = 0;
  const honestFlagged = new Set<string>();
  for (const group of truth.honest_groups) {
    const hit = group.seller_ids.filter((id) => foundSellers.has(id));
    for (const id of hit) honestFlagged.add(id);
    if (group.kind === 'multi_store_owner') {
      honestMultiStoreOwners++;
      if (hit.length > 0) honestMultiStoreOwnersFlagged++;
    } else if (group.kind === 'same_building') {
      honestSameBuildingGroups++;
      if (hit.length > 0) honestSameBuildingFlagged++;
    }
  }

  const plantedIndex = new Map(planted.map((ring, p) => [ring.id, p]));
  const pairs = new Set<string>();
  for (const ring of truth.rings) {
    const others = ring.bridged_with == null ? [] : Array.isArray(ring.bridged_with) ? ring.bridged_with : [ring.bridged_with];
    for (const other of others) {
      if (other === ring.ring_id || !plantedIndex.has(other)) continue;
      pairs.add(ring.ring_id < other ? `${ring.ring_id}\u0000${other}` : `${other}\u0000${ring.ring_id}`);
    }
  }
  let bridgedPairsSeparated = 0;
  for (const pair of pairs) {
    const [a, b] = pair.split('\u0000') as [string, string];
    const fa = plantedMatch.get(plantedIndex.get(a)!);
    const fb = plantedMatch.get(plantedIndex.get(b)!);
    if (fa !== undefined && fb !== undefined && fa !== fb) bridgedPairsSeparated++;
  }

  return {
    foundRings: rings.length,
    plantedRings: planted.length,
    matchedRings,
    ringPrecision,
    ringRecall,
    ringF1: f1(ringPrecision, ringRecall),
    foundSellers: foundSellers.size,
    plantedSellers,
    truePositiveSellers,
    sellerPrecision: ratio(truePositiveSellers, foundSellers.size),
    sellerRecall: ratio(truePositiveSellers, plantedSellers),
    honestMultiStoreOwnersFlagged,
    honestMultiStoreOwners,
    honestSameBuildingFlagged,
    honestSameBuildingGroups,
    honestSellersFlagged: honestFlagged.size,
    bridgedPairs: pairs.size,
    bridgedPairsSeparated,
    bridgedSeparatedShare: ratio(bridgedPairsSeparated, pairs.size),
    matches,
    options: opts,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
