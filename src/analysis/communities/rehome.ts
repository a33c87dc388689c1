/**
 * Step 4 of detectCommunities, its first half (src/analysis/communities.ts, header): a seller
 * whose Louvain community holds none of its ties goes to the community its ties weigh most in, and
 * the communities it ties together are joined when Louvain's own test says so.
 */
import type { Csr } from './csr.ts';

/**
 * Moves each seller that Louvain put in a community holding none of its ties (only loose links
 * keep it there: say, a photo shared with 60 stores) into the community where its tie links weigh
 * most (ties: the lower community number). Without this the split would leave it alone and, in a
 * chain ring, cut the ring in two at it.
 *
 * Its other tie communities are then joined to that one when the seller's tie weight to them
 * passes the test Louvain merges by (w > penalty · Σ_A · Σ_B, penalty = γ / 2m): Louvain could not
 * join the two halves of a chain itself, since with the seller away no link joined them. A store
 * tied at home — a mule between two rings — never triggers this, so rings it bridges stay apart.
 *
 * Decided for every such seller against Louvain's labels as they were, so one move does not pull
 * in the next; `labels` is changed in place. Returns the sellers moved.
 */
export function rehomeStrandedSellers(csr: Csr, labels: Int32Array, looseSlots: Uint8Array, penalty: number): number {
  const moves: { seller: number; to: number; others: Map<number, number> }[] = [];
  for (let u = 0; u < csr.nodes.length; u++) {
    const weightTo = tieWeightByCommunity(csr, labels, looseSlots, u);
    if (weightTo === null || weightTo.size === 0) continue;
    let best = -1;
    let bestWeight = 0;
    for (const [community, weight] of weightTo) if (weight > bestWeight || (weight === bestWeight && community < best)) [best, bestWeight] = [community, weight];
    weightTo.delete(best);
    moves.push({ seller: u, to: best, others: weightTo });
  }
  if (moves.length === 0) return 0;

  const strength = new Map<number, number>();
  for (let u = 0; u < csr.nodes.length; u++) strength.set(labels[u]!, (strength.get(labels[u]!) ?? 0) + csr.strength[u]!);
  const joined = new Map<number, number>();
  const root = (c: number): number => {
    let r = c;
    while (joined.has(r)) r = joined.get(r)!;
    return r;
  };
  for (const { seller, to, others } of moves) {
    const from = labels[seller]!;
    strength.set(from, strength.get(from)! - csr.strength[seller]!);
    strength.set(to, strength.get(to)! + csr.strength[seller]!);
    labels[seller] = to;
    for (const [community, weight] of others) {
      const [a, b] = [root(to), root(community)];
      if (a === b || weight <= penalty * strength.get(a)! * strength.get(b)!) continue;
      const [keep, gone] = a < b ? [a, b] : [b, a];
      joined.set(gone, keep);
      strength.set(keep, strength.get(keep)! + strength.get(gone)!);
    }
  }
  if (joined.size > 0) for (let u = 0; u < labels.length; u++) labels[u] = root(labels[u]!);
  return moves.length;
}

/** The weight of u's tie links per community, or null when one of them is in u's own community. */
function tieWeightByCommunity(csr: Csr, labels: Int32Array, looseSlots: Uint8Array, u: number): Map<number, number> | null {
  const weightTo = new Map<number, number>();
  for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
    if (looseSlots[k] === 1) continue;
    const community = labels[csr.neighbors[k]!]!;
    if (community === labels[u]) return null;
    weightTo.set(community, (weightTo.get(community) ?? 0) + csr.weights[k]!);
  }
  return weightTo;
}
