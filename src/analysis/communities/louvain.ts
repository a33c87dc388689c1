/**
 * The adapter to graphology-communities-louvain: builds the graphology graph Louvain runs on from
 * the projection's edge arrays, runs `louvain.detailed` with our seeded rng, and hands back labels
 * per node index. Kept apart from detectCommunities so that nothing there holds on to the graph
 * (most of the memory at marketplace scale) once the labels are out.
 */
import graphology from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { DetailedLouvainOutput } from 'graphology-communities-louvain';
import type { AbstractGraph, Attributes } from 'graphology-types';
import type { EdgeArrays } from '../projection.ts';
import { createRng } from '../rng.ts';
import type { Csr } from './csr.ts';

// The package is CommonJS with ESM-style typings: under NodeNext, TypeScript types the default
// import as the module namespace while Node hands over module.exports (the function) itself.
type LouvainFunction = typeof louvainModule.default;
/** graphology's Louvain function itself, whichever way the module system hands it over. */
export const louvain: LouvainFunction =
  (louvainModule as unknown as { default?: LouvainFunction }).default ?? (louvainModule as unknown as LouvainFunction);
const { UndirectedGraph: UndirectedGraphClass } = graphology;

export interface LouvainRun {
  /** Community per node index (0..count-1). */
  labels: Int32Array;
  count: number;
  /** Node moves per level. */
  moves: number[];
  buildGraphMs: number;
}

/** Runs graphology's Louvain at resolution γ on a graph built for it from the edge arrays (see buildLouvainGraph). */
export function runLouvain(csr: Csr, edges: EdgeArrays, resolution: number, seed: number): LouvainRun {
  const n = csr.nodes.length;
  const t0 = performance.now();
  const built = buildLouvainGraph(csr, edges);
  const buildGraphMs = performance.now() - t0;
  const detailed: DetailedLouvainOutput = louvain.detailed(built.graph, {
    getEdgeWeight: built.edgeWeight,
    resolution,
    rng: createRng(seed),
  });
  // Emptied at once, not left for the collector to find dead: V8 starts marking while Louvain still
  // runs, when the graph is live, and a marking that reaches the graph later keeps it (1M sellers:
  // the next two full collections kept 690 MB and took 0.6 s each, in the steps after Louvain);
  // once its maps are empty the next one keeps 69 MB and takes 45 ms (bench/RESULTS.md,
  // "The steps after Louvain, and the collector").
  built.graph.clear();
  // Keyed by integer-like strings, which V8 keeps as elements: read by number, no string made per seller.
  const mapping = detailed.communities as unknown as Record<number, number>;
  const labels = new Int32Array(n);
  let count = detailed.count;
  for (let u = 0; u < n; u++) {
    if (csr.starts[u + 1]! > csr.starts[u]!) labels[u] = mapping[u]!;
    else labels[u] = count++; // a seller with no link: a community of one, left out of Louvain's graph
  }
  // With fast local moves (graphology's default) `moves` holds one count per level.
  const moves = (detailed.moves as Array<number | number[]>).map((m) => (Array.isArray(m) ? m.reduce((a, b) => a + b, 0) : m));
  return { labels, count, moves, buildGraphMs };
}

/** Louvain's node key for node index u. */
function louvainKey(u: number): string {
  return String(u);
}

/**
 * The attributes of every node and edge of the graph Louvain runs on: one frozen empty object,
 * where graphology would make one per node and edge when given none (2.4 million at a million
 * sellers, each one more object for every full collection to mark). Nothing writes attributes
 * here: Louvain reads weights through `edgeWeight`; a write would throw.
 */
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * The graphology graph Louvain runs on, built from the projection's edge arrays: only sellers with
 * at least one link (a seller alone is a community of one whatever Louvain does, and at a million
 * sellers most are alone), keyed by node index ("0", "17", …) rather than by seller id, and edges
 * keyed by their index in the edge arrays, without attribute objects of their own (the weight is
 * read from the typed array). Why the index keys: graphology keeps each node's neighbours in a plain object keyed
 * by neighbour key, and V8 stores integer-like keys as array elements instead of hashed
 * properties. Leaving out the unlinked sellers and keying by index each made both the build and
 * Louvain faster and the peak memory smaller at a million sellers
 * (measured: bench/RESULTS.md, "Measurements that used to live in code comments").
 *
 * Nodes are added in index order and edges in (source, target) order, so each node's neighbours
 * come out in ascending index order, as they do in the CSR arrays: Louvain visits exactly what it
 * would visit on the seller-keyed graph of the same linked sellers.
 */
function buildLouvainGraph(csr: Csr, edges: EdgeArrays): { graph: AbstractGraph<Attributes, Attributes>; edgeWeight: (edge: string) => number } {
  const graph = new UndirectedGraphClass({ allowSelfLoops: false });
  const n = csr.nodes.length;
  const keys: string[] = new Array(n);
  for (let u = 0; u < n; u++) {
    if (csr.starts[u + 1]! > csr.starts[u]!) graph.addNode((keys[u] = louvainKey(u)), NO_ATTRIBUTES);
  }
  const { source, target, weight } = edges;
  for (let e = 0; e < edges.count; e++) graph.addUndirectedEdgeWithKey(e, keys[source[e]!]!, keys[target[e]!]!, NO_ATTRIBUTES);
  return { graph, edgeWeight: (edge) => weight[+edge]! };
}
