/**
 * Detection quality against a generated market's truth file (docs/detection.md, "Evaluation").
 *
 * - Ring precision / recall / F1: a found ring matches a planted ring at Jaccard ≥ 0.5, one-to-one
 *   (greedy by descending Jaccard, jaccardMatching.ts; above 0.5 a ring has at most one such
 *   partner anyway).
 * - Seller precision / recall: sellers in the found rings against sellers of planted rings.
 * - Honest groups touched: honest multi-store owners and same-building groups with at least one
 *   seller in a found ring — each one is stores that a batch closure would wrongly hit.
 * - Bridged pairs separated: of the pairs of planted rings joined by a mule identifier, the share
 *   whose two rings are matched by two different found rings.
 * - Per ring kind (truth `kind`; `classic` when absent): planted rings matched by a flagged found
 *   ring ("flagged") and by any found ring ("found as a community"), each by its own one-to-one
 *   matching at the same Jaccard, whatever `flaggedOnly` says.
 * - Per honest group kind: groups with two or more stores in one flagged ring ("flagged": the
 *   group's own likeness taken for a ring, which a ring closure would hit as a group) and groups
 *   with any store in a flagged ring ("touched": also a lone store pulled into someone else's
 *   ring, which seller precision counts too). Flagged rings always, whatever `flaggedOnly` says.
 *
 * By default only flagged rings count ("what would an analyst act on"); `flaggedOnly: false`
 * evaluates the community step alone. A ratio with a zero denominator is reported as 0, next to
 * the counts it came from.
 */
import { RingwatchError } from '../errors.ts';
import { matchByJaccard } from './jaccardMatching.ts';
import { HONEST_GROUP_KINDS, RING_KINDS, type MarketTruth, type TruthRing } from './marketTruth.ts';

export interface FoundRing {
  ringId: string;
  sellerIds: readonly string[];
  flagged: boolean;
}

/** What evaluation reads of a truth file (MarketTruth): the planted rings and the honest groups. */
export interface EvaluatedTruth {
  rings: readonly Pick<TruthRing, 'ring_id' | 'seller_ids' | 'bridged_with' | 'kind'>[];
  honest_groups: MarketTruth['honest_groups'];
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

/** How the planted rings of one kind fared. */
export interface RingKindEvaluation {
  /** A truth ring kind (`RING_KINDS`, or whatever else a truth file says). */
  kind: string;
  planted: number;
  /** Matched at Jaccard ≥ matchThreshold by a flagged found ring. */
  flagged: number;
  /** Matched at Jaccard ≥ matchThreshold by a found ring, flagged or not. */
  asCommunity: number;
  flaggedRecall: number;
  communityRecall: number;
}

/** How the honest groups of one kind fared against the flagged rings. */
export interface HonestGroupKindEvaluation {
  /** A truth honest group kind (`HONEST_GROUP_KINDS`, or whatever else a truth file says). */
  kind: string;
  groups: number;
  /** Groups with two or more stores in one flagged ring. */
  flagged: number;
  /** Groups with at least one store in a flagged ring. */
  touched: number;
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
  /** Per ring kind present in the truth, in `RING_KINDS` order. */
  ringKinds: RingKindEvaluation[];
  /** Per honest group kind present in the truth, in `HONEST_GROUP_KINDS` order. */
  honestGroupKinds: HonestGroupKindEvaluation[];
  matches: RingMatch[];
  options: EvaluationOptions;
}

/** Scores found rings against the planted truth; pure. */
export function evaluateDetection(found: readonly FoundRing[], truth: EvaluatedTruth, options: Partial<EvaluationOptions> = {}): Evaluation {
  const opts: EvaluationOptions = { ...EVALUATION_DEFAULTS, ...options };
  if (!(opts.matchThreshold > 0 && opts.matchThreshold <= 1)) {
    throw new RingwatchError('INPUT_INVALID', `evaluation: matchThreshold must be in (0, 1], got ${opts.matchThreshold}`);
  }
  if (!truth || !Array.isArray(truth.rings) || !Array.isArray(truth.honest_groups)) {
    throw new RingwatchError('INPUT_INVALID', 'evaluation: the truth needs "rings" and "honest_groups" arrays');
  }
  const rings = found.filter((ring) => !opts.flaggedOnly || ring.flagged).map((ring) => ({ ringId: ring.ringId, sellers: new Set(ring.sellerIds) }));
  const planted = truth.rings.map((ring) => ({ id: ring.ring_id, sellers: new Set<string>(ring.seller_ids) }));

  const { matches: matched, sourceOfTarget: foundOfPlanted } = matchByJaccard(
    planted.map((ring) => ring.sellers),
    rings.map((ring) => ring.sellers),
    { threshold: opts.matchThreshold },
  );
  const matches: RingMatch[] = matched.map((m) => ({ ringId: rings[m.source]!.ringId, plantedRingId: planted[m.target]!.id, jaccard: m.jaccard }));
  const plantedSellerIds = new Set<string>();
  for (const ring of planted) for (const sellerId of ring.sellers) plantedSellerIds.add(sellerId);

  const matchedRings = matches.length;
  const ringPrecision = ratio(matchedRings, rings.length);
  const ringRecall = ratio(matchedRings, planted.length);

  const foundSellers = new Set<string>();
  for (const ring of rings) for (const sellerId of ring.sellers) foundSellers.add(sellerId);
  let truePositiveSellers = 0;
  for (const sellerId of foundSellers) if (plantedSellerIds.has(sellerId)) truePositiveSellers++;
  const plantedSellers = plantedSellerIds.size;

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
    const other = ring.bridged_with;
    if (other === null || other === ring.ring_id || !plantedIndex.has(other)) continue;
    pairs.add(ring.ring_id < other ? `${ring.ring_id}\u0000${other}` : `${other}\u0000${ring.ring_id}`);
  }
  let bridgedPairsSeparated = 0;
  for (const pair of pairs) {
    const [a, b] = pair.split('\u0000') as [string, string];
    const fa = foundOfPlanted[plantedIndex.get(a)!]!;
    const fb = foundOfPlanted[plantedIndex.get(b)!]!;
    if (fa !== -1 && fb !== -1 && fa !== fb) bridgedPairsSeparated++;
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
    ...byKind(found, truth, planted.map((ring) => ring.sellers), opts.matchThreshold),
    matches,
    options: opts,
  };
}

