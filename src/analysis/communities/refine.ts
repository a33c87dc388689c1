/**
 * Refinement after Louvain: one more round of local moves of single sellers between Louvain's
 * final communities. Louvain's upper levels move whole communities, so a seller placed badly on
 * the first level stays with its group; NetworKit's PLM has the same step ("refine"; Staudt &
 * Meyerhenke, IEEE TPDS 2016). It is cheap (a few passes over the links) and brings graphology's
 * result up to NetworKit's modularity.
 */
import type { Csr } from './csr.ts';

/**
 * Moves single sellers between the communities in `labels` (changed in place) while that raises
 * modularity at resolution γ, and returns the number of moves. Each pass visits the sellers in
 * index order and moves each to the neighbouring community with the largest gain
 * k_u,C − γ·k_u·Σ_C / 2m (k_u,C: weight between u and C, k_u: u's strength, Σ_C: C's total
 * strength without u), if it beats staying; passes repeat until one moves nobody (at most
 * maxPasses). Deterministic: the same labels in, the same labels out.
 */
export function refineCommunities(csr: Csr, labels: Int32Array, gamma: number, maxPasses = 8): number {
  const n = csr.nodes.length;
  const twoM = 2 * csr.totalWeight;
  let labelCount = 0;
  for (let u = 0; u < n; u++) if (labels[u]! >= labelCount) labelCount = labels[u]! + 1;
  const total = new Float64Array(labelCount);
  for (let u = 0; u < n; u++) total[labels[u]!]! += csr.strength[u]!;
  // Weight from the current seller to each neighbouring community, and which ones were touched.
  const toCommunity = new Float64Array(labelCount);
  const touched = new Int32Array(labelCount);
  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let movedThisPass = 0;
    for (let u = 0; u < n; u++) {
      const start = csr.starts[u]!;
      const end = csr.starts[u + 1]!;
      if (start === end) continue;
      const own = labels[u]!;
      const ku = csr.strength[u]!;
      let touchedCount = 0;
      touched[touchedCount++] = own;
      toCommunity[own] = 0;
      for (let k = start; k < end; k++) {
        const c = labels[csr.neighbors[k]!]!;
        if (toCommunity[c] === 0 && c !== own) touched[touchedCount++] = c;
        toCommunity[c]! += csr.weights[k]!;
      }
      const penalty = (gamma * ku) / twoM;
      let best = own;
      let bestGain = toCommunity[own]! - penalty * (total[own]! - ku);
      for (let i = 1; i < touchedCount; i++) {
        const c = touched[i]!;
        const gain = toCommunity[c]! - penalty * total[c]!;
        // A relative margin keeps float noise from moving a seller back and forth.
        if (gain > bestGain + 1e-12 * Math.abs(bestGain) + 1e-15) {
          best = c;
          bestGain = gain;
        }
      }
      for (let i = 0; i < touchedCount; i++) toCommunity[touched[i]!] = 0;
      if (best !== own) {
        total[own]! -= ku;
        total[best]! += ku;
        labels[u] = best;
        movedThisPass++;
      }
    }
    moves += movedThisPass;
    if (movedThisPass === 0) break;
  }
  return moves;
}
