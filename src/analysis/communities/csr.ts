/**
 * The seller projection as compressed sparse rows (CSR): every link listed from both of its ends,
 * each node's neighbours in one run of a typed array. All the community steps (refinement,
 * connected parts, bridges, modularity) walk these arrays rather than a graph object.
 */
import { RingwatchError } from '../../errors.ts';
import type { EdgeArrays, SellerProjection } from '../projection.ts';

/** Adjacency over node indices (the projection's order). */
export interface Csr {
  nodes: readonly string[];
  /** Node u's neighbours are `neighbors[starts[u]] … neighbors[starts[u + 1] - 1]`. */
  starts: Int32Array;
  neighbors: Int32Array;
  /** Weight of the link in the same slot of `neighbors`. */
  weights: Float64Array;
  /** Kinds bitmask (KIND_BITS) of the link in the same slot: which kinds of identifier the pair shares; 0 when unknown. */
  kinds: Uint8Array;
  /** Total weight of each node's links. */
  strength: Float64Array;
  /** Total weight m of all links (each counted once). */
  totalWeight: number;
}

/**
 * The projection's edge arrays as CSR. Checked at the door, since everything after trusts it:
 * endpoints in range and distinct, weights finite and > 0.
 */
export function csrFromProjection(projection: Pick<SellerProjection, 'sellerIds' | 'edgeArrays'>): Csr {
  if (projection === null || typeof projection !== 'object' || !Array.isArray(projection.sellerIds) || !isEdgeArrays(projection.edgeArrays)) {
    throw new RingwatchError('INPUT_INVALID', 'communities: expected a seller projection (sellerIds and edgeArrays)');
  }
  const { sellerIds, edgeArrays: edges } = projection;
  const n = sellerIds.length;
  const m = edges.count;
  const starts = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const u = edges.source[e]!;
    const v = edges.target[e]!;
    const weight = edges.weight[e]!;
    if (!(u >= 0 && u < n && v >= 0 && v < n) || u === v) {
      throw new RingwatchError('INPUT_INVALID', `communities: edge ${e} joins ${u} and ${v}; endpoints must be two different sellers of the projection`);
    }
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new RingwatchError('INPUT_INVALID', `communities: edge ${e} needs a finite weight > 0, got ${String(weight)}`);
    }
    starts[u + 1]!++;
    starts[v + 1]!++;
  }
  for (let u = 0; u < n; u++) starts[u + 1]! += starts[u]!;
  return fillCsr(sellerIds, starts, edges);
}

function isEdgeArrays(edges: EdgeArrays | undefined): edges is EdgeArrays {
  return (
    edges !== null &&
    typeof edges === 'object' &&
    Number.isInteger(edges.count) &&
    edges.source instanceof Int32Array &&
    edges.target instanceof Int32Array &&
    edges.weight instanceof Float64Array &&
    edges.source.length >= edges.count &&
    edges.target.length >= edges.count &&
    edges.weight.length >= edges.count
  );
}

/** Fills adjacency arrays from the edge list, given each node's start offset (prefix sums of degrees). */
function fillCsr(nodes: readonly string[], starts: Int32Array, edges: EdgeArrays): Csr {
  const n = nodes.length;
  const m = edges.count;
  const fill = starts.slice(0, n);
  const neighbors = new Int32Array(2 * m);
  const weights = new Float64Array(2 * m);
  const kinds = new Uint8Array(2 * m);
  const strength = new Float64Array(n);
  let totalWeight = 0;
  for (let k = 0; k < m; k++) {
    const u = edges.source[k]!;
    const v = edges.target[k]!;
    const weight = edges.weight[k]!;
    const mask = edges.kinds?.[k] ?? 0;
    kinds[fill[u]!] = mask;
    neighbors[fill[u]!] = v;
    weights[fill[u]!++] = weight;
    kinds[fill[v]!] = mask;
    neighbors[fill[v]!] = u;
    weights[fill[v]!++] = weight;
    strength[u]! += weight;
    strength[v]! += weight;
    totalWeight += weight;
  }
  return { nodes, starts, neighbors, weights, kinds, strength, totalWeight };
}
