/**
 * Candidate rings from the seller projection (docs/detection.md, "Communities").
 *
 * Algorithm: Louvain modularity optimisation — V. D. Blondel, J.-L. Guillaume, R. Lambiotte,
 * E. Lefebvre, "Fast unfolding of communities in large networks", J. Stat. Mech. (2008) P10008,
 * doi:10.1088/1742-5468/2008/10/P10008 — as implemented by graphology-communities-louvain 2.0
 * (`louvain.detailed`: fast local moves with a queue, node visits in random order from our seeded
 * rng, weighted modularity with a resolution γ; communities/louvain.ts).
 *
 * Three things are added around it:
 *
 * 1. A resolution that means the same on every marketplace (resolutionUnit 'per-weight', the
 *    default). Louvain moves seller i into community C when k_iC − γ·k_i·Σ_C / 2m > 0 (k_iC: weight
 *    between them, k_i: i's total weight, Σ_C: C's, m: the whole graph's), and merges two
 *    communities A and B on the same test. With a fixed γ the penalty shrinks as the marketplace
 *    grows, so on millions of sellers any link at all between two small rings — one mule account,
 *    one copied photo — is worth merging: the resolution limit (Fortunato & Barthélemy, PNAS 2007),
 *    and why the default resolution merges small rings (docs/detection.md, "Communities"). We
 *    therefore take the resolution ρ per unit of weight and give Louvain γ = ρ · 2m: the test
 *    becomes k_iC > ρ·k_i·Σ_C (w_AB > ρ·Σ_A·Σ_B for two communities), which involves only the
 *    sellers concerned, so a setting tuned on a generated market carries over to a real one of any
 *    size (the constant γ/2m is Reichardt & Bornholdt's, Phys. Rev. E 74, 016110, 2006). To run
 *    Neo4j GDS Louvain on the same criterion, give it `louvainResolution` from the result.
 *    resolutionUnit 'louvain' passes γ unchanged.
 *
 * 2. Refinement. After Louvain's last level, one more round of local moves of single sellers
 *    between the final communities (communities/refine.ts).
 *
 * 3. Connectivity. Louvain can return a community that is not connected; every community is split
 *    into its connected components within the community, so every ring is connected in the
 *    projection (communities/components.ts). Then a single link inside a community that joins two
 *    groups of at least bridgeMinSide sellers each is cut (communities/bridges.ts): two rings
 *    joined by one mule account come out as two rings.
 *
 * 4. Loose ties do not hold a store in a ring. A link whose sellers share only identifiers of one
 *    kind outside `tieKinds` — only product photos, only a carrier account, only a shipping origin —
 *    is a loose tie: strangers share those (photos are copied, forwarders ship for many clients on
 *    one carrier account, consolidators ship for hundreds). Camouflaged rings exploit exactly that:
 *    their members copy honest stores' photos and ship on honest stores' carrier accounts, and at a
 *    resolution that keeps sparse rings whole Louvain then pulls the honest stores in (adversarial
 *    market, 20k stores: 6 of 26 camouflaged rings found whole; docs/detection.md, "Loose ties").
 *    Loose ties still weigh in Louvain, but the connected parts in step 3 are taken over tie links
 *    only — links that include a payment account, phone or declared address, or identifiers of two
 *    or more kinds — so a store attached to a ring by loose ties alone is left out of it, and two
 *    rings joined only by a few loose ties come apart. One exception: a store left alone whose loose ties
 *    reach two or more members of one ring (of its own Louvain community), and more of them than
 *    stores outside it, goes back into that ring; so does a pair whose loose ties into a ring
 *    are more than its stores and most of those leaving it (a ring's two halves that share only
 *    photos and carrier accounts); and a ring that grew so is looked at for bridges again, the
 *    loose links that brought the store in counted as ties —
 *    a ring's own carrier account or photos are on several of its members, while an honest store a
 *    ring copied from is usually tied to one. This is FRAUDAR's lesson (Hooi et al., KDD 2016:
 *    camouflage is edges to honest objects, so evidence must not flow along them unweighted) put
 *    as a rule about which identifiers name an operator. And the other way round: a store that
 *    Louvain put in a community holding none of its ties (loose weight alone kept it there: a
 *    photo shared with sixty stores outweighing the two accounts that chain it to a ring) is first
 *    moved to the community its ties weigh most in, and the communities it ties together are joined
 *    when Louvain's own merge test passes (communities/rehome.ts); left where it was, the split
 *    would leave it alone and cut a chain ring in two at it.
 */
