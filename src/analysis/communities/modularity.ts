/**
 * Modularity of a partition: Σ_C [L_C / m − γ·(D_C / 2m)²] (L_C: weight inside community C, D_C:
 * C's total strength, m: total weight) — Newman & Girvan, Phys. Rev. E 69, 026113 (2004), with
 * Reichardt & Bornholdt's resolution γ.
 */
import type { Csr } from './csr.ts';

/** Modularity at γ = 1 (Newman–Girvan) and at the given γ (the objective Louvain maximised); 0 and 0 without links. */
export function computeModularity(csr: Csr, partition: Int32Array, count: number, gamma: number): { modularity: number; objective: number } {
  const m = csr.totalWeight;
  if (m === 0) return { modularity: 0, objective: 0 };
  const internal = new Float64Array(count);
  const strength = new Float64Array(count);
  for (let u = 0; u < csr.nodes.length; u++) {
    const c = partition[u]!;
    strength[c]! += csr.strength[u]!;
    for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
      if (partition[csr.neighbors[k]!] === c) internal[c]! += csr.weights[k]! / 2;
    }
  }
  let inside = 0;
  let expected = 0;
  for (let c = 0; c < count; c++) {
    const share = strength[c]! / (2 * m);
    inside += internal[c]! / m;
    expected += share * share;
  }
  return { modularity: inside - expected, objective: inside - gamma * expected };
}
