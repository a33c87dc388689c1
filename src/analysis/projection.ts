/**
 * Seller–seller projection of the seller–identifier graph (docs/detection.md, "Projection").
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
 * per pair; pairAccumulator.ts). The result is those typed edge arrays, which detectCommunities
 * reads directly: at a million sellers a seller-keyed graph object would cost more than the
 * projection itself.
 *
 * Memory bounds: node ids live in one Map (V8 caps a Map at 2^24 ≈ 16.7M entries), and pairs are
 * indexed by 32-bit integers. Past that — tens of millions of sellers — the projection belongs in
 * the database, with Neo4j GDS (docs/detection.md, "Growing past one machine").
 */
import { RingwatchError } from '../errors.ts';
import { KIND_BITS, type IdentifierKind } from '../vocabulary.ts';
import { PairAccumulator } from './pairAccumulator.ts';

/**
 * One identifier node and the sellers linked to it. A full run gives every identifier once with
 * all its sellers; an incremental run only the sellers of the region it re-clusters, with
 * `sellerCount` saying how many there are in all (docs/live.md, "Incremental detection"), so that
 * the pairs it makes weigh what they weigh in the whole marketplace.
 */
export interface IdentifierGroup {
  kind: IdentifierKind;
  /** The normalised identifier (account digits, E.164 phone, canonical address key, image hash). */
  key: string;
  /** Sellers linked to it; repeats (e.g. the same address as return and registered address) are ignored. */
  sellerIds: readonly string[];
  /** How many sellers are linked to it in all, when `sellerIds` lists only some. */
  sellerCount?: number;
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
 * - paymentAccount 1.0: the money ends up in the same account. Accounts are KYC-checked and slow
 *   to replace, which is exactly why closed counterfeiters reopen under the same ones.
 * - phone 0.7: a sender phone is answered by a person; SIM cards are cheap, so rotation is possible,
 *   but one phone on several stores' parcels is one operator.
 * - carrierAccount 0.7: one billing contract with the carrier is one business; slightly
 *   diluted in practice by forwarders that ship for several clients on their account.
 * - address 0.4: return/registered/pickup/warehouse addresses are also shared honestly — virtual
 *   offices, shared warehouses, family businesses. Normalisation keeps room numbers, so a shared
 *   building alone does not count.
 * - origin 0.25: many unrelated sellers ship from the same consolidator or fulfilment site.
 * - imageHash 0.15: counterfeiters copy each other's photos, but honest resellers also use the
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
    paymentAccount: 1.0,
    phone: 0.7,
    carrierAccount: 0.7,
    address: 0.4,
    origin: 0.25,
    imageHash: 0.15,
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

/**
 * The weighted edge list as parallel typed arrays: node indices into `sellerIds`, source < target,
 * sorted by (source, target). Sellers carry no attributes in the projection: everything about them
 * stays in Neo4j.
 */
export interface EdgeArrays {
  count: number;
  source: Int32Array;
  target: Int32Array;
  /** Sum over the identifiers the pair shares of kindWeight / log2(1 + sellers sharing it). */
  weight: Float64Array;
  /** Bitmask of the kinds of those identifiers (KIND_BITS); decode with kindsFromMask. */
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
  /** Node index → seller id. */
  sellerIds: readonly string[];
  /** Seller id → node index, or undefined when the seller was never seen. */
  indexOf(sellerId: string): number | undefined;
  /** The edges, as typed arrays; detectCommunities reads them, and so can other engines (NetworKit, igraph). */
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

export function resolveProjectionOptions(input: ProjectionOptionsInput = {}): ProjectionOptions {
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
    this.options = resolveProjectionOptions(options);
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
    // The group's size in the whole marketplace decides its weight and whether it is a hub.
    const sellerCount = group.sellerCount ?? k;
    if (!(Number.isInteger(sellerCount) && sellerCount >= k)) {
      throw new RingwatchError('INPUT_INVALID', `projection: a ${kind} group of ${k} sellers says it has ${String(sellerCount)} in all`);
    }

    if (sellerCount > this.options.hubLimit) {
      this.hubs.push({ kind, key, sellerCount, nodeIndices: members.slice(0, k) });
      this.counts.hubLinks += k;
    } else if (k <= 1) {
      if (k === 1) this.counts.singletonGroups++;
    } else {
      const weight = this.options.kindWeights[kind] / Math.log2(1 + sellerCount);
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
    return {
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
