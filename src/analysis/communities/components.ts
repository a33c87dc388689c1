/**
 * Connected parts: of the whole projection (for the run statistics), of each community (Louvain
 * can return a community that is not connected; Traag, Waltman & van Eck, "From Louvain to
 * Leiden", Sci. Rep. 2019), and the rings they make.
 */
import { compareStrings } from '../order.ts';
import type { Csr } from './csr.ts';

export interface Components {
  count: number;
  /** Node index → component number (0..count-1, numbered in order of their first node). */
  label: Int32Array;
  /** Component number → its first node. */
  first: Int32Array;
}

/**
 * Connected components by BFS; with `within`, only links between nodes of the same label count;
 * with `cutSlots`, the links in marked slots of `csr.neighbors` do not count either.
 */
export function connectedComponents(csr: Csr, within: Int32Array | null, cutSlots: Uint8Array | null = null): Components {
  const n = csr.nodes.length;
  const label = new Int32Array(n).fill(-1);
  const firsts = new Int32Array(n);
  const queue = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (label[s] !== -1) continue;
    const c = count++;
    firsts[c] = s;
    label[s] = c;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    const group = within ? within[s]! : 0;
    while (head < tail) {
      const u = queue[head++]!;
      for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
        const v = csr.neighbors[k]!;
        if (label[v] !== -1) continue;
        if (within && within[v] !== group) continue;
        if (cutSlots && cutSlots[k] === 1) continue;
        label[v] = c;
        queue[tail++] = v;
      }
    }
  }
  return { count, label, first: firsts.subarray(0, count) };
}

/**
 * The connected parts of each community (labels: one community per node, 0..n-1), and how many
 * communities had more than one; links in `looseSlots` do not connect (communities.ts, "loose ties").
 */
export function splitIntoConnectedParts(csr: Csr, labels: Int32Array, looseSlots: Uint8Array | null = null): { parts: Components; disconnectedCommunities: number } {
  const parts = connectedComponents(csr, labels, looseSlots);
  const partsPerCommunity = new Int32Array(csr.nodes.length);
  let disconnectedCommunities = 0;
  for (let p = 0; p < parts.count; p++) {
    if (++partsPerCommunity[labels[parts.first[p]!]!]! === 2) disconnectedCommunities++;
  }
  return { parts, disconnectedCommunities };
}

/** The parts of two or more sellers as sorted seller-id lists, largest first (ties: first member); the rest counted as singletons. */
export function collectRings(csr: Csr, parts: Components): { communities: string[][]; singletons: number } {
  const n = csr.nodes.length;
  // Group nodes by part with one counting sort; only parts of two or more become string arrays.
  const partStart = new Int32Array(parts.count + 1);
  for (let u = 0; u < n; u++) partStart[parts.label[u]! + 1]!++;
  for (let p = 0; p < parts.count; p++) partStart[p + 1]! += partStart[p]!;
  const byPart = new Int32Array(n);
  const fill = partStart.slice(0, parts.count);
  for (let u = 0; u < n; u++) byPart[fill[parts.label[u]!]!++] = u;
  let singletons = 0;
  const communities: string[][] = [];
  for (let p = 0; p < parts.count; p++) {
    const start = partStart[p]!;
    const end = partStart[p + 1]!;
    if (end - start === 1) {
      singletons++;
      continue;
    }
    const ring: string[] = new Array(end - start);
    for (let i = start; i < end; i++) ring[i - start] = csr.nodes[byPart[i]!]!;
    communities.push(ring.sort(compareStrings));
  }
  communities.sort(compareRings);
  return { communities, singletons };
}

function compareRings(a: readonly string[], b: readonly string[]): number {
  return b.length - a.length || compareStrings(a[0]!, b[0]!);
}

/** Connected components of the whole projection that have a link, and the size of the largest. */
export function componentStats(csr: Csr): { components: number; largestComponent: number } {
  const whole = connectedComponents(csr, null);
  const componentSizes = new Int32Array(whole.count);
  for (let u = 0; u < csr.nodes.length; u++) componentSizes[whole.label[u]!]!++;
  let components = 0;
  let largestComponent = 0;
  for (let c = 0; c < whole.count; c++) {
    const size = componentSizes[c]!;
    if (size > 1) components++;
    if (size > 1 && size > largestComponent) largestComponent = size;
  }
  return { components, largestComponent };
}
