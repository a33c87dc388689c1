/**
 * Seller–seller projection of the seller–identifier graph (DESIGN.md, "Detection", step 1).
 *
 * Input is a stream of identifier groups: one identifier node (a payment account, a sender phone,
 * an address, …) with every seller linked to it. Two sellers become linked when they share an
 * identifier; each shared identifier adds `kindWeight(kind) / log2(1 + k)` to the pair, where k is
 * the number of sellers sharing it (hub down-weighting: an identifier shared by many says less
 * about any one pair; Newman 2001 weights co-authorship the same way, with 1/(k − 1)). The weights
 * of all identifiers a pair shares are summed, and a bitmask records which kinds they were, so a
 * dossier can say *why* two sellers are linked.
 *
 * Identifiers shared by more than `hubLimit` sellers (fulfilment centres, payment aggregators,
 * carriers' shared accounts) are not expanded into pairs: they would glue the marketplace into one
 * blob and cost k² pairs. They are reported as hubs, keeping their members as compact node indices
 * so that a report can later say which rings each hub touches.
 *
 * Cost: every group of k ≤ hubLimit sellers adds k(k − 1)/2 pair contributions, which is at most
 * k · (hubLimit − 1)/2; summed over groups the work is linear in the seller–identifier links (at
 * most links · (hubLimit − 1)/2 operations), never quadratic in the number of sellers. Pairs are
 * accumulated in an open-addressing hash table over typed arrays (about 30 bytes a pair, no object
 * per pair). The result is those typed edge arrays: Louvain's graphology graph is built from them
 * by detectCommunities, and a seller-keyed graphology graph (`graph`) only when someone asks for
 * it, since at a million sellers building one costs more than the projection itself.
 *
 * Memory bounds: node ids live in one Map (V8 caps a Map at 2^24 ≈ 16.7M entries), and pairs are
 * indexed by 32-bit integers. Past that — tens of millions of sellers — the projection belongs in
 * the database (Neo4j GDS), as DESIGN.md "Growing past one machine" says.
 */
import graphology from 'graphology';
import type { UndirectedGraph } from 'graphology';
import { RingwatchError } from '../errors.ts';

/** The identifier kinds that link sellers; see DESIGN.md "Ingest contract" for where each comes from. */
export const IDENTIFIER_KINDS = [
  'payment_account',
  'phone',
  'carrier_account',
  'address',
  'origin',
  'image_hash',
] as const;

/**
 * `phone` is the sender phone on shipping links; `address` is a registered, return, pickup or
 * warehouse address; `origin` is the shipping origin address on shipping links.
 */
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** One identifier node and every seller linked to it. Each identifier must arrive exactly once, complete. */
export interface IdentifierGroup {
  kind: IdentifierKind;
  /** The normalised identifier (account digits, E.164 phone, canonical address key, image hash). */
  key: string;
  /** Sellers linked to it; repeats (e.g. the same address as return and registered address) are ignored. */
  sellerIds: readonly string[];
}

/** Bit of each kind in an edge's `kinds` mask. */
export const KIND_BITS: Readonly<Record<IdentifierKind, number>> = {
  payment_account: 1,
  phone: 2,
  carrier_account: 4,
  address: 8,
  origin: 16,
  image_hash: 32,
};

/** The kinds recorded in an edge's `kinds` bitmask, strongest first. */
export function kindsFromMask(mask: number): IdentifierKind[] {
  return IDENTIFIER_KINDS.filter((kind) => (mask & KIND_BITS[kind]) !== 0);
}

export interface ProjectionOptions {
  /** Weight a pair gets from one identifier of this kind shared by exactly the two of them, before hub down-weighting. */
  kindWeights: Readonly<Record<IdentifierKind, number>>;
  /** Identifiers shared by more sellers than this are reported as hubs instead of linking sellers. */
  hubLimit: number;
}