/** Kinds in their canonical order, then any others a truth file names, in order of appearance. */
function kindsInOrder(present: Iterable<string>, canonical: readonly string[]): string[] {
  const seen = new Set(present);
  return [...canonical.filter((kind) => seen.has(kind)), ...[...seen].filter((kind) => !canonical.includes(kind))];
}

/** Recall per ring kind (flagged and as a community) and honest groups flagged per kind. */
function byKind(
  found: readonly FoundRing[],
  truth: EvaluatedTruth,
  plantedSets: readonly ReadonlySet<string>[],
  threshold: number,
): Pick<Evaluation, 'ringKinds' | 'honestGroupKinds'> {
  const flaggedRings = found.filter((ring) => ring.flagged);
  const matchedBy = (rings: readonly FoundRing[]) =>
    matchByJaccard(plantedSets, rings.map((ring) => new Set(ring.sellerIds)), { threshold }).sourceOfTarget;
  const byFlagged = matchedBy(flaggedRings);
  const byAny = matchedBy(found);
  const kindOf = (ring: EvaluatedTruth['rings'][number]): string => ring.kind ?? 'classic';
  const ringKinds = kindsInOrder(truth.rings.map(kindOf), RING_KINDS).map((kind): RingKindEvaluation => {
    let planted = 0;
    let flagged = 0;
    let asCommunity = 0;
    truth.rings.forEach((ring, p) => {
      if (kindOf(ring) !== kind) return;
      planted++;
      if (byFlagged[p] !== -1) flagged++;
      if (byAny[p] !== -1) asCommunity++;
    });
    return { kind, planted, flagged, asCommunity, flaggedRecall: ratio(flagged, planted), communityRecall: ratio(asCommunity, planted) };
  });

  // Seller → the flagged ring it is in (a seller is in at most one active ring).
  const flaggedRingOf = new Map<string, number>();
  flaggedRings.forEach((ring, i) => {
    for (const id of ring.sellerIds) flaggedRingOf.set(id, i);
  });
  const honestGroupKinds = kindsInOrder(truth.honest_groups.map((g) => g.kind), HONEST_GROUP_KINDS).map((kind): HonestGroupKindEvaluation => {
    let groups = 0;
    let flagged = 0;
    let touched = 0;
    for (const group of truth.honest_groups) {
      if (group.kind !== kind) continue;
      groups++;
      const perRing = new Map<number, number>();
      for (const id of group.seller_ids) {
        const ring = flaggedRingOf.get(id);
        if (ring !== undefined) perRing.set(ring, (perRing.get(ring) ?? 0) + 1);
      }
      if (perRing.size > 0) touched++;
      if ([...perRing.values()].some((n) => n >= 2)) flagged++;
    }
    return { kind, groups, flagged, touched };
  });
  return { ringKinds, honestGroupKinds };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
