import graphology from 'graphology';
import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_DEFAULTS,
  detectCommunities,
  hubRingTouches,
  splitDisconnectedCommunities,
} from '../../../src/analysis/communities.ts';
import { projectSellerGraph, type IdentifierGroup, type IdentifierKind } from '../../../src/analysis/projection.ts';
import { createRng } from '../../../src/analysis/rng.ts';
import { RingwatchError } from '../../../src/errors.ts';

const group = (kind: IdentifierKind, key: string, ...sellerIds: string[]): IdentifierGroup => ({ kind, key, sellerIds });
/** A tight little ring: every member shares one payment account, one sender phone and one return address. */
const strongRing = (name: string, ...members: string[]): IdentifierGroup[] => [
  group('payment_account', `${name}-acct`, ...members),
  group('phone', `${name}-phone`, ...members),
  group('address', `${name}-addr`, ...members),
];

describe('detectCommunities', () => {
  it('keeps two strong triangles joined by one weak edge (a copied photo) apart', () => {
    const p = projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3'), ...strongRing('b', 'b1', 'b2', 'b3'), group('image_hash', 'photo', 'a3', 'b1')]);
    const d = detectCommunities(p.graph);
    expect(d.communities).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2', 'b3'],
    ]);
    expect(d.singletons).toBe(0);
    expect(d.modularity).toBeGreaterThan(0.4);
  });

  it('keeps two rings of six joined by one mule payment account apart', () => {
    const a = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const b = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    const p = projectSellerGraph([
      group('payment_account', 'pa', ...a),
      group('phone', 'pha', ...a),
      group('payment_account', 'pb', ...b),
      group('phone', 'phb', ...b),
      group('payment_account', 'mule', 'a6', 'b1'),
    ]);
    expect(detectCommunities(p.graph).communities).toEqual([a, b]);
  });

  it('cuts a mule account between two payment-only triangles that Louvain alone would merge', () => {
    const groups = [group('payment_account', 'pa', 'a1', 'a2', 'a3'), group('payment_account', 'pb', 'b1', 'b2', 'b3'), group('payment_account', 'mule', 'a3', 'b1')];
    const p = projectSellerGraph(groups);
    expect(detectCommunities(p, { bridgeMinSide: 0 }).communities).toEqual([['a1', 'a2', 'a3', 'b1', 'b2', 'b3']]);
    const d = detectCommunities(p);
    expect(d.communities).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2', 'b3'],
    ]);
    expect(d.bridgesCut).toBe(1);
  });

  it('leaves a store hanging on one link in its ring, and a ring held by two links whole', () => {
    const hanging = projectSellerGraph([group('payment_account', 'pa', 'a1', 'a2', 'a3', 'a4'), group('phone', 'ph', 'a4', 'a5')]);
    expect(detectCommunities(hanging).communities).toEqual([['a1', 'a2', 'a3', 'a4', 'a5']]);
    // Two halves joined by two different members' links: no bridge, nothing to cut.
    const twice = projectSellerGraph([
      group('payment_account', 'pa', 'a1', 'a2', 'a3'),
      group('payment_account', 'pb', 'b1', 'b2', 'b3'),
      group('phone', 'x', 'a3', 'b1'),
      group('address', 'y', 'a1', 'b3'),
    ]);
    const d = detectCommunities(twice);
    expect(d.bridgesCut).toBe(0);
    expect(d.communities).toEqual([['a1', 'a2', 'a3', 'b1', 'b2', 'b3']]);
  });

  it('separates payment-only triangles joined by a photo at a higher resolution, and says which γ Louvain got', () => {
    const p = projectSellerGraph([group('payment_account', 'pa', 'a1', 'a2', 'a3'), group('payment_account', 'pb', 'b1', 'b2', 'b3'), group('image_hash', 'photo', 'a3', 'b1')]);
    const d = detectCommunities(p.graph, { resolution: 0.02 });
    expect(d.communities).toHaveLength(2);
    const m = p.edgeArrays.weight.reduce((sum, w) => sum + w, 0);
    expect(d.totalWeight).toBeCloseTo(m, 12);
    expect(d.louvainResolution).toBeCloseTo(0.02 * 2 * m, 12);
    expect(detectCommunities(p.graph, { resolution: 1.5, resolutionUnit: 'louvain' }).louvainResolution).toBe(1.5);
  });

  it('does not cut one ring whose members share overlapping subsets of identifiers', () => {
    // s1–s4 share one account, s3–s6 another, s5–s8 a third; s1 and s8 never share anything directly.
    const p = projectSellerGraph([
      group('payment_account', 'p1', 's1', 's2', 's3', 's4'),
      group('payment_account', 'p2', 's3', 's4', 's5', 's6'),
      group('payment_account', 'p3', 's5', 's6', 's7', 's8'),
    ]);
    expect(detectCommunities(p.graph).communities).toEqual([['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']]);
  });

  it('does not cut a ring linked as a chain of different identifier kinds', () => {
    const p = projectSellerGraph([
      group('payment_account', 'p', 's1', 's2', 's3'),
      group('phone', 'ph', 's3', 's4', 's5'),
      group('address', 'ad', 's5', 's6', 's7'),
      group('carrier_account', 'c', 's7', 's8', 's1'),
    ]);
    expect(detectCommunities(p.graph).communities).toEqual([['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']]);
  });

  it('lets a hub star glue nothing together: the hub is reported, no giant community forms', () => {
    const everyone = Array.from({ length: 160 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const p = projectSellerGraph([
      group('origin', 'fulfilment-centre', ...everyone),
      ...strongRing('r1', 's00', 's01', 's02'),
      ...strongRing('r2', 's40', 's41', 's42', 's43'),
    ]);
    expect(p.hubs.map((h) => h.key)).toEqual(['fulfilment-centre']);
    const d = detectCommunities(p.graph);
    expect(d.communities).toEqual([
      ['s40', 's41', 's42', 's43'],
      ['s00', 's01', 's02'],
    ]);
    expect(d.singletons).toBe(153);
    const touches = hubRingTouches(p, d.communities);
    expect(touches).toEqual([{ kind: 'origin', key: 'fulfilment-centre', sellerCount: 160, rings: [0, 1], ringSellers: [4, 3], sellersInRings: 7 }]);
  });

  it('gives the same rings for the same seed', () => {
    const groups = randomMarket(600, 11);
    const p1 = projectSellerGraph(groups);
    const p2 = projectSellerGraph(groups);
    const d1 = detectCommunities(p1.graph, { seed: 5 });
    const d2 = detectCommunities(p2.graph, { seed: 5 });
    const d3 = detectCommunities(p1.graph, { seed: 5 });
    expect(d1.communities.length).toBeGreaterThan(10);
    expect(d2.communities).toEqual(d1.communities);
    expect(d3.communities).toEqual(d1.communities);
    expect(d2.modularity).toBe(d1.modularity);
    expect(d1.options).toEqual({ ...COMMUNITY_DEFAULTS, seed: 5 });
  });

  it('gives the same result from the projection as from its graph', () => {
    const p = projectSellerGraph(randomMarket(500, 21), { sellerIds: ['alone'] });
    const fromGraph = detectCommunities(p.graph, { seed: 3 });
    const fromProjection = detectCommunities(p, { seed: 3 });
    expect(fromProjection.communities).toEqual(fromGraph.communities);
    expect(fromProjection.singletons).toBe(fromGraph.singletons);
    expect(fromProjection.modularity).toBeCloseTo(fromGraph.modularity, 12);
    expect(fromProjection.totalWeight).toBeCloseTo(fromGraph.totalWeight, 9);
  });

  it('counts isolated sellers as singletons and returns no ring for a graph without edges', () => {
    const p = projectSellerGraph([group('phone', 'x', 'a'), group('phone', 'y', 'b')]);
    const d = detectCommunities(p.graph);
    expect(d).toMatchObject({ communities: [], singletons: 2, modularity: 0, components: 0, levels: 0 });
  });

  it('refines Louvain by single-seller moves that never lower the objective Louvain maximised', () => {
    let moved = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const p = projectSellerGraph(randomMarket(800, 100 + seed));
      const plain = detectCommunities(p, { seed, bridgeMinSide: 0, refine: false });
      const refined = detectCommunities(p, { seed, bridgeMinSide: 0 });
      expect(plain.refinedMoves).toBe(0);
      expect(refined.louvainResolution).toBe(plain.louvainResolution);
      expect(refined.objective).toBeGreaterThanOrEqual(plain.objective - 1e-12);
      if (refined.refinedMoves > 0) expect(refined.objective).toBeGreaterThan(plain.objective);
      moved += refined.refinedMoves;
    }
    expect(moved).toBeGreaterThan(0); // the refinement does something on these markets
  });

  it('reports the modularity at the γ Louvain used beside the Newman–Girvan one', () => {
    const p = projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3'), ...strongRing('b', 'b1', 'b2', 'b3')]);
    const d = detectCommunities(p, { resolution: 1, resolutionUnit: 'louvain' });
    expect(d.objective).toBeCloseTo(d.modularity, 12); // γ = 1: the same number
    const sharper = detectCommunities(p, { resolution: 2, resolutionUnit: 'louvain' });
    expect(sharper.communities).toEqual(d.communities);
    // Two equal rings: Σ (D_C / 2m)² = 2 · (1/2)² = 1/2, so the objective is 1 − γ/2.
    expect(sharper.objective).toBeCloseTo(0, 12);
    expect(d.modularity).toBeCloseTo(0.5, 12);
  });

  it('reports run statistics: levels, moves and timings', () => {
    const p = projectSellerGraph(randomMarket(300, 3));
    const d = detectCommunities(p.graph, { bridgeMinSide: 0 });
    expect(d.levels).toBeGreaterThan(0);
    expect(d.moves).toHaveLength(d.levels);
    expect(d.louvainCommunities).toBeGreaterThanOrEqual(d.communities.length);
    for (const t of Object.values(d.timings)) expect(t).toBeGreaterThanOrEqual(0);
  });

  it('rejects graphs and options it cannot use', () => {
    const directed = new graphology.DirectedGraph();
    directed.mergeEdge('a', 'b', { weight: 1 });
    expect(() => detectCommunities(directed)).toThrow(/undirected/);
    const unweighted = new graphology.UndirectedGraph();
    unweighted.mergeEdge('a', 'b');
    expect(() => detectCommunities(unweighted)).toThrow(/weight/);
    const p = projectSellerGraph([group('phone', 'x', 'a', 'b')]);
    expect(() => detectCommunities(p.graph, { resolution: 0 })).toThrow(RingwatchError);
    expect(() => detectCommunities(p.graph, { seed: 1.5 })).toThrow(/seed/);
  });
});

