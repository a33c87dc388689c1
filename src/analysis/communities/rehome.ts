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
  const { starts, neighbors, weights } = csr;
  const n = csr.nodes.length;
  // The tie weight of the seller at hand per community, and the communities touched, in typed
  // arrays: a Map per seller cost most of this step at a million sellers.
  const weightTo = new Float64Array(n);
  const touched = new Int32Array(n);
  const moves: { seller: number; to: number; others: [community: number, weight: number][] }[] = [];
  for (let u = 0; u < n; u++) {
    const own = labels[u]!;
    let touchedCount = 0;
    let tiedAtHome = false;
    for (let k = starts[u]!, end = starts[u + 1]!; k < end; k++) {
      if (looseSlots[k] === 1) continue;
      const community = labels[neighbors[k]!]!;
      if (community === own) {
        tiedAtHome = true;
        break;
      }
      if (weightTo[community] === 0) touched[touchedCount++] = community;
      weightTo[community]! += weights[k]!;
    }
    if (tiedAtHome || touchedCount === 0) {
      for (let i = 0; i < touchedCount; i++) weightTo[touched[i]!] = 0;
      continue;
    }
    let best = -1;
    let bestWeight = 0;
    for (let i = 0; i < touchedCount; i++) {
      const community = touched[i]!;
      const weight = weightTo[community]!;
      if (weight > bestWeight || (weight === bestWeight && community < best)) [best, bestWeight] = [community, weight];
    }
    const others: [number, number][] = [];
    for (let i = 0; i < touchedCount; i++) {
      const community = touched[i]!;
      if (community !== best) others.push([community, weightTo[community]!]);
      weightTo[community] = 0;
    }
    moves.push({ seller: u, to: best, others });
  }
  if (moves.length === 0) return 0;

  const strength = new Float64Array(n);
  for (let u = 0; u < n; u++) strength[labels[u]!]! += csr.strength[u]!;
  const joined = new Map<number, number>();
  const root = (c: number): number => {
    let r = c;
    while (joined.has(r)) r = joined.get(r)!;
    return r;
  };
  for (const { seller, to, others } of moves) {
    const from = labels[seller]!;
    strength[from]! -= csr.strength[seller]!;
    strength[to]! += csr.strength[seller]!;
    labels[seller] = to;
    for (const [community, weight] of others) {
      const [a, b] = [root(to), root(community)];
      if (a === b || weight <= penalty * strength[a]! * strength[b]!) continue;
      const [keep, gone] = a < b ? [a, b] : [b, a];
      joined.set(gone, keep);
      strength[keep]! += strength[gone]!;
    }
  }
  if (joined.size > 0) for (let u = 0; u < n; u++) labels[u] = root(labels[u]!);
  return moves.length;
}
