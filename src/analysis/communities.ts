/**
 * Candidate rings from the seller projection (DESIGN.md, "Detection", step 2).
 *
 * Algorithm: Louvain modularity optimisation — V. D. Blondel, J.-L. Guillaume, R. Lambiotte,
 * E. Lefebvre, "Fast unfolding of communities in large networks", J. Stat. Mech. (2008) P10008,
 * doi:10.1088/1742-5468/2008/10/P10008 — as implemented by graphology-communities-louvain 2.0
 * (`louvain.detailed`: fast local moves with a queue, node visits in random order from our seeded
 * rng, weighted modularity with a resolution γ).
 *
 * Two things are added around it:
 *
 * 1. A resolution that means the same on every marketplace (resolutionUnit 'per-weight', the
 *    default). Louvain moves seller i into community C when k_iC − γ·k_i·Σ_C / 2m > 0 (k_iC: weight
 *    between them, k_i: i's total weight, Σ_C: C's, m: the whole graph's), and merges two
 *    communities A and B on the same test. With a fixed γ the penalty shrinks as the marketplace
 *    grows, so on millions of sellers any link at all between two small rings — one mule account,
 *    one copied photo — is worth merging: the resolution limit (Fortunato & Barthélemy, PNAS 2007),
 *    and why DESIGN.md says the default resolution merges small rings. We therefore take the
 *    resolution ρ per unit of weight and give Louvain γ = ρ · 2m: the test becomes k_iC > ρ·k_i·Σ_C
 *    (w_AB > ρ·Σ_A·Σ_B for two communities), which involves only the sellers concerned, so a
 *    setting tuned on a generated market carries over to a real one of any size (the constant
 *    γ/2m is Reichardt & Bornholdt's, Phys. Rev. E 74, 016110, 2006). To run Neo4j GDS Louvain on
 *    the same criterion, give it `louvainResolution` from the result, and split its communities
 *    with splitDisconnectedCommunities. resolutionUnit 'louvain' passes γ unchanged.
 *
 * 2. Connectivity. Louvain can return a community that is not connected (Traag, Waltman & van Eck,
 *    "From Louvain to Leiden", Sci. Rep. 2019). Every community is split into its connected
 *    components within the community, so every ring is connected in the projection.
 */
import louvainModule from 'graphology-communities-louvain';
import type { DetailedLouvainOutput } from 'graphology-communities-louvain';
import type { AbstractGraph, Attributes } from 'graphology-types';
import { RingwatchError } from '../errors.ts';
import { createRng } from './rng.ts';
import { compareStrings } from './order.ts';
import type { EdgeArrays, Hub, IdentifierKind, SellerProjection } from './projection.ts';

// The package is CommonJS with ESM-style typings: under NodeNext, TypeScript types the default
// import as the module namespace while Node hands over module.exports (the function) itself.
type LouvainFunction = typeof louvainModule.default;
const louvain: LouvainFunction =
  (louvainModule as unknown as { default?: LouvainFunction }).default ?? (louvainModule as unknown as LouvainFunction);

export interface CommunityOptions {
  /**
   * Higher gives more, smaller communities. In resolutionUnit 'per-weight', ρ: seller i joins
   * community C when the weight between them exceeds ρ × (i's total weight) × (C's total weight).
   * In 'louvain', Louvain's γ as such.
   */
  resolution: number;
  /** How `resolution` is read; see the header. */
  resolutionUnit: 'per-weight' | 'louvain';
  /** Seed of the rng that orders Louvain's node visits: same seed and graph, same rings. */
  seed: number;
  /**
   * A single link (a bridge) inside a community whose removal leaves at least this many sellers on
   * each side is cut: two rings joined by one mule account become two rings. 0 turns it off.
   */
  bridgeMinSide: number;
}

