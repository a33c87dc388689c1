/**
 * One-to-one matching of two families of seller sets by Jaccard similarity |A ∩ B| / |A ∪ B|,
 * greedy by descending Jaccard. Ring identity matches this run's rings to the previous run's
 * (docs/detection.md, "Ring identity"); evaluation matches found rings to planted ones
 * (docs/detection.md, "Evaluation"). With a threshold above 0.5 the greedy choice is forced: a set
 * can have at most one partner above 0.5.
 *
 * Candidate pairs come from an inverted index member → target set, so the cost is linear in the
 * memberships, never all targets × sources.
 */

/** A target set and a source set that share at least one member. */
export interface JaccardOverlap {
  /** Index into the targets. */
  target: number;
  /** Index into the sources. */
  source: number;
  common: number;
  jaccard: number;
}

export interface JaccardMatching {
  /** Every overlap, by source, then by the target's first shared member. */
  overlaps: JaccardOverlap[];
  /** The matched pairs, in the order they were chosen (descending Jaccard). */
  matches: JaccardOverlap[];
  /** Source index → its matched target, or -1. */
  targetOfSource: Int32Array;
  /** Target index → its matched source, or -1. */
  sourceOfTarget: Int32Array;
}

export interface JaccardMatchingOptions {
  /** Lowest Jaccard at which two sets match. */
  threshold: number;
  /** Order of two targets whose overlaps with sources tie on Jaccard and on common members (default: by index). */
  compareTargets?: (a: number, b: number) => number;
}

/**
 * Matches sources to targets one-to-one, greedy by descending Jaccard (ties: more common members,
 * then compareTargets, then the source's index — deterministic). Targets are expected to be
 * disjoint; a member in two targets counts for the first.
 */
export function matchByJaccard(
  targets: readonly ReadonlySet<string>[],
  sources: readonly ReadonlySet<string>[],
  options: JaccardMatchingOptions,
): JaccardMatching {
  const compareTargets = options.compareTargets ?? ((a: number, b: number) => a - b);
  const targetOfMember = new Map<string, number>();
  targets.forEach((target, t) => {
    for (const member of target) if (!targetOfMember.has(member)) targetOfMember.set(member, t);
  });

  const overlaps: JaccardOverlap[] = [];
  sources.forEach((source, s) => {
    const common = new Map<number, number>();
    for (const member of source) {
      const t = targetOfMember.get(member);
      if (t !== undefined) common.set(t, (common.get(t) ?? 0) + 1);
    }
    for (const [t, n] of common) {
      overlaps.push({ target: t, source: s, common: n, jaccard: n / (targets[t]!.size + source.size - n) });
    }
  });

  const candidates = overlaps.filter((o) => o.jaccard >= options.threshold);
  candidates.sort((a, b) => b.jaccard - a.jaccard || b.common - a.common || compareTargets(a.target, b.target) || a.source - b.source);
  const targetOfSource = new Int32Array(sources.length).fill(-1);
  const sourceOfTarget = new Int32Array(targets.length).fill(-1);
  const matches: JaccardOverlap[] = [];
  for (const o of candidates) {
    if (targetOfSource[o.source] !== -1 || sourceOfTarget[o.target] !== -1) continue;
    targetOfSource[o.source] = o.target;
    sourceOfTarget[o.target] = o.source;
    matches.push(o);
  }
  return { overlaps, matches, targetOfSource, sourceOfTarget };
}