describe('splitDisconnectedCommunities', () => {
  it('splits a community that is not connected into its connected parts', () => {
    const graph = new graphology.UndirectedGraph();
    graph.mergeEdge('a', 'b', { weight: 1 });
    graph.mergeEdge('c', 'd', { weight: 1 });
    graph.mergeEdge('d', 'e', { weight: 1 });
    graph.addNode('f');
    const split = splitDisconnectedCommunities(graph, { a: 0, b: 0, c: 0, d: 0, e: 1, f: 0 });
    expect(split.communities).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(split.singletons).toBe(2);
    expect(split.disconnectedCommunities).toBe(1);
  });

  it('refuses a partition that leaves a node out', () => {
    const graph = new graphology.UndirectedGraph();
    graph.mergeEdge('a', 'b', { weight: 1 });
    expect(() => splitDisconnectedCommunities(graph, { a: 0 })).toThrow(/no integer community/);
  });
});

/** Small random market: rings of 3–8 sharing accounts and phones in subsets, plus random weak links. */
function randomMarket(sellers: number, seed: number): IdentifierGroup[] {
  const rng = createRng(seed);
  const groups: IdentifierGroup[] = [];
  let next = 0;
  while (next < sellers) {
    const size = 3 + Math.floor(rng() * 6);
    const members = Array.from({ length: size }, () => `s${next++}`);
    groups.push(group('payment_account', `p${next}`, ...members.filter(() => rng() < 0.8)));
    groups.push(group('phone', `ph${next}`, ...members.filter(() => rng() < 0.8)));
  }
  for (let i = 0; i < sellers / 10; i++) {
    groups.push(group('image_hash', `img${i}`, `s${Math.floor(rng() * sellers)}`, `s${Math.floor(rng() * sellers)}`));
  }
  return groups;
}