/**
 * Defaults, with the reasons:
 * - resolution 0.0001 per unit of weight, tuned with `ringwatch eval` on the project's generated
 *   markets. Two parts of one ring of N stores whose pairs link with mean weight w̄ stay together
 *   while ρ·(N−1)²·w̄ < 1 (the parts' link weight grows like n₁n₂w̄, the penalty like ρ·d₁·d₂ with
 *   d ≈ n(N−1)w̄). At 0.001 the planted rings of 58–60 stores (w̄ ≈ 0.3) broke into 5–8 flagged
 *   pieces each (10k sellers, seed 1: ring precision 0.83); at 0.0003, 0.0001 and 0.00003 every one
 *   of the 100 planted rings came out whole (F1 1.0). 0.0001 keeps rings of up to ~180 stores
 *   whole and still lets Louvain separate groups joined by little weight; what keeps rings joined
 *   by a single mule account apart is bridgeMinSide, not the resolution.
 * - resolutionUnit 'per-weight': see the header — the setting does not drift with marketplace size.
 * - seed 42: any fixed number; runs are reproducible when the seed is recorded with the run.
 * - bridgeMinSide 3: the smallest ring worth a case; see cutRingBridges.
 */
export const COMMUNITY_DEFAULTS: Readonly<CommunityOptions> = Object.freeze({
  resolution: 0.0001,
  resolutionUnit: 'per-weight',
  seed: 42,
  bridgeMinSide: 3,
});

export interface CommunityTimings {
  /** Reading the graph into adjacency arrays. */
  prepareMs: number;
  louvainMs: number;
  /** Splitting communities into connected parts, sorting, and computing the statistics. */
  splitMs: number;
  totalMs: number;
}

export interface CommunityDetection {
  /** Rings: connected communities of two or more sellers, members sorted, largest ring first. */
  communities: string[][];
  /** Sellers left alone (communities of one): counted, not listed. */
  singletons: number;
  /** Communities Louvain returned (singletons included), before the connectivity split. */
  louvainCommunities: number;
  /** Louvain communities that were not connected and were split. */
  disconnectedCommunities: number;
  /** Single links cut inside communities (bridgeMinSide): typically mule accounts joining two rings. */
  bridgesCut: number;
  /** Connected components of the graph that have at least one edge. */
  components: number;
  /** Sellers in the largest of them. */
  largestComponent: number;
  /** Newman–Girvan modularity (γ = 1) of the final partition, singletons included; 0 without edges. */
  modularity: number;
  /** The γ given to Louvain (resolution × 2m in 'per-weight'): pass it to another engine to compare. */
  louvainResolution: number;
  /** Total edge weight m. */
  totalWeight: number;
  /** Louvain levels (aggregation rounds) run. */
  levels: number;
  /** Node moves per level. */
  moves: number[];
  timings: CommunityTimings;
  options: CommunityOptions;
}

/** Minimal graph shape read here: any undirected graphology graph with a numeric `weight` edge attribute. */
export type WeightedGraph = AbstractGraph<Attributes, Attributes>;

/**
 * Finds candidate rings: Louvain communities (seeded), each split into connected parts; rings are
 * the parts with two or more sellers. Edge weights are read from the `weight` attribute.
 *
 * Given a SellerProjection rather than its graph, the adjacency needed around Louvain is read
 * from the projection's typed edge arrays instead of the graph (same result, less time and
 * garbage at marketplace scale).
 */