/**
 * Defaults, with the reasons:
 *
 * kindWeights — how strongly one shared identifier says "same operator":
 * - payment_account 1.0: the money ends up in the same account. Accounts are KYC-checked and slow
 *   to replace, which is exactly why closed counterfeiters reopen under the same ones.
 * - phone 0.7: a sender phone is answered by a person; SIM cards are cheap, so rotation is possible,
 *   but one phone on several stores' parcels is one operator.
 * - carrier_account 0.7: one billing contract with the carrier is one business; slightly
 *   diluted in practice by forwarders that ship for several clients on their account.
 * - address 0.4: return/registered/pickup/warehouse addresses are also shared honestly — virtual
 *   offices, shared warehouses, family businesses. Normalisation keeps room numbers, so a shared
 *   building alone does not count.
 * - origin 0.25: many unrelated sellers ship from the same consolidator or fulfilment site.
 * - image_hash 0.15: counterfeiters copy each other's photos, but honest resellers also use the
 *   brand's stock photos; the weakest signal on its own.
 *
 * hubLimit 100 — counterfeit rings reported by marketplaces and brand-protection firms run from a
 * handful to several dozen stores (our generator plants up to 60, and one ring account can be on
 * most of them); an identifier on more than 100 stores is far more likely a fulfilment centre, a
 * payment aggregator or a carrier's shared account than one operator. At 50, the accounts of the
 * largest planted rings became "hubs" and those rings fell apart (eval, 20k sellers, seed 1: ring
 * recall 0.895 at 50, 0.94 at 100, no change at 200). It also bounds the work: a group adds at
 * most 100·99/2 = 4,950 pairs, so the projection stays linear in the links.
 */
export const PROJECTION_DEFAULTS: Readonly<ProjectionOptions> = Object.freeze({
  kindWeights: Object.freeze({
    payment_account: 1.0,
    phone: 0.7,
    carrier_account: 0.7,
    address: 0.4,
    origin: 0.25,
    image_hash: 0.15,
  }),
  hubLimit: 100,
});

/** An identifier left out of the projection because too many sellers share it. */
export interface Hub {
  kind: IdentifierKind;
  key: string;
  sellerCount: number;
  /** Its sellers as node indices into `SellerProjection.sellerIds` (4 bytes each). */
  nodeIndices: Int32Array;
}

// Sellers carry no attributes in the projection: everything about them stays in Neo4j.
export type SellerNodeAttributes = Record<string, never>;

export interface SellerEdgeAttributes {
  /** Sum over the identifiers the pair shares of kindWeight / log2(1 + sellers sharing it). */
  weight: number;
  /** Bitmask of the kinds of those identifiers (KIND_BITS); decode with kindsFromMask. */
  kinds: number;
}

export type SellerGraph = UndirectedGraph<SellerNodeAttributes, SellerEdgeAttributes>;

/**
 * The weighted edge list as parallel typed arrays: node indices into `sellerIds`, source < target,
 * sorted by (source, target). Edge `e` here is the graph's edge with key `String(e)`.
 */
export interface EdgeArrays {
  count: number;
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  kinds: Uint8Array;
}

export interface ProjectionStats {
  /** Nodes: every seller seen in a group or added alone. */
  sellers: number;
  /** Sellers with no edge (alone, only in singleton groups, or only in hubs). */
  isolatedSellers: number;
  groups: number;
  /** Distinct seller–identifier links read (after removing repeats within a group). */
  links: number;
  /** Groups with one seller: they link nobody. */
  singletonGroups: number;
  /** Groups expanded into pairs (2 ≤ k ≤ hubLimit). */
  pairGroups: number;
  /** Pair contributions added, Σ k(k − 1)/2 over pair groups (≥ edges, since pairs repeat). */
  pairContributions: number;
  hubs: number;
  /** Links that belonged to hubs and were left out. */
  hubLinks: number;
  edges: number;
}

export interface ProjectionTimings {
  /** Time spent inside addGroup/addSeller: resolving ids and accumulating pair weights. */
  accumulateMs: number;
  /** Time spent in finish(): sorting the edges into trimmed arrays. */
  sortEdgesMs: number;
}

export interface SellerProjection {
  /**
   * The projection as a graphology graph, for inspection, tests and other graphology tools: one
   * node per seller (key = seller id, in node-index order); edges keyed by their position in
   * `edgeArrays` ("0", "1", …) with attributes `weight` and `kinds`. Built on first access and
   * kept; detection itself does not need it (detectCommunities works from `edgeArrays`).
   */
  readonly graph: SellerGraph;
  /** Node index → seller id. */
  sellerIds: readonly string[];
  /** Seller id → node index, or undefined when the seller was never seen. */
  indexOf(sellerId: string): number | undefined;
  /** The same edges as the graph, as typed arrays, for export to other engines (NetworKit, igraph). */
  edgeArrays: EdgeArrays;
  /** Iterates `[source, target, weight]` over node indices, source < target. */
  edges(): IterableIterator<[source: number, target: number, weight: number]>;
  hubs: Hub[];
  /** The seller ids of a hub (materialised on demand). */
  hubSellerIds(hub: Hub): string[];
  stats: ProjectionStats;
  timings: ProjectionTimings;
  options: ProjectionOptions;
}

