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
 * 2. Refinement. After Louvain's last level, one more round of local moves of single sellers
 *    between the final communities (refineCommunities). Louvain's upper levels move whole
 *    communities, so a seller placed badly on the first level stays with its group; NetworKit's
 *    PLM has the same step ("refine"; Staudt & Meyerhenke, IEEE TPDS 2016). It is cheap (a few
 *    passes over the links) and brings graphology's result up to NetworKit's modularity.
 *
 * 3. Connectivity. Louvain can return a community that is not connected (Traag, Waltman & van Eck,
 *    "From Louvain to Leiden", Sci. Rep. 2019). Every community is split into its connected
 *    components within the community, so every ring is connected in the projection.
 */
import graphology from 'graphology';
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
const { UndirectedGraph: UndirectedGraphClass } = graphology;

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
  /** Move single sellers between Louvain's final communities while modularity rises (refineCommunities). */
  refine: boolean;
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
 * - refine on: 0.3 s at 1M sellers, and Louvain's objective rises from below NetworKit PLM's to
 *   above it (bench/detect/RESULTS-peers.md).
 */
export const COMMUNITY_DEFAULTS: Readonly<CommunityOptions> = Object.freeze({
  resolution: 0.0001,
  resolutionUnit: 'per-weight',
  seed: 42,
  bridgeMinSide: 3,
  refine: true,
});

export interface CommunityTimings {
  /** Reading the graph into adjacency arrays. */
  prepareMs: number;
  /** Building the graphology graph Louvain runs on (from a projection; 0 when given a graph). */
  buildGraphMs: number;
  louvainMs: number;
  /** Moving single sellers between Louvain's final communities (refineCommunities). */
  refineMs: number;
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
  /** Modularity at the γ Louvain used (louvainResolution): the objective it maximised, for comparing engines. */
  objective: number;
  /** The γ given to Louvain (resolution × 2m in 'per-weight'): pass it to another engine to compare. */
  louvainResolution: number;
  /** Total edge weight m. */
  totalWeight: number;
  /** Louvain levels (aggregation rounds) run. */
  levels: number;
  /** Node moves per level. */
  moves: number[];
  /** Single sellers moved by the refinement after Louvain. */
  refinedMoves: number;
  timings: CommunityTimings;
  options: CommunityOptions;
}

/** Minimal graph shape read here: any undirected graphology graph with a numeric `weight` edge attribute. */
export type WeightedGraph = AbstractGraph<Attributes, Attributes>;

/**
 * Finds candidate rings: Louvain communities (seeded), each split into connected parts; rings are
 * the parts with two or more sellers. Edge weights are read from the `weight` attribute.
 *
 * Given a SellerProjection rather than a graph, everything is read from the projection's typed
 * edge arrays, and Louvain runs on a graphology graph built for it (see buildLouvainGraph): same
 * rings, a third of the time and half the memory at marketplace scale.
 */