export function detectCommunities(
  input: WeightedGraph | Pick<SellerProjection, 'graph' | 'sellerIds' | 'edgeArrays'>,
  options: Partial<CommunityOptions> = {},
): CommunityDetection {
  const opts = resolveOptions(options);
  const t0 = performance.now();
  const fromProjection = input !== null && typeof input === 'object' && 'edgeArrays' in input && 'sellerIds' in input;
  const graph: WeightedGraph = fromProjection ? input.graph : (input as WeightedGraph);
  const csr = fromProjection ? csrFromEdgeArrays(input.sellerIds, input.edgeArrays) : readGraph(graph);
  if (csr.nodes.length !== graph.order) {
    throw new RingwatchError('INPUT_INVALID', 'communities: the projection and its graph disagree on the number of sellers');
  }
  const n = csr.nodes.length;
  const louvainResolution = opts.resolutionUnit === 'per-weight' ? opts.resolution * 2 * csr.totalWeight : opts.resolution;
  const t1 = performance.now();

  // Louvain labels per node index.
  let labels: Int32Array;
  let louvainCommunities: number;
  let moves: number[] = [];
  if (csr.totalWeight === 0) {
    // No edges: every seller is its own community (graphology would say the same, with NaN modularity).
    labels = new Int32Array(n).map((_, i) => i);
    louvainCommunities = n;
  } else {
    const detailed: DetailedLouvainOutput = louvain.detailed(graph, {
      getEdgeWeight: 'weight',
      resolution: louvainResolution,
      rng: createRng(opts.seed),
    });
    labels = new Int32Array(n);
    const mapping = detailed.communities;
    for (let u = 0; u < n; u++) labels[u] = mapping[csr.nodes[u]!]!;
    louvainCommunities = detailed.count;
    // With fast local moves (graphology's default) `moves` holds one count per level.
    moves = (detailed.moves as Array<number | number[]>).map((m) => (Array.isArray(m) ? m.reduce((a, b) => a + b, 0) : m));
  }
  const t2 = performance.now();

  const bridges = opts.bridgeMinSide > 0 ? cutRingBridges(csr, labels, opts.bridgeMinSide) : { labels, cut: 0 };
  const { communities, singletons, disconnectedCommunities, parts } = splitIntoConnectedParts(csr, bridges.labels);

  const whole = connectedComponents(csr, null);
  const componentSizes = new Int32Array(whole.count);
  for (let u = 0; u < n; u++) componentSizes[whole.label[u]!]!++;
  let components = 0;
  let largestComponent = 0;
  for (let c = 0; c < whole.count; c++) {
    const size = componentSizes[c]!;
    if (size > 1) components++;
    if (size > 1 && size > largestComponent) largestComponent = size;
  }
  const modularity = computeModularity(csr, parts.label, parts.count);
  const t3 = performance.now();

  return {
    communities,
    singletons,
    louvainCommunities,
    disconnectedCommunities,
    bridgesCut: bridges.cut,
    components,
    largestComponent,
    modularity,
    louvainResolution,
    totalWeight: csr.totalWeight,
    levels: moves.length,
    moves,
    timings: { prepareMs: t1 - t0, louvainMs: t2 - t1, splitMs: t3 - t2, totalMs: t3 - t0 },
    options: opts,
  };
}

/** Rings and counts after splitting communities into their connected parts. */
export interface ConnectedCommunities {
  /** Parts of two or more sellers, members sorted, largest first (ties: first member). */
  communities: string[][];
  singletons: number;
  /** Communities given that were not connected and were split. */
  disconnectedCommunities: number;
}

/**
 * Splits every community of a partition (node key → community number) into its connected
 * components within the community. detectCommunities applies it to Louvain's result; exported
 * for other partitions (e.g. one computed in the database by Neo4j GDS) and for tests.
 */
export function splitDisconnectedCommunities(graph: WeightedGraph, communityOf: Readonly<Record<string, number>>): ConnectedCommunities {
  const csr = readGraph(graph);
  const labels = new Int32Array(csr.nodes.length);
  const dense = new Map<number, number>(); // any integer labels → 0..k-1
  csr.nodes.forEach((node, u) => {
    const community = communityOf[node];
    if (community === undefined || !Number.isInteger(community)) {
      throw new RingwatchError('INPUT_INVALID', `communities: node ${node} has no integer community in the partition`);
    }
    let label = dense.get(community);
    if (label === undefined) dense.set(community, (label = dense.size));
    labels[u] = label;
  });
  const { communities, singletons, disconnectedCommunities } = splitIntoConnectedParts(csr, labels);
  return { communities, singletons, disconnectedCommunities };
}