import { RingwatchError } from '../errors.ts';
import { cutRingBridges } from './communities/bridges.ts';
import { collectRings, componentStats, splitIntoConnectedParts } from './communities/components.ts';
import { rehomeStrandedSellers } from './communities/rehome.ts';
import { csrFromProjection } from './communities/csr.ts';
import { runLouvain, type LouvainRun } from './communities/louvain.ts';
import { computeModularity } from './communities/modularity.ts';
import { refineCommunities } from './communities/refine.ts';
import type { SellerProjection } from './projection.ts';
import { KIND_BITS, type IdentifierKind } from '../vocabulary.ts';
import type { Csr } from './communities/csr.ts';
import type { Components } from './communities/components.ts';

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
  /**
   * Kinds of identifier that alone tie a store to a ring (header, step 4). A link sharing only
   * identifiers of one other kind is loose: it weighs in Louvain but does not connect a ring.
   * All kinds: every link ties (the behaviour before loose ties).
   */
  tieKinds: readonly IdentifierKind[];
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
 * - bridgeMinSide 3: the smallest ring worth a case; see communities/bridges.ts.
 * - refine on: 0.3 s at 1M sellers, and Louvain's objective rises from below NetworKit PLM's to
 *   above it (bench/detect/RESULTS-peers.md).
 * - tieKinds payment account, phone, declared address: the identifiers that name an operator, the
 *   ones closed counterfeiters reopen under (docs/detection.md, "Loose ties").
 */
export const COMMUNITY_DEFAULTS: Readonly<CommunityOptions> = Object.freeze({
  resolution: 0.0001,
  resolutionUnit: 'per-weight',
  seed: 42,
  bridgeMinSide: 3,
  refine: true,
  tieKinds: Object.freeze(['paymentAccount', 'phone', 'address'] as const),
});