export function detectCommunities(
  input: WeightedGraph | Pick<SellerProjection, 'sellerIds' | 'edgeArrays'>,
  options: Partial<CommunityOptions> = {},
): CommunityDetection {
  const opts = resolveOptions(options);
  const t0 = performance.now();
  const fromProjection = input !== null && typeof input === 'object' && 'edgeArrays' in input && 'sellerIds' in input;
  const csr = fromProjection ? csrFromEdgeArrays(input.sellerIds, input.edgeArrays) : readGraph(input as WeightedGraph);
  const n = csr.nodes.length;
  const louvainResolution = opts.resolutionUnit === 'per-weight' ? opts.resolution * 2 * csr.totalWeight : opts.resolution;
  const t1 = performance.now();

  // Louvain labels per node index; the graph Louvain ran on is garbage once this returns.
  const louvainRun: LouvainRun =
    csr.totalWeight === 0
      ? // No edges: every seller is its own community (graphology would say the same, with NaN modularity).
        { labels: new Int32Array(n).map((_, i) => i), count: n, moves: [], buildGraphMs: 0 }
      : runLouvain(csr, fromProjection ? { edges: input.edgeArrays } : { graph: input as WeightedGraph }, louvainResolution, opts.seed);
  const { labels, moves } = louvainRun;
  const louvainCommunities = louvainRun.count;
  const tBuilt = t1 + louvainRun.buildGraphMs;
  const tLouvain = performance.now();
  const refinedMoves = csr.totalWeight === 0 || !opts.refine ? 0 : refineCommunities(csr, labels, louvainResolution);
  const t2 = performance.now();

  const connected = splitIntoConnectedParts(csr, labels);
  const bridges = opts.bridgeMinSide > 0 ? cutRingBridges(csr, connected.parts, opts.bridgeMinSide) : { parts: connected.parts, cut: 0 };
  const parts = bridges.parts;
  const { communities, singletons } = collectRings(csr, parts);

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
  const { modularity, objective } = computeModularity(csr, parts.label, parts.count, louvainResolution);
  const t3 = performance.now();

  return {
    communities,
    singletons,
    louvainCommunities,
    disconnectedCommunities: connected.disconnectedCommunities,
    bridgesCut: bridges.cut,
    components,
    largestComponent,
    modularity,
    objective,
    louvainResolution,
    totalWeight: csr.totalWeight,
    levels: moves.length,
    moves,
    refinedMoves,
    timings: {
      prepareMs: t1 - t0,
      buildGraphMs: tBuilt - t1,
      louvainMs: tLouvain - tBuilt,
      refineMs: t2 - tLouvain,
      splitMs: t3 - t2,
      totalMs: t3 - t0,
    },
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
  const { parts, disconnectedCommunities } = splitIntoConnectedParts(csr, labels);
  return { ...collectRings(csr, parts), disconnectedCommunities };
}

/** The connected parts of each community (labels: one community per node, 0..n-1), and how many communities had more than one. */
function splitIntoConnectedParts(csr: Csr, labels: Int32Array): { parts: Components; disconnectedCommunities: number } {
  const parts = connectedComponents(csr, labels);
  const partsPerCommunity = new Int32Array(csr.nodes.length);
  let disconnectedCommunities = 0;
  for (let p = 0; p < parts.count; p++) {
    if (++partsPerCommunity[labels[parts.first[p]!]!]! === 2) disconnectedCommunities++;
  }
  return { parts, disconnectedCommunities };
}

/** The parts of two or more sellers as sorted seller-id lists, largest first; the rest counted as singletons. */
function collectRings(csr: Csr, parts: Components): { communities: string[][]; singletons: number } {
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
    refine: input.refine ?? COMMUNITY_DEFAULTS.refine,
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

/**
 * Moves single sellers between the communities in `labels` (changed in place) while that raises
 * modularity at resolution γ, and returns the number of moves. Each pass visits the sellers in
 * index order and moves each to the neighbouring community with the largest gain
 * k_u,C − γ·k_u·Σ_C / 2m (k_u,C: weight between u and C, k_u: u's strength, Σ_C: C's total
 * strength without u), if it beats staying; passes repeat until one moves nobody (at most
 * maxPasses). Deterministic: the same labels in, the same labels out.
 */
function refineCommunities(csr: Csr, labels: Int32Array, gamma: number, maxPasses = 8): number {
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

interface LouvainRun {
  /** Community per node index (0..count-1). */
  labels: Int32Array;
  count: number;
  /** Node moves per level. */
  moves: number[];
  buildGraphMs: number;
}

/**
 * Runs graphology's Louvain on a given graph, or on a graph built for it from a projection's edge
 * arrays. Kept apart from detectCommunities so that nothing there holds on to the graph (most of
 * the memory at marketplace scale) once the labels are out.
 */
function runLouvain(csr: Csr, input: { edges: EdgeArrays } | { graph: WeightedGraph }, resolution: number, seed: number): LouvainRun {
  const n = csr.nodes.length;
  const t0 = performance.now();
  const built = 'edges' in input ? buildLouvainGraph(csr, input.edges) : null;
  const buildGraphMs = performance.now() - t0;
  const detailed: DetailedLouvainOutput = louvain.detailed(built ? built.graph : (input as { graph: WeightedGraph }).graph, {
    getEdgeWeight: built ? built.edgeWeight : 'weight',
    resolution,
    rng: createRng(seed),
  });
  const mapping = detailed.communities;
  const labels = new Int32Array(n);
  let count = detailed.count;
  for (let u = 0; u < n; u++) {
    if (!built) labels[u] = mapping[csr.nodes[u]!]!;
    else if (csr.starts[u + 1]! > csr.starts[u]!) labels[u] = mapping[louvainKey(u)]!;
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
 * The graphology graph Louvain runs on, built from the projection's edge arrays: only sellers with
 * at least one link (a seller alone is a community of one whatever Louvain does, and at a million
 * sellers most are alone), keyed by node index ("0", "17", …) rather than by seller id, and edges
 * keyed by their index in the edge arrays, without attribute objects (the weight is read from the
 * typed array). Why the index keys: graphology keeps each node's neighbours in a plain object keyed
 * by neighbour key, and V8 stores integer-like keys as array elements instead of hashed
 * properties. On the 1M-seller market of bench/detect/peers.ts (2.1M edges, 68 % of sellers
 * without a link), against all sellers keyed by seller id: leaving out the unlinked sellers took
 * the build from 21 s to 16 s and Louvain from 8.8 s to 4.4 s; index keys then took the build to
 * 6.3 s and Louvain to 3.2 s, and peak RSS from 1.9 to 0.9 GiB.
 *
 * Nodes are added in index order and edges in (source, target) order, so each node's neighbours
 * come out in ascending index order, as they do in the CSR arrays: Louvain visits exactly what it
 * would visit on the seller-keyed graph of the same linked sellers.
 */
function buildLouvainGraph(csr: Csr, edges: EdgeArrays): { graph: WeightedGraph; edgeWeight: (edge: string) => number } {
  const graph = new UndirectedGraphClass({ allowSelfLoops: false });
  const n = csr.nodes.length;
  const keys: string[] = new Array(n);
  for (let u = 0; u < n; u++) {
    if (csr.starts[u + 1]! > csr.starts[u]!) graph.addNode((keys[u] = louvainKey(u)));
  }
  const { source, target, weight } = edges;
  for (let e = 0; e < edges.count; e++) graph.addUndirectedEdgeWithKey(e, keys[source[e]!]!, keys[target[e]!]!);
  return { graph, edgeWeight: (edge) => weight[+edge]! };
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
 * Modularity Σ_C [L_C / m − γ·(D_C / 2m)²] (L_C internal weight, D_C total strength) at γ = 1
 * (Newman–Girvan) and at the given γ.
 */
function computeModularity(csr: Csr, partition: Int32Array, count: number, gamma: number): { modularity: number; objective: number } {
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

function compareRings(a: readonly string[], b: readonly string[]): number {
  return b.length - a.length || compareStrings(a[0]!, b[0]!);
}

/**
 * Cuts the bridges of each connected community (links whose removal disconnects it) that leave at
 * least `minSide` sellers on both sides, and returns the resulting connected parts.
 *
 * Why: Louvain's modularity gain for keeping two dense groups together is positive whenever any
 * link joins them and the groups are small next to the marketplace, so two rings that share one
 * mule account come out as one community at any resolution that keeps sparse rings whole (the
 * resolution limit again). A ring whose stores share identifiers only partially is still held
 * together by several links between its parts, so it has no such bridge; a lone store hanging on
 * one link (side smaller than minSide) stays where it is. Bridges are found with Tarjan's
 * low-link rule on an iterative DFS, linear in the community's links.
 */
function cutRingBridges(csr: Csr, parts: Components, minSide: number): { parts: Components; cut: number } {
  const n = csr.nodes.length;
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
  if (cut === 0) return { parts, cut };
  return { parts: connectedComponents(csr, parts.label, cutSlots), cut };
}

function markCut(csr: Csr, cutSlots: Uint8Array, from: number, to: number): void {
  for (let k = csr.starts[from]!, end = csr.starts[from + 1]!; k < end; k++) {
    if (csr.neighbors[k] === to) cutSlots[k] = 1;
  }
}