function splitIntoConnectedParts(csr: Csr, labels: Int32Array): ConnectedCommunities & { parts: Components } {
  const n = csr.nodes.length;
  const parts = connectedComponents(csr, labels);
  const partsPerCommunity = new Map<number, number>();
  for (let p = 0; p < parts.count; p++) {
    const community = labels[parts.first[p]!]!;
    partsPerCommunity.set(community, (partsPerCommunity.get(community) ?? 0) + 1);
  }
  let disconnectedCommunities = 0;
  for (const count of partsPerCommunity.values()) if (count > 1) disconnectedCommunities++;

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
  return { communities, singletons, disconnectedCommunities, parts };
}

/** A hub and the rings its sellers belong to, to show which rings a left-out identifier touches. */
export interface HubRingTouch {
  kind: IdentifierKind;
  key: string;
  sellerCount: number;
  /** Indices into the rings list given, ascending. */
  rings: number[];
  /** How many of the hub's sellers are in each of those rings (same order as `rings`). */
  ringSellers: number[];
  /** How many of the hub's sellers are in some ring. */
  sellersInRings: number;
}

/** For each hub of the projection (same order), the rings (from detectCommunities) that its sellers belong to. */
export function hubRingTouches(
  projection: Pick<SellerProjection, 'hubs' | 'indexOf' | 'sellerIds'>,
  rings: readonly (readonly string[])[],
): HubRingTouch[] {
  const ringOf = new Int32Array(projection.sellerIds.length).fill(-1);
  rings.forEach((ring, r) => {
    for (const sellerId of ring) {
      const node = projection.indexOf(sellerId);
      if (node !== undefined) ringOf[node] = r;
    }
  });
  return projection.hubs.map((hub: Hub) => {
    const perRing = new Map<number, number>();
    let sellersInRings = 0;
    for (const node of hub.nodeIndices) {
      const r = ringOf[node]!;
      if (r >= 0) {
        perRing.set(r, (perRing.get(r) ?? 0) + 1);
        sellersInRings++;
      }
    }
    const touched = [...perRing.keys()].sort((a, b) => a - b);
    return {
      kind: hub.kind,
      key: hub.key,
      sellerCount: hub.sellerCount,
      rings: touched,
      ringSellers: touched.map((r) => perRing.get(r)!),
      sellersInRings,
    };
  });
}

function resolveOptions(input: Partial<CommunityOptions>): CommunityOptions {
  const opts: CommunityOptions = {
    resolution: input.resolution ?? COMMUNITY_DEFAULTS.resolution,
    resolutionUnit: input.resolutionUnit ?? COMMUNITY_DEFAULTS.resolutionUnit,
    seed: input.seed ?? COMMUNITY_DEFAULTS.seed,
    bridgeMinSide: input.bridgeMinSide ?? COMMUNITY_DEFAULTS.bridgeMinSide,
  };
  if (!Number.isInteger(opts.bridgeMinSide) || opts.bridgeMinSide < 0) {
    throw new RingwatchError('INPUT_INVALID', `communities: bridgeMinSide must be an integer ≥ 0, got ${opts.bridgeMinSide}`);
  }
  if (!Number.isFinite(opts.resolution) || opts.resolution <= 0) {
    throw new RingwatchError('INPUT_INVALID', `communities: resolution must be a number > 0, got ${opts.resolution}`);
  }
  if (opts.resolutionUnit !== 'per-weight' && opts.resolutionUnit !== 'louvain') {
    throw new RingwatchError('INPUT_INVALID', `communities: resolutionUnit must be 'per-weight' or 'louvain', got ${String(opts.resolutionUnit)}`);
  }
  if (!Number.isInteger(opts.seed)) {
    throw new RingwatchError('INPUT_INVALID', `communities: seed must be an integer, got ${opts.seed}`);
  }
  return opts;
}

