/**
 * Ring identity across detection runs (docs/detection.md, "Ring identity"): a ring keeps its id when
 * its membership mostly persists, so that cases, closures and referrals keep pointing at it.
 *
 * Matching is one-to-one by Jaccard similarity (jaccardMatching.ts), greedy by descending Jaccard
 * (ties: larger overlap, then previous ring id, then current ring position — deterministic).
 *
 * Beyond continued/new, the events say what happened to the structure, for the ring's history:
 * - merged: a current ring holds a substantial part of two or more previous rings;
 * - split: a previous ring's members went substantially to two or more current rings;
 * - dissolved: a previous ring whose id does not continue and that neither merged nor split.
 * "Substantial" overlap of rings A and B: at least `minSharedSellers` common sellers, making up at
 * least `overlapShare` of the smaller ring (the overlap coefficient), so a ring that absorbs most of
 * a small ring counts, and a single seller moving between big rings does not.
 */
import { RingwatchError } from '../errors.ts';
import { matchByJaccard } from './jaccardMatching.ts';
import { compareStrings } from './order.ts';

export interface PreviousRing {
  ringId: string;
  sellerIds: readonly string[];
}

export interface IdentityOptions {
  /** Lowest Jaccard at which a current ring continues a previous ring's id. */
  threshold: number;
  /** Overlap coefficient (common / smaller ring) from which an overlap counts for merged/split. */
  overlapShare: number;
  /** Fewest common sellers for an overlap to count for merged/split. */
  minSharedSellers: number;
  /** Makes an id for a ring that continues none (injected so tests and runs control ids). */
  newId: () => string;
}

export const IDENTITY_DEFAULTS = Object.freeze({ threshold: 0.5, overlapShare: 0.5, minSharedSellers: 2 });

export interface RingAssignment {
  ringId: string;
  sellerIds: readonly string[];
  /** The previous ring this one continues, when it does. */
  previousRingId?: string;
  /** Jaccard with that previous ring. */
  jaccard?: number;
}

export type IdentityEvent =
  | { type: 'continued'; ringId: string; jaccard: number }
  | { type: 'new'; ringId: string }
  | { type: 'merged'; ringId: string; from: string[] }
  | { type: 'split'; ringId: string; into: string[] }
  | { type: 'dissolved'; ringId: string; sellersStillInRings: number };

export interface IdentityResult {
  /** One per current ring, in the order given. */
  assignments: RingAssignment[];
  events: IdentityEvent[];
}

/**
 * Assigns ids to the current run's rings: the id of the previous ring each one continues, or a new
 * id; and lists what continued, appeared, merged, split and dissolved. Previous rings are expected
 * to be disjoint (they came from one partition); a seller listed twice counts for its first ring.
 */
export function matchRingsToPrevious(
  previous: readonly PreviousRing[],
  current: readonly (readonly string[])[],
  options: Partial<Omit<IdentityOptions, 'newId'>> & Pick<IdentityOptions, 'newId'>,
): IdentityResult {
  const opts: IdentityOptions = { ...IDENTITY_DEFAULTS, ...options };
  if (typeof opts.newId !== 'function') throw new RingwatchError('INPUT_INVALID', 'identity: newId must be a function');
  if (!(opts.threshold > 0 && opts.threshold <= 1)) {
    throw new RingwatchError('INPUT_INVALID', `identity: threshold must be in (0, 1], got ${opts.threshold}`);
  }
  if (!(opts.overlapShare > 0 && opts.overlapShare <= 1)) {
    throw new RingwatchError('INPUT_INVALID', `identity: overlapShare must be in (0, 1], got ${opts.overlapShare}`);
  }

  const previousSets = previous.map((ring) => new Set(ring.sellerIds));
  const currentSets = current.map((ring) => new Set(ring));
  const { overlaps, matches, targetOfSource: matchOfCurrent, sourceOfTarget: matchOfPrevious } = matchByJaccard(previousSets, currentSets, {
    threshold: opts.threshold,
    compareTargets: (a, b) => compareStrings(previous[a]!.ringId, previous[b]!.ringId),
  });
  const jaccardOfCurrent = new Float64Array(current.length);
  for (const match of matches) jaccardOfCurrent[match.source] = match.jaccard;

  const events: IdentityEvent[] = [];
  const assignments: RingAssignment[] = current.map((sellerIds, c) => {
    const p = matchOfCurrent[c]!;
    if (p >= 0) {
      const ringId = previous[p]!.ringId;
      events.push({ type: 'continued', ringId, jaccard: jaccardOfCurrent[c]! });
      return { ringId, sellerIds, previousRingId: ringId, jaccard: jaccardOfCurrent[c]! };
    }
    const ringId = opts.newId();
    events.push({ type: 'new', ringId });
    return { ringId, sellerIds };
  });

  // Structural events from substantial overlaps.
  const substantialByCurrent = new Map<number, number[]>();
  const substantialByPrevious = new Map<number, number[]>();
  for (const o of overlaps) {
    const smaller = Math.min(previousSets[o.target]!.size, currentSets[o.source]!.size);
    if (o.common < opts.minSharedSellers || o.common < opts.overlapShare * smaller) continue;
    push(substantialByCurrent, o.source, o.target);
    push(substantialByPrevious, o.target, o.source);
  }
  const mergedAway = new Set<number>();
  for (let c = 0; c < current.length; c++) {
    const sources = substantialByCurrent.get(c);
    if (!sources || sources.length < 2) continue;
    for (const p of sources) mergedAway.add(p);
    events.push({ type: 'merged', ringId: assignments[c]!.ringId, from: sources.map((p) => previous[p]!.ringId).sort(compareStrings) });
  }
  const splitAway = new Set<number>();
  for (let p = 0; p < previous.length; p++) {
    const targets = substantialByPrevious.get(p);
    if (!targets || targets.length < 2) continue;
    splitAway.add(p);
    events.push({ type: 'split', ringId: previous[p]!.ringId, into: targets.map((c) => assignments[c]!.ringId).sort(compareStrings) });
  }

  const inCurrent = new Set<string>();
  for (const ring of currentSets) for (const sellerId of ring) inCurrent.add(sellerId);
  for (let p = 0; p < previous.length; p++) {
    if (matchOfPrevious[p] !== -1 || mergedAway.has(p) || splitAway.has(p)) continue;
    const stillIn = new Set(previous[p]!.sellerIds.filter((id) => inCurrent.has(id))).size;
    events.push({ type: 'dissolved', ringId: previous[p]!.ringId, sellersStillInRings: stillIn });
  }

  return { assignments, events };
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
