/**
 * Cutting the bridges between rings inside one community.
 *
 * Why: Louvain's modularity gain for keeping two dense groups together is positive whenever any
 * link joins them and the groups are small next to the marketplace, so two rings that share one
 * mule account come out as one community at any resolution that keeps sparse rings whole (the
 * resolution limit: Fortunato & Barthélemy, PNAS 2007). A ring whose stores share identifiers only
 * partially is still held together by several links between its parts, so it has no such bridge;
 * a lone store hanging on one link (side smaller than minSide) stays where it is. Nor is a chain
 * cut: a ring whose stores are each tied only to the next (one operator rotating accounts store by
 * store) is all bridges. So a bridge is cut only where a ring's dense part ends: when each side
 * holds a cycle (at least as many links as sellers), or when one of its two stores lies on a cycle
 * (has a link that is no bridge). A chain is a path: none of its links touches a cycle (adversarial
 * market, 20k stores: 9 of 25 chain rings found before this test). A small ring whose own links
 * form a tree (three stores, A–B on an account and B–C on a phone), joined by a mule to a ring with
 * a cycle, comes apart at the mule, which touches the other ring's cycle (classic markets: two
 * such pairs in ten stayed one ring under the each-side rule alone); a chain hanging off a ring is
 * cut from it there too, and stays whole. Bridges are found with Tarjan's low-link rule on an
 * iterative DFS, linear in the community's links.
 *
 * Loose ties (communities.ts, step 4) hold no part together and are no second path around a
 * bridge, but inside one side they still say which stores belong together: a three-store ring
 * whose tie links form a path and whose two ends share a photo is a triangle for this test. So a
 * bridge the rules above spare is cut when each side holds a cycle with the side's loose links
 * counted, and no loose link reaches across it (classic 200k market, seed 3: two such three-store
 * rings joined by a mule account stayed one ring of six). A chain whose stores share photos far
 * along it has loose links across each of its bridges, and stays whole.
 */
import { connectedComponents, type Components } from './components.ts';
import type { Csr } from './csr.ts';

/**
 * Cuts the bridges of each connected community (links whose removal disconnects it) that leave at
 * least `minSide` sellers on both sides, and returns the resulting connected parts and how many
 * links were cut. Links in `ignoredSlots` (loose ties: see communities.ts) neither hold a part
 * together nor count as a second path around a bridge; they count only towards a side's cycle
 * (header). With `onlyParts`, only the parts it marks are looked at.
 */