/** Options as given by a caller: any subset, kindWeights merged kind by kind over the defaults. */
export interface ProjectionOptionsInput {
  kindWeights?: Partial<Record<IdentifierKind, number>>;
  hubLimit?: number;
}

function resolveOptions(input: ProjectionOptionsInput = {}): ProjectionOptions {
  const kindWeights = { ...PROJECTION_DEFAULTS.kindWeights, ...input.kindWeights };
  for (const kind of Object.keys(kindWeights)) {
    if (!Object.hasOwn(KIND_BITS, kind)) {
      throw new RingwatchError('INPUT_INVALID', `projection: unknown identifier kind "${kind}" in kindWeights`);
    }
    const weight = kindWeights[kind as IdentifierKind];
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RingwatchError('INPUT_INVALID', `projection: kindWeights.${kind} must be a finite number ≥ 0, got ${weight}`);
    }
  }
  const hubLimit = input.hubLimit ?? PROJECTION_DEFAULTS.hubLimit;
  if (!Number.isInteger(hubLimit) || hubLimit < 2) {
    throw new RingwatchError('INPUT_INVALID', `projection: hubLimit must be an integer ≥ 2, got ${hubLimit}`);
  }
  return { kindWeights, hubLimit };
}

/**
 * Sums pair weights keyed by (u, v), u < v, in an open-addressing hash table with linear probing.
 * A Map keyed by packed pairs would box every key (and V8 Maps stop at 2^24 entries); this keeps
 * 17 bytes per pair in parallel typed arrays plus a 4-byte slot table at most half full.
 */
class PairAccumulator {
  count = 0;
  source = new Int32Array(1024);
  target = new Int32Array(1024);
  weight = new Float64Array(1024);
  kinds = new Uint8Array(1024);
  private slots = new Int32Array(2048); // edge index + 1; 0 = empty
  private mask = 2047;

  add(u: number, v: number, w: number, bit: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let h = hashPair(u, v) & mask;
    for (;;) {
      const slot = slots[h]!;
      if (slot === 0) break;
      const e = slot - 1;
      if (this.source[e] === u && this.target[e] === v) {
        this.weight[e]! += w;
        this.kinds[e]! |= bit;
        return;
      }
      h = (h + 1) & mask;
    }
    const e = this.count++;
    if (e === this.source.length) this.growEdges();
    this.source[e] = u;
    this.target[e] = v;
    this.weight[e] = w;
    this.kinds[e] = bit;
    slots[h] = e + 1;
    if (this.count * 2 > slots.length) this.growSlots();
  }

  /**
   * The edges sorted by (source, target), in trimmed arrays; the accumulator is emptied. Sorted
   * order makes the output independent of hash-table layout and roughly halves the time graphology
   * takes to insert them (each node's adjacency is written in one run instead of all over memory).
   */
  take(nodeCount: number): EdgeArrays {
    const n = this.count;
    // Two stable counting-sort passes (by target, then by source): O(edges + nodes).
    const byTarget = countingOrder(this.target, n, nodeCount, null);
    const order = countingOrder(this.source, n, nodeCount, byTarget);
    const out: EdgeArrays = {
      count: n,
      source: new Int32Array(n),
      target: new Int32Array(n),
      weight: new Float64Array(n),
      kinds: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const e = order[i]!;
      out.source[i] = this.source[e]!;
      out.target[i] = this.target[e]!;
      out.weight[i] = this.weight[e]!;
      out.kinds[i] = this.kinds[e]!;
    }
    this.source = new Int32Array(0);
    this.target = new Int32Array(0);
    this.weight = new Float64Array(0);
    this.kinds = new Uint8Array(0);
    this.slots = new Int32Array(0);
    return out;
  }