/** The graph as compressed adjacency arrays over node indices (graph iteration order). */
interface Csr {
  nodes: string[];
  starts: Int32Array;
  neighbors: Int32Array;
  weights: Float64Array;
  strength: Float64Array;
  totalWeight: number;
}

function csrFromEdgeArrays(sellerIds: readonly string[], edges: EdgeArrays): Csr {
  const n = sellerIds.length;
  const m = edges.count;
  const starts = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    starts[edges.source[e]! + 1]!++;
    starts[edges.target[e]! + 1]!++;
  }
  for (let u = 0; u < n; u++) starts[u + 1]! += starts[u]!;
  return fillCsr(sellerIds as string[], starts, edges.source, edges.target, edges.weight, m);
}

function readGraph(graph: WeightedGraph): Csr {
  if (graph === null || typeof graph !== 'object' || typeof graph.forEachEdge !== 'function') {
    throw new RingwatchError('INPUT_INVALID', 'communities: expected a graphology graph');
  }
  if (graph.type !== 'undirected') {
    throw new RingwatchError('INPUT_INVALID', `communities: expected an undirected graph, got a ${graph.type} one`);
  }
  if (graph.selfLoopCount > 0) {
    throw new RingwatchError('INPUT_INVALID', 'communities: the seller projection has no self-loops; this graph has some');
  }
  const n = graph.order;
  const nodes: string[] = new Array(n);
  const index = new Map<string, number>();
  let i = 0;
  graph.forEachNode((node) => {
    nodes[i] = node;
    index.set(node, i++);
  });
  const degree = new Int32Array(n + 1);
  const m = graph.size;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const w = new Float64Array(m);
  let e = 0;
  graph.forEachEdge((edge, attributes, source, target) => {
    const weight = attributes.weight;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
      throw new RingwatchError('INPUT_INVALID', `communities: edge ${edge} needs a finite weight > 0, got ${String(weight)}`);
    }
    const u = index.get(source)!;
    const v = index.get(target)!;
    src[e] = u;
    dst[e] = v;
    w[e] = weight;
    e++;
    degree[u]!++;
    degree[v]!++;
  });
  const starts = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) starts[u + 1] = starts[u]! + degree[u]!;
  return fillCsr(nodes, starts, src, dst, w, m);
}

/** Fills adjacency arrays from an edge list, given each node's start offset (prefix sums of degrees). */
function fillCsr(nodes: string[], starts: Int32Array, src: Int32Array, dst: Int32Array, w: Float64Array, m: number): Csr {
  const n = nodes.length;
  const fill = starts.slice(0, n);
  const neighbors = new Int32Array(2 * m);
  const weights = new Float64Array(2 * m);
  const strength = new Float64Array(n);
  let totalWeight = 0;
  for (let k = 0; k < m; k++) {
    const u = src[k]!;
    const v = dst[k]!;
    const weight = w[k]!;
    neighbors[fill[u]!] = v;
    weights[fill[u]!++] = weight;
    neighbors[fill[v]!] = u;
    weights[fill[v]!++] = weight;
    strength[u]! += weight;
    strength[v]! += weight;
    totalWeight += weight;
  }
  return { nodes, starts, neighbors, weights, strength, totalWeight };
}

interface Components {
  count: number;
  /** Node index → component number (0..count-1, numbered in order of their first node). */
  label: Int32Array;
  /** Component number → its first node. */
  first: Int32Array;
}

/** Connected components by BFS; with `within`, only edges between nodes of the same label count. */
function connectedComponents(csr: Csr, within: Int32Array | null, cutSlots: Uint8Array | null = null): Components {
  const n = csr.nodes.length;
  const label = new Int32Array(n).fill(-1);
  const firsts: number[] = [];
  const queue = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (label[s] !== -1) continue;
    const c = count++;
    firsts.push(s);
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
  return { count, label, first: Int32Array.from(firsts) };
}