export function cutRingBridges(
  csr: Csr,
  parts: Components,
  minSide: number,
  ignoredSlots: Uint8Array | null = null,
  onlyParts: Uint8Array | null = null,
): { parts: Components; cut: number } {
  const n = csr.nodes.length;
  const partSize = new Int32Array(parts.count);
  for (let u = 0; u < n; u++) partSize[parts.label[u]!]!++;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Int32Array(n);
  // Sum of in-part degrees over a DFS subtree: the side below a bridge has (that − 1) / 2 links.
  const degreeSum = new Float64Array(n);
  const parent = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const stack = new Int32Array(n);
  const cutSlots = ignoredSlots ? ignoredSlots.slice() : new Uint8Array(csr.neighbors.length);
  // Bridges (of any side's size) at each seller: one with an in-part link that is no bridge lies on a cycle.
  const bridgeEnds = new Int32Array(n);
  const degree = new Int32Array(n);
  const onCycle = (u: number): boolean => degree[u]! > bridgeEnds[u]!;
  let cut = 0;
  let time = 0;
  const inPartDegree = (u: number, p: number): number => {
    let d = 0;
    for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
      if (parts.label[csr.neighbors[k]!] === p && (ignoredSlots === null || ignoredSlots[k] !== 1)) d++;
    }
    return d;
  };
  for (let p = 0; p < parts.count; p++) {
    const total = partSize[p]!;
    if (total < 2 * minSide || (onlyParts !== null && onlyParts[p] !== 1)) continue;
    const root = parts.first[p]!;
    let top = 0;
    stack[top++] = root;
    disc[root] = low[root] = time++;
    size[root] = 1;
    degreeSum[root] = degree[root] = inPartDegree(root, p);
    next[root] = csr.starts[root]!;
    // The part's degree sum (twice its links), known when the root's subtree is done; the bridges
    // found meanwhile wait for it.
    let partDegree = 0;
    const bridgesHere: [number, number][] = [];
    // The part's loose links, each once (from its lower end), for the sides' cycles.
    const looseHere: number[] = [];
    while (top > 0) {
      const u = stack[top - 1]!;
      const k = next[u]!;
      if (k < csr.starts[u + 1]!) {
        next[u] = k + 1;
        const v = csr.neighbors[k]!;
        if (parts.label[v] !== p || v === parent[u]) continue;
        if (ignoredSlots !== null && ignoredSlots[k] === 1) {
          if (u < v) looseHere.push(u, v);
          continue;
        }
        if (disc[v] === -1) {
          parent[v] = u;
          disc[v] = low[v] = time++;
          size[v] = 1;
          degreeSum[v] = degree[v] = inPartDegree(v, p);
          next[v] = csr.starts[v]!;
          stack[top++] = v;
        } else if (disc[v]! < low[u]!) {
          low[u] = disc[v]!;
        }
        continue;
      }
      top--;
      const q = parent[u]!;
      if (q < 0) {
        partDegree = degreeSum[u]!;
        continue;
      }
      if (low[u]! < low[q]!) low[q] = low[u]!;
      size[q]! += size[u]!;
      degreeSum[q]! += degreeSum[u]!;
      if (low[u]! > disc[q]!) {
        bridgeEnds[q]!++;
        bridgeEnds[u]!++;
        if (size[u]! >= minSide && total - size[u]! >= minSide) bridgesHere.push([q, u]);
      }
    }
    // Only now is the part's link count known; a side holds a cycle when its links ≥ its sellers.
    const links = partDegree / 2;
    for (const [q, u] of bridgesHere) {
      const below = (degreeSum[u]! - 1) / 2;
      const above = links - below - 1;
      const bothSidesCycle = below >= size[u]! && above >= total - size[u]!;
      if (!bothSidesCycle && !onCycle(q) && !onCycle(u) && !bothSidesCycleWithLoose(looseHere, disc, u, size[u]!, below, above, total)) continue;
      markCut(csr, cutSlots, q, u);
      markCut(csr, cutSlots, u, q);
      cut++;
    }
  }
  if (cut === 0) return { parts, cut };
  return { parts: connectedComponents(csr, parts.label, cutSlots), cut };
}

/**
 * Whether each side of the bridge above `u` holds a cycle once its loose links are counted, with
 * no loose link between the sides (header). The side below is u's DFS subtree: the sellers
 * discovered from disc[u] for size[u] steps.
 */
function bothSidesCycleWithLoose(looseLinks: readonly number[], disc: Int32Array, u: number, sizeBelow: number, below: number, above: number, total: number): boolean {
  if (looseLinks.length === 0) return false;
  const from = disc[u]!;
  const to = from + sizeBelow;
  let looseBelow = 0;
  let looseAbove = 0;
  for (let i = 0; i < looseLinks.length; i += 2) {
    const x = disc[looseLinks[i]!]!;
    const y = disc[looseLinks[i + 1]!]!;
    const xBelow = x >= from && x < to;
    if (xBelow !== (y >= from && y < to)) return false;
    if (xBelow) looseBelow++;
    else looseAbove++;
  }
  return below + looseBelow >= sizeBelow && above + looseAbove >= total - sizeBelow;
}

function markCut(csr: Csr, cutSlots: Uint8Array, from: number, to: number): void {
  for (let k = csr.starts[from]!, end = csr.starts[from + 1]!; k < end; k++) {
    if (csr.neighbors[k] === to) cutSlots[k] = 1;
  }
}