  private growEdges(): void {
    const size = this.source.length * 2;
    this.source = growInt32(this.source, size);
    this.target = growInt32(this.target, size);
    const weight = new Float64Array(size);
    weight.set(this.weight);
    this.weight = weight;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }

  private growSlots(): void {
    const size = this.slots.length * 2;
    if (size > 2 ** 31) {
      throw new RingwatchError('INPUT_INVALID', 'projection: more than 2^30 seller pairs; project in the database (Neo4j GDS) instead');
    }
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let h = hashPair(this.source[e]!, this.target[e]!) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function hashPair(u: number, v: number): number {
  // murmur3-style finaliser over the two indices: spreads nearby indices across the table.
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(v + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable order of the first `n` positions (or of `within`, when given) by `keys[position]` ∈ [0, buckets). */
function countingOrder(keys: Int32Array, n: number, buckets: number, within: Int32Array | null): Int32Array {
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) starts[keys[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = within ? within[i]! : i;
    order[starts[keys[e]!]!++] = e;
  }
  return order;
}

function growInt32(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}

const { UndirectedGraph: UndirectedGraphClass } = graphology;

/**
 * Builds the projection incrementally, so that the database layer can feed identifier groups page
 * by page without holding them all: `addGroup` for each identifier, `addSeller` for sellers that
 * share nothing (so they still appear as nodes), then `finish()` once.
 *
 * Contract: each identifier (kind + key) arrives once with all its sellers. A group split across
 * two calls would be weighted as two identifiers and could escape the hub limit; the builder does
 * not keep every key to check, since that would cost memory proportional to all identifiers.
 */
export class SellerGraphBuilder {
  readonly options: ProjectionOptions;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly pairs = new PairAccumulator();
  private readonly hubs: Hub[] = [];
  private stamps = new Uint32Array(1024);
  private stamp = 0;
  private scratch = new Int32Array(64);
  private finished = false;
  private accumulateMs = 0;
  private readonly counts = {
    groups: 0,
    links: 0,
    singletonGroups: 0,
    pairGroups: 0,
    pairContributions: 0,
    hubLinks: 0,
  };

  constructor(options: ProjectionOptionsInput = {}) {
    this.options = resolveOptions(options);
  }

  /** Adds a seller that may share no identifier, so that it is still a node of the projection. */
  addSeller(sellerId: string): void {
    const t0 = performance.now();
    this.assertOpen();
    this.nodeIndex(sellerId);
    this.accumulateMs += performance.now() - t0;
  }

  /** Adds one identifier with all its sellers. */
  addGroup(group: IdentifierGroup): void {
    const t0 = performance.now();
    this.assertOpen();
    const { kind, key, sellerIds } = group;
    if (!Object.hasOwn(KIND_BITS, kind)) {
      throw new RingwatchError('INPUT_INVALID', `projection: unknown identifier kind "${String(kind)}"`);
    }
    if (typeof key !== 'string' || !Array.isArray(sellerIds)) {
      throw new RingwatchError('INPUT_INVALID', `projection: a ${kind} group needs a string key and a sellerIds array`);
    }
    this.counts.groups++;

    // Resolve to node indices, dropping repeats within the group with a per-group stamp (O(k)).
    if (this.scratch.length < sellerIds.length) this.scratch = new Int32Array(sellerIds.length * 2);
    const members = this.scratch;
    const stamp = ++this.stamp;
    let k = 0;
    for (let i = 0; i < sellerIds.length; i++) {
      const node = this.nodeIndex(sellerIds[i]!);
      if (this.stamps[node] !== stamp) {
        this.stamps[node] = stamp;
        members[k++] = node;
      }
    }
    this.counts.links += k;

    if (k <= 1) {
      if (k === 1) this.counts.singletonGroups++;
    } else if (k > this.options.hubLimit) {
      this.hubs.push({ kind, key, sellerCount: k, nodeIndices: members.slice(0, k) });
      this.counts.hubLinks += k;
    } else {
      const weight = this.options.kindWeights[kind] / Math.log2(1 + k);
      this.counts.pairGroups++;
      this.counts.pairContributions += (k * (k - 1)) / 2;
      if (weight > 0) {
        const bit = KIND_BITS[kind];
        for (let i = 0; i < k; i++) {
          const a = members[i]!;
          for (let j = i + 1; j < k; j++) {
            const b = members[j]!;
            if (a < b) this.pairs.add(a, b, weight, bit);
            else this.pairs.add(b, a, weight, bit);
          }
        }
      }
    }
    this.accumulateMs += performance.now() - t0;
  }

  /** Adds many groups (e.g. one page from the database). */
  addGroups(groups: Iterable<IdentifierGroup>): void {
    for (const group of groups) this.addGroup(group);
  }

  /** Sorts the accumulated edges and returns the projection; the builder cannot be used afterwards. */
  finish(): SellerProjection {
    this.assertOpen();
    this.finished = true;
    const t0 = performance.now();
    const ids = this.ids;
    const edgeArrays = this.pairs.take(ids.length);
    const sortEdgesMs = performance.now() - t0;
    this.stamps = new Uint32Array(0);
    this.scratch = new Int32Array(0);

    const hasEdge = new Uint8Array(ids.length);
    for (let e = 0; e < edgeArrays.count; e++) {
      hasEdge[edgeArrays.source[e]!] = 1;
      hasEdge[edgeArrays.target[e]!] = 1;
    }
    let isolatedSellers = 0;
    for (let i = 0; i < hasEdge.length; i++) if (hasEdge[i] === 0) isolatedSellers++;
    const index = this.index;
    let graph: SellerGraph | null = null;
    return {
      get graph() {
        return (graph ??= buildSellerGraph(ids, edgeArrays));
      },
      sellerIds: ids,
      indexOf: (sellerId) => index.get(sellerId),
      edgeArrays,
      edges: () => iterateEdges(edgeArrays),
      hubs: this.hubs,
      hubSellerIds: (hub) => Array.from(hub.nodeIndices, (node) => ids[node]!),
      stats: {
        sellers: ids.length,
        isolatedSellers,
        ...this.counts,
        hubs: this.hubs.length,
        edges: edgeArrays.count,
      },
      timings: { accumulateMs: this.accumulateMs, sortEdgesMs },
      options: this.options,
    };
  }

  private nodeIndex(sellerId: string): number {
    let node = this.index.get(sellerId);
    if (node === undefined) {
      if (typeof sellerId !== 'string' || sellerId.length === 0) {
        throw new RingwatchError('INPUT_INVALID', `projection: seller ids must be non-empty strings, got ${JSON.stringify(sellerId)}`);
      }
      node = this.ids.length;
      this.ids.push(sellerId);
      this.index.set(sellerId, node);
      if (node >= this.stamps.length) {
        const stamps = new Uint32Array(this.stamps.length * 2);
        stamps.set(this.stamps);
        this.stamps = stamps;
      }
    }
    return node;
  }

  private assertOpen(): void {
    if (this.finished) {
      throw new RingwatchError('INPUT_INVALID', 'projection: finish() was already called on this builder');
    }
  }
}

function buildSellerGraph(ids: readonly string[], edges: EdgeArrays): SellerGraph {
  const graph: SellerGraph = new UndirectedGraphClass<SellerNodeAttributes, SellerEdgeAttributes>({ allowSelfLoops: false });
  for (const id of ids) graph.addNode(id);
  const { source, target, weight, kinds } = edges;
  for (let e = 0; e < edges.count; e++) {
    graph.addUndirectedEdgeWithKey(String(e), ids[source[e]!]!, ids[target[e]!]!, { weight: weight[e]!, kinds: kinds[e]! });
  }
  return graph;
}

function* iterateEdges(edges: EdgeArrays): IterableIterator<[number, number, number]> {
  for (let e = 0; e < edges.count; e++) yield [edges.source[e]!, edges.target[e]!, edges.weight[e]!];
}

/**
 * Projects identifier groups onto a weighted seller graph in one call (tests, small data, benches).
 * `sellerIds` adds sellers that share nothing, so that they still appear as nodes.
 */
export function projectSellerGraph(
  groups: Iterable<IdentifierGroup>,
  options: ProjectionOptionsInput & { sellerIds?: Iterable<string> } = {},
): SellerProjection {
  const { sellerIds, ...projectionOptions } = options;
  const builder = new SellerGraphBuilder(projectionOptions);
  if (sellerIds) for (const id of sellerIds) builder.addSeller(id);
  builder.addGroups(groups);
  return builder.finish();
}