/** Newman–Girvan modularity Σ_C [L_C / m − (D_C / 2m)²] (L_C internal weight, D_C total strength). */
function computeModularity(csr: Csr, partition: Int32Array, count: number): number {
  const m = csr.totalWeight;
  if (m === 0) return 0;
  const internal = new Float64Array(count);
  const strength = new Float64Array(count);
  for (let u = 0; u < csr.nodes.length; u++) {
    const c = partition[u]!;
    strength[c]! += csr.strength[u]!;
    for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
      if (partition[csr.neighbors[k]!] === c) internal[c]! += csr.weights[k]! / 2;
    }
  }
  let q = 0;
  for (let c = 0; c < count; c++) {
    const share = strength[c]! / (2 * m);
    q += internal[c]! / m - share * share;
  }
  return q;
}

function compareRings(a: readonly string[], b: readonly string[]): number {
  return b.length - a.length || compareStrings(a[0]!, b[0]!);
}

/**
 * Cuts the bridges of each community (links whose removal disconnects it) that leave at least
 * `minSide` sellers on both sides, and returns one label per resulting connected part.
 *
 * Why: Louvain's modularity gain for keeping two dense groups together is positive whenever any
 * link joins them and the groups are small next to the marketplace, so two rings that share one
 * mule account come out as one community at any resolution that keeps sparse rings whole (the
 * resolution limit again). A ring whose stores share identifiers only partially is still held
 * together by several links between its parts, so it has no such bridge; a lone store hanging on
 * one link (side smaller than minSide) stays where it is. Bridges are found with Tarjan's
 * low-link rule on an iterative DFS, linear in the community's links.
 */
function cutRingBridges(csr: Csr, labels: Int32Array, minSide: number): { labels: Int32Array; cut: number } {
  const n = csr.nodes.length;
  const parts = connectedComponents(csr, labels);
  const partSize = new Int32Array(parts.count);
  for (let u = 0; u < n; u++) partSize[parts.label[u]!]!++;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const stack = new Int32Array(n);
  const cutSlots = new Uint8Array(csr.neighbors.length);
  let cut = 0;
  let time = 0;
  for (let p = 0; p < parts.count; p++) {
    const total = partSize[p]!;
    if (total < 2 * minSide) continue;
    const root = parts.first[p]!;
    let top = 0;
    stack[top++] = root;
    disc[root] = low[root] = time++;
    size[root] = 1;
    next[root] = csr.starts[root]!;
    while (top > 0) {
      const u = stack[top - 1]!;
      const k = next[u]!;
      if (k < csr.starts[u + 1]!) {
        next[u] = k + 1;
        const v = csr.neighbors[k]!;
        if (parts.label[v] !== p || v === parent[u]) continue;
        if (disc[v] === -1) {
          parent[v] = u;
          disc[v] = low[v] = time++;
          size[v] = 1;
          next[v] = csr.starts[v]!;
          stack[top++] = v;
        } else if (disc[v]! < low[u]!) {
          low[u] = disc[v]!;
        }
        continue;
      }
      top--;
      const q = parent[u]!;
      if (q < 0) continue;
      if (low[u]! < low[q]!) low[q] = low[u]!;
      size[q]! += size[u]!;
      if (low[u]! > disc[q]! && size[u]! >= minSide && total - size[u]! >= minSide) {
        markCut(csr, cutSlots, q, u);
        markCut(csr, cutSlots, u, q);
        cut++;
      }
    }
  }
  if (cut === 0) return { labels, cut };
  return { labels: connectedComponents(csr, parts.label, cutSlots).label, cut };
}

function markCut(csr: Csr, cutSlots: Uint8Array, from: number, to: number): void {
  for (let k = csr.starts[from]!, end = csr.starts[from + 1]!; k < end; k++) {
    if (csr.neighbors[k] === to) cutSlots[k] = 1;
  }
}