export interface CommunityTimings {
  /** Reading the projection into adjacency arrays (and checking it). */
  prepareMs: number;
  /** Building the graphology graph Louvain runs on. */
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
  /** Links inside Louvain's communities that were loose ties (header, step 4), each counted once. */
  looseLinksInCommunities: number;
  /** Sellers that the tie split cut off a ring and its loose ties put back (alone, or a part of a few; header, step 4). */
  attachedByLooseTies: number;
  /** Sellers moved from a Louvain community that held none of their ties into the one their ties weigh most in (header, step 4). */
  rehomedByTies: number;
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

/**
 * Finds candidate rings in a seller projection: Louvain communities (seeded), refined, each split
 * into connected parts and cut at bridges between rings; rings are the parts with two or more
 * sellers. Everything is read from the projection's typed edge arrays.
 */
export function detectCommunities(
  projection: Pick<SellerProjection, 'sellerIds' | 'edgeArrays'>,
  options: Partial<CommunityOptions> = {},
): CommunityDetection {
  const opts = resolveCommunityOptions(options);
  const t0 = performance.now();
  const csr = csrFromProjection(projection);
  const n = csr.nodes.length;
  const louvainResolution = opts.resolutionUnit === 'per-weight' ? opts.resolution * 2 * csr.totalWeight : opts.resolution;
  const t1 = performance.now();

  // Louvain labels per node index; the graph Louvain ran on is garbage once this returns.
  const louvainRun: LouvainRun =
    csr.totalWeight === 0
      ? // No edges: every seller is its own community (graphology would say the same, with NaN modularity).
        { labels: new Int32Array(n).map((_, i) => i), count: n, moves: [], buildGraphMs: 0 }
      : runLouvain(csr, projection.edgeArrays, louvainResolution, opts.seed);
  const { labels, moves } = louvainRun;
  const louvainCommunities = louvainRun.count;
  const tBuilt = t1 + louvainRun.buildGraphMs;
  const tLouvain = performance.now();
  const refinedMoves = csr.totalWeight === 0 || !opts.refine ? 0 : refineCommunities(csr, labels, louvainResolution);
  const t2 = performance.now();

  const loose = looseTieSlots(csr, labels, opts.tieKinds);
  const rehomed = loose.slots === null ? 0 : rehomeStrandedSellers(csr, labels, loose.slots, louvainResolution / (2 * csr.totalWeight));
  const connected = splitIntoConnectedParts(csr, labels, loose.slots);
  const bridges = opts.bridgeMinSide > 0 ? cutRingBridges(csr, connected.parts, opts.bridgeMinSide, loose.slots) : { parts: connected.parts, cut: 0 };
  const attached = loose.slots === null ? { parts: bridges.parts, attached: 0, sellers: [] } : attachByLooseTies(csr, labels, bridges.parts, loose.slots, opts.bridgeMinSide);
  const bridgesAgain =
    opts.bridgeMinSide > 0 && loose.slots !== null && attached.attached > 0
      ? cutBridgesOfGrownRings(csr, attached.parts, attached.sellers, opts.bridgeMinSide, loose.slots)
      : { parts: attached.parts, cut: 0 };
  const parts = bridgesAgain.parts;
  const { communities, singletons } = collectRings(csr, parts);
  const { components, largestComponent } = componentStats(csr);
  const { modularity, objective } = computeModularity(csr, parts.label, parts.count, louvainResolution);
  const t3 = performance.now();

  return {
    communities,
    singletons,
    louvainCommunities,
    disconnectedCommunities: connected.disconnectedCommunities,
    bridgesCut: bridges.cut + bridgesAgain.cut,
    looseLinksInCommunities: loose.inCommunities,
    rehomedByTies: rehomed,
    attachedByLooseTies: attached.attached,
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

export function resolveCommunityOptions(input: Partial<CommunityOptions>): CommunityOptions {
  const opts: CommunityOptions = {
    resolution: input.resolution ?? COMMUNITY_DEFAULTS.resolution,
    resolutionUnit: input.resolutionUnit ?? COMMUNITY_DEFAULTS.resolutionUnit,
    seed: input.seed ?? COMMUNITY_DEFAULTS.seed,
    bridgeMinSide: input.bridgeMinSide ?? COMMUNITY_DEFAULTS.bridgeMinSide,
    refine: input.refine ?? COMMUNITY_DEFAULTS.refine,
    tieKinds: input.tieKinds ?? COMMUNITY_DEFAULTS.tieKinds,
  };
  if (!Array.isArray(opts.tieKinds) || opts.tieKinds.some((kind) => !(kind in KIND_BITS))) {
    throw new RingwatchError('INPUT_INVALID', `communities: tieKinds must list identifier kinds (${Object.keys(KIND_BITS).join(', ')}), got ${JSON.stringify(opts.tieKinds)}`);
  }
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

/**
 * Whether a link of this kind mask (KIND_BITS) is a loose tie (header, step 4): identifiers of
 * exactly one kind, and that kind not in `tieKinds`. A link of unknown kinds (mask 0) ties.
 */
export function looseTieTest(tieKinds: readonly IdentifierKind[]): (kindMask: number) => boolean {
  let tieMask = 0;
  for (const kind of tieKinds) tieMask |= KIND_BITS[kind];
  // One kind (a power of two) outside the tie kinds: loose.
  return (mask) => mask !== 0 && (mask & tieMask) === 0 && (mask & (mask - 1)) === 0;
}

/**
 * Marks the slots of loose ties (header, step 4): links whose pair shares identifiers of exactly
 * one kind, and that kind not in `tieKinds`. A link of unknown kinds (mask 0: a projection built
 * without them) ties, as before. Null when no link is loose.
 */
function looseTieSlots(csr: Csr, labels: Int32Array, tieKinds: readonly IdentifierKind[]): { slots: Uint8Array | null; inCommunities: number } {
  const isLoose = looseTieTest(tieKinds);
  const slots = new Uint8Array(csr.neighbors.length);
  let any = false;
  let inCommunities = 0;
  for (let u = 0; u < csr.nodes.length; u++) {
    for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
      if (!isLoose(csr.kinds[k]!)) continue;
      slots[k] = 1;
      any = true;
      const v = csr.neighbors[k]!;
      if (u < v && labels[u] === labels[v]) inCommunities++;
    }
  }
  return { slots: any ? slots : null, inCommunities };
}

/**
 * Puts back into a ring each part that the tie split cut off it by loose ties alone: a part A too
 * small to be a ring worth a case (a seller left alone, or a pair: fewer than bridgeMinSide
 * sellers) joins the part B of its Louvain community (two or more sellers) that most of A's loose
 * ties leaving A reach, when those ties are more than A has sellers and reach at least two of B's. For a seller alone: loose ties to two or more
 * members of one ring, more than to stores outside it. For a pair: three loose ties or more into
 * the ring (classic 200k market, seed 2: a ring of five whose two halves, {payment account +
 * phone} and {address + photos}, share only photos and carrier accounts, six loose ties between
 * them, came out as two rings). An honest store a ring copied from is usually tied to one member;
 * two honest stores of one owner copied by two members are two ties, not more than they are.
 * Two parts that are rings of their own stay apart, as two rings joined by a mule do: on the 1M
 * market of bench/detect/peers.ts, letting them join merged 20 of 857 planted rings into others.
 * Decided for every part against the parts as they were, so one decision does not pull in the
 * next; parts that chose each other, or the same ring, end up together. Parts are renumbered
 * without the emptied ones.
 */
function attachByLooseTies(csr: Csr, labels: Int32Array, parts: Components, looseSlots: Uint8Array, minSide: number): { parts: Components; attached: number; sellers: number[] } {
  const { starts, neighbors } = csr;
  const partOf = parts.label;
  const n = csr.nodes.length;
  const partSize = new Int32Array(parts.count);
  for (let u = 0; u < n; u++) partSize[partOf[u]!]!++;
  // Parts of this size or more are rings of their own: loose ties do not join two rings, as a
  // mule does not (the bridge cut's bridgeMinSide; with bridges off, stores alone only).
  const ringOfItsOwn = Math.max(2, minSide);
  // The parts to decide: those with a loose tie to a member of another ring of their own Louvain
  // community. Found from the rings' side, whose members are few, rather than by walking the
  // links of every seller left alone (at a million sellers, 3.9 million links for two moves).
  const isCandidate = new Uint8Array(parts.count);
  const candidates: number[] = [];
  for (let v = 0; v < n; v++) {
    if (partSize[partOf[v]!]! < 2) continue;
    for (let k = starts[v]!, end = starts[v + 1]!; k < end; k++) {
      if (looseSlots[k] !== 1) continue;
      const u = neighbors[k]!;
      const part = partOf[u]!;
      if (isCandidate[part] === 1 || part === partOf[v] || partSize[part]! >= ringOfItsOwn || labels[u] !== labels[v]) continue;
      isCandidate[part] = 1;
      candidates.push(part);
    }
  }
  if (candidates.length === 0) return { parts, attached: 0, sellers: [] };
  const members = membersOfParts(partOf, parts.count, partSize);
  // Per candidate part: its loose ties per other part, the parts touched (to reset), and which
  // of a part's members it reached already (a stamp per seller).
  const countByPart = new Int32Array(parts.count);
  const reachedByPart = new Int32Array(parts.count);
  const touched = new Int32Array(parts.count);
  const reachedFrom = new Int32Array(n).fill(-1);
  const joins = new Int32Array(parts.count).map((_, i) => i);
  const root = (p: number): number => {
    while (joins[p] !== p) p = joins[p] = joins[joins[p]!]!;
    return p;
  };
  let joined = false;
  for (const a of candidates) {
    let touchedCount = 0;
    let leaving = 0;
    for (let i = members.starts[a]!, last = members.starts[a + 1]!; i < last; i++) {
      const u = members.sellers[i]!;
      for (let k = starts[u]!, end = starts[u + 1]!; k < end; k++) {
        if (looseSlots[k] !== 1) continue;
        const v = neighbors[k]!;
        const part = partOf[v]!;
        if (part === a) continue;
        leaving++;
        if (labels[v] !== labels[u] || partSize[part]! < 2) continue;
        if (countByPart[part]!++ === 0) touched[touchedCount++] = part;
        if (reachedFrom[v] !== a) {
          reachedFrom[v] = a;
          reachedByPart[part]!++;
        }
      }
    }
    let best = -1;
    let bestCount = 0;
    for (let i = 0; i < touchedCount; i++) {
      const part = touched[i]!;
      const count = countByPart[part]!;
      const reached = reachedByPart[part]!;
      countByPart[part] = 0;
      reachedByPart[part] = 0;
      if (reached < 2) continue;
      if (count > bestCount || (count === bestCount && best !== -1 && part < best)) [best, bestCount] = [part, count];
    }
    // More loose ties into that ring than A has sellers, and most of A's loose ties: a photo that
    // three ring members and four other stores use is the ring's no more than theirs.
    if (best === -1 || bestCount <= partSize[a]! || bestCount <= leaving - bestCount) continue;
    joins[root(a)] = root(best);
    joined = true;
  }
  if (!joined) return { parts, attached: 0, sellers: [] };
  const label = new Int32Array(n);
  const sellers: number[] = [];
  for (let u = 0; u < n; u++) {
    label[u] = root(partOf[u]!);
    if (label[u] !== partOf[u]) sellers.push(u);
  }
  return { parts: renumber(label), attached: sellers.length, sellers };
}

/** The sellers of each part, grouped: part p's are sellers[starts[p] .. starts[p + 1]). */
function membersOfParts(partOf: Int32Array, count: number, partSize: Int32Array): { starts: Int32Array; sellers: Int32Array } {
  const starts = new Int32Array(count + 1);
  for (let p = 0; p < count; p++) starts[p + 1] = starts[p]! + partSize[p]!;
  const fill = starts.slice(0, count);
  const sellers = new Int32Array(partOf.length);
  for (let u = 0; u < partOf.length; u++) sellers[fill[partOf[u]!]!++] = u;
  return { starts, sellers };
}

/**
 * Bridges again, in the rings that stores joined by their loose ties (attachByLooseTies), with
 * those stores' loose links to their ring counted as ties. The first pass saw the ring without them
 * and may have spared a mule for a side too small: a three-store ring whose third store shares
 * only a photo with one and a carrier account with another is two stores there, below
 * bridgeMinSide, and the mule to the ring beside it stayed (classic 200k market, seed 2: all three
 * bridged pairs found joined; bench/RESULTS.md, "Adversarial markets").
 */
function cutBridgesOfGrownRings(csr: Csr, parts: Components, attachedSellers: readonly number[], minSide: number, looseSlots: Uint8Array): { parts: Components; cut: number } {
  const ignored = looseSlots.slice();
  const grown = new Uint8Array(parts.count);
  for (const u of attachedSellers) {
    const part = parts.label[u]!;
    grown[part] = 1;
    for (let k = csr.starts[u]!, end = csr.starts[u + 1]!; k < end; k++) {
      const v = csr.neighbors[k]!;
      if (parts.label[v] !== part || ignored[k] !== 1) continue;
      ignored[k] = 0;
      // The same link as seen from the other end.
      for (let j = csr.starts[v]!, last = csr.starts[v + 1]!; j < last; j++) if (csr.neighbors[j] === u) ignored[j] = 0;
    }
  }
  return cutRingBridges(csr, parts, minSide, ignored, grown);
}

/** Components from a labelling with gaps (labels below the node count): numbered 0.. in order of their first node. */
function renumber(label: Int32Array): Components {
  const n = label.length;
  const next = new Int32Array(n).fill(-1);
  const first = new Int32Array(n);
  const out = new Int32Array(n);
  let count = 0;
  for (let u = 0; u < n; u++) {
    let c = next[label[u]!]!;
    if (c === -1) {
      c = count++;
      next[label[u]!] = c;
      first[c] = u;
    }
    out[u] = c;
  }
  return { count, label: out, first: first.slice(0, count) };
}
