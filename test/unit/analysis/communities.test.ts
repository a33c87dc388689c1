import graphology from 'graphology';
import { describe, expect, it } from 'vitest';
import { COMMUNITY_DEFAULTS, detectCommunities } from '../../../src/analysis/communities.ts';
import { collectRings, splitIntoConnectedParts } from '../../../src/analysis/communities/components.ts';
import { csrFromProjection } from '../../../src/analysis/communities/csr.ts';
import { rehomeStrandedSellers } from '../../../src/analysis/communities/rehome.ts';
import { louvain } from '../../../src/analysis/communities/louvain.ts';
import { hubRingTouches } from '../../../src/analysis/hubRingTouches.ts';
import { IDENTIFIER_KINDS, KIND_BITS, type IdentifierKind } from '../../../src/vocabulary.ts';
import { projectSellerGraph, type EdgeArrays, type IdentifierGroup } from '../../../src/analysis/projection.ts';
import { createRng } from '../../../src/analysis/rng.ts';
import { RingwatchError } from '../../../src/errors.ts';
import { sellerGraphOf } from '../../support/sellerGraph.ts';

/** Every link ties: the steps before loose ties, for tests about Louvain and its refinement as such. */
const EVERY_LINK_TIES = { tieKinds: IDENTIFIER_KINDS };

const group = (kind: IdentifierKind, key: string, ...sellerIds: string[]): IdentifierGroup => ({ kind, key, sellerIds });
/** A tight little ring: every member shares one payment account, one sender phone and one return address. */
const strongRing = (name: string, ...members: string[]): IdentifierGroup[] => [
  group('paymentAccount', `${name}-acct`, ...members),
  group('phone', `${name}-phone`, ...members),
  group('address', `${name}-addr`, ...members),
];

describe('detectCommunities', () => {
  it('keeps two strong triangles joined by one weak edge (a copied photo) apart', () => {
    const p = projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3'), ...strongRing('b', 'b1', 'b2', 'b3'), group('imageHash', 'photo', 'a3', 'b1')]);
    const d = detectCommunities(p);
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
      group('paymentAccount', 'pa', ...a),
      group('phone', 'pha', ...a),
      group('paymentAccount', 'pb', ...b),
      group('phone', 'phb', ...b),
      group('paymentAccount', 'mule', 'a6', 'b1'),
    ]);
    expect(detectCommunities(p).communities).toEqual([a, b]);
  });

  it('cuts a mule account between two payment-only triangles that Louvain alone would merge', () => {
    const groups = [group('paymentAccount', 'pa', 'a1', 'a2', 'a3'), group('paymentAccount', 'pb', 'b1', 'b2', 'b3'), group('paymentAccount', 'mule', 'a3', 'b1')];
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
    const hanging = projectSellerGraph([group('paymentAccount', 'pa', 'a1', 'a2', 'a3', 'a4'), group('phone', 'ph', 'a4', 'a5')]);
    expect(detectCommunities(hanging).communities).toEqual([['a1', 'a2', 'a3', 'a4', 'a5']]);
    // Two halves joined by two different members' links: no bridge, nothing to cut.
    const twice = projectSellerGraph([
      group('paymentAccount', 'pa', 'a1', 'a2', 'a3'),
      group('paymentAccount', 'pb', 'b1', 'b2', 'b3'),
      group('phone', 'x', 'a3', 'b1'),
      group('address', 'y', 'a1', 'b3'),
    ]);
    const d = detectCommunities(twice);
    expect(d.bridgesCut).toBe(0);
    expect(d.communities).toEqual([['a1', 'a2', 'a3', 'b1', 'b2', 'b3']]);
  });

  it('separates payment-only triangles joined by a photo at a higher resolution, and says which γ Louvain got', () => {
    const p = projectSellerGraph([group('paymentAccount', 'pa', 'a1', 'a2', 'a3'), group('paymentAccount', 'pb', 'b1', 'b2', 'b3'), group('imageHash', 'photo', 'a3', 'b1')]);
    const d = detectCommunities(p, { resolution: 0.02 });
    expect(d.communities).toHaveLength(2);
    const m = p.edgeArrays.weight.reduce((sum, w) => sum + w, 0);
    expect(d.totalWeight).toBeCloseTo(m, 12);
    expect(d.louvainResolution).toBeCloseTo(0.02 * 2 * m, 12);
    expect(detectCommunities(p, { resolution: 1.5, resolutionUnit: 'louvain' }).louvainResolution).toBe(1.5);
  });

  it('does not cut one ring whose members share overlapping subsets of identifiers', () => {
    // s1–s4 share one account, s3–s6 another, s5–s8 a third; s1 and s8 never share anything directly.
    const p = projectSellerGraph([
      group('paymentAccount', 'p1', 's1', 's2', 's3', 's4'),
      group('paymentAccount', 'p2', 's3', 's4', 's5', 's6'),
      group('paymentAccount', 'p3', 's5', 's6', 's7', 's8'),
    ]);
    expect(detectCommunities(p).communities).toEqual([['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']]);
  });

  it('does not cut a ring linked as a chain of different identifier kinds', () => {
    const p = projectSellerGraph([
      group('paymentAccount', 'p', 's1', 's2', 's3'),
      group('phone', 'ph', 's3', 's4', 's5'),
      group('address', 'ad', 's5', 's6', 's7'),
      group('carrierAccount', 'c', 's7', 's8', 's1'),
      group('imageHash', 'i', 's7', 's8'),
    ]);
    expect(detectCommunities(p).communities).toEqual([['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']]);
  });

  it('does not cut a chain ring, each store tied only to the next, but still cuts a mule account between two rings', () => {
    // s1–s2 share an account, s2–s3 a phone, … : every link is a bridge with paths on both sides.
    const chain = Array.from({ length: 9 }, (_, i) => group(i % 2 ? 'phone' : 'paymentAccount', `link-${i}`, `c${i + 1}`, `c${i + 2}`));
    expect(detectCommunities(projectSellerGraph(chain)).communities).toEqual([['c1', 'c10', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']]);
    const mule = [...strongRing('a', 'a1', 'a2', 'a3', 'a4'), ...strongRing('b', 'b1', 'b2', 'b3'), group('paymentAccount', 'mule', 'a1', 'b1')];
    const d = detectCommunities(projectSellerGraph(mule));
    expect(d.communities).toEqual([['a1', 'a2', 'a3', 'a4'], ['b1', 'b2', 'b3']]);
  });

  it('cuts a mule between a ring and a small ring whose own links form a tree', () => {
    // b1–b2 share an account, b2–b3 a phone: no cycle on b's side; the mule touches a's cycle.
    const tree = [group('paymentAccount', 'pb', 'b1', 'b2'), group('phone', 'phb', 'b2', 'b3')];
    const d = detectCommunities(projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3', 'a4'), ...tree, group('paymentAccount', 'mule', 'a1', 'b1')]));
    expect(d.communities).toEqual([['a1', 'a2', 'a3', 'a4'], ['b1', 'b2', 'b3']]);
    expect(d.bridgesCut).toBe(1);
  });

  it('cuts a mule to a three-store ring whose third store its loose ties alone bring in', () => {
    // b1–b2 share an account; b3 shares only a photo with b1 and only a carrier account with b2, so
    // the tie split sees b's ring as two stores (below bridgeMinSide) until b3 is put back.
    const small = [group('paymentAccount', 'pb', 'b1', 'b2'), group('imageHash', 'photo', 'b1', 'b3'), group('carrierAccount', 'carrier', 'b2', 'b3')];
    const d = detectCommunities(projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3'), ...small, group('paymentAccount', 'mule', 'a1', 'b1')]));
    expect(d.communities).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3']]);
    expect(d.attachedByLooseTies).toBe(1);
    expect(d.bridgesCut).toBe(1);
  });

  it('cuts a mule between two three-store rings whose tie links are paths closed by a loose link, but not a chain whose photos reach across', () => {
    // The classic 200k market's seed 3 pair: a2 is tied to a1 (phone + photo) and a3 (account +
    // photo), a1 and a3 share only a photo; b1–b2 share everything, b2–b3 a carrier account and a
    // photo, b1 and b3 only the carrier account; a mule account joins a2 and b1. In tie links alone
    // the six are a tree, no side with a cycle; the loose links close one on each side.
    const a = [group('phone', 'pa', 'a1', 'a2'), group('imageHash', 'ia', 'a1', 'a2', 'a3'), group('paymentAccount', 'aa', 'a2', 'a3')];
    const b = [...strongRing('b', 'b1', 'b2'), group('carrierAccount', 'cb', 'b1', 'b2', 'b3'), group('imageHash', 'ib', 'b2', 'b3')];
    const d = detectCommunities(projectSellerGraph([...a, ...b, group('paymentAccount', 'mule', 'a2', 'b1')]));
    expect(d.communities).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3']]);
    expect(d.bridgesCut).toBe(1);

    // A chain of six, tied store to store, whose photos close a triangle at each end and one more
    // photo joins c2 and c5 across the middle link: the loose links say nothing splits it there.
    const chain = Array.from({ length: 5 }, (_, i) => group(i % 2 ? 'phone' : 'paymentAccount', `link-${i}`, `c${i + 1}`, `c${i + 2}`));
    const photos = [group('imageHash', 'front', 'c1', 'c3'), group('imageHash', 'back', 'c4', 'c6')];
    const cutChain = detectCommunities(projectSellerGraph([...chain, ...photos]));
    expect(cutChain.communities).toEqual([['c1', 'c2', 'c3'], ['c4', 'c5', 'c6']]);
    const whole = detectCommunities(projectSellerGraph([...chain, ...photos, group('imageHash', 'across', 'c2', 'c5')]));
    expect(whole.communities).toEqual([['c1', 'c2', 'c3', 'c4', 'c5', 'c6']]);
    expect(whole.bridgesCut).toBe(0);
  });

  it('cuts a chain ring off the ring it hangs from, and leaves the chain whole', () => {
    const chain = Array.from({ length: 5 }, (_, i) => group(i % 2 ? 'phone' : 'paymentAccount', `link-${i}`, `c${i + 1}`, `c${i + 2}`));
    const d = detectCommunities(projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3', 'a4'), ...chain, group('paymentAccount', 'mule', 'a1', 'c1')]));
    expect(d.communities).toEqual([['c1', 'c2', 'c3', 'c4', 'c5', 'c6'], ['a1', 'a2', 'a3', 'a4']]);
    expect(d.bridgesCut).toBe(1);
  });

  describe('loose ties (only photos, only a carrier account, only an origin)', () => {
    // A ring of four (one account, one phone) whose members s1 and s2 copied honest stores' photos
    // (h1, h2) and ship on an honest store's carrier account (h3); h1–h3 share nothing else.
    const camouflaged = [
      group('paymentAccount', 'acct', 's1', 's2', 's3'),
      group('phone', 'ph', 's3', 's4'),
      group('imageHash', 'photo-1', 's1', 'h1'),
      group('imageHash', 'photo-2', 's1', 'h2'),
      group('carrierAccount', 'carrier', 's2', 'h3'),
    ];

    it('does not carry honest stores into a ring', () => {
      const d = detectCommunities(projectSellerGraph(camouflaged));
      expect(d.communities).toEqual([['s1', 's2', 's3', 's4']]);
      expect(d.singletons).toBe(3);
      expect(d.looseLinksInCommunities).toBe(3);
      expect(d.attachedByLooseTies).toBe(0);
    });

    it('ties a store through two kinds of loose identifier, or through one that names an operator', () => {
      const corroborated = [...camouflaged, group('carrierAccount', 'carrier-2', 's1', 'h1'), group('address', 'addr', 's2', 'h2')];
      expect(detectCommunities(projectSellerGraph(corroborated)).communities).toEqual([['h1', 'h2', 's1', 's2', 's3', 's4']]);
    });

    it('moves a chain store that Louvain put among strangers back to its ties, so the split does not cut the chain at it', () => {
      // c1–c2–…–c9, each store tied only to the next; c5 also uses photos that p1–p3 use, and
      // Louvain (as it can in a large market) put c5 in p1–p3's community.
      const chain = Array.from({ length: 8 }, (_, i) => group(i % 2 ? 'phone' : 'paymentAccount', `link-${i}`, `c${i + 1}`, `c${i + 2}`));
      const photos = [1, 2].map((i) => group('imageHash', `stock-${i}`, 'c5', 'p1', 'p2', 'p3'));
      const csr = csrFromProjection(projectSellerGraph([...chain, ...photos]));
      const index = (id: string) => csr.nodes.indexOf(id);
      // Louvain could then not join c1–c4 and c6–c9, which no link joins: two communities.
      const labels = Int32Array.from(csr.nodes, (id) => (id.startsWith('p') || id === 'c5' ? 1 : Number(id.slice(1)) < 5 ? 0 : 2));
      const looseSlots = Uint8Array.from(csr.kinds, (mask) => (mask === KIND_BITS.imageHash ? 1 : 0));
      const penalty = COMMUNITY_DEFAULTS.resolution;
      expect(rehomeStrandedSellers(csr, labels, looseSlots, penalty)).toBe(1);
      const chainLabels = new Set(Array.from({ length: 9 }, (_, i) => labels[index(`c${i + 1}`)]));
      expect(chainLabels).toEqual(new Set([0]));
      // The strangers have no ties anywhere and stay; nor does a store tied at home move.
      expect(['p1', 'p2', 'p3'].map((id) => labels[index(id)])).toEqual([1, 1, 1]);
      expect(rehomeStrandedSellers(csr, labels, looseSlots, penalty)).toBe(0);
      expect(splitIntoConnectedParts(csr, labels, looseSlots).parts.count).toBe(4);
      // A penalty so high that Louvain's test fails: c5 joins one half, the halves stay apart.
      const apart = Int32Array.from(csr.nodes, (id) => (id.startsWith('p') || id === 'c5' ? 1 : Number(id.slice(1)) < 5 ? 0 : 2));
      rehomeStrandedSellers(csr, apart, looseSlots, 1e6);
      expect(new Set(Array.from({ length: 9 }, (_, i) => apart[index(`c${i + 1}`)])).size).toBe(2);
    });

    it('puts back a store whose loose ties reach two or more members of one ring: the ring\'s own carrier account', () => {
      const d = detectCommunities(projectSellerGraph([...camouflaged, group('carrierAccount', 'ring-carrier', 's3', 's4', 's5')]));
      expect(d.communities).toEqual([['s1', 's2', 's3', 's4', 's5']]);
      expect(d.attachedByLooseTies).toBe(1);
    });

    it('puts back a ring\'s half that only photos and carrier accounts tie to the other half, but not an honest pair two members copied from', () => {
      // The classic 200k market's seed 2 ring of five: r1–r2 share an account and a phone, r3–r5 an
      // address; between the halves only photos (r2 with r3–r5) and a carrier account (r1, r3, r4).
      const halves = [
        group('paymentAccount', 'acct', 'r1', 'r2'),
        group('phone', 'ph', 'r1', 'r2'),
        group('address', 'addr', 'r3', 'r4', 'r5'),
        group('imageHash', 'photo', 'r2', 'r3', 'r4', 'r5'),
        group('carrierAccount', 'carrier', 'r1', 'r3', 'r4'),
      ];
      const d = detectCommunities(projectSellerGraph(halves));
      expect(d.communities).toEqual([['r1', 'r2', 'r3', 'r4', 'r5']]);
      // The pair, too small to be a ring of its own, joined the three.
      expect(d.attachedByLooseTies).toBe(2);
      // Two rings of three whose members copy each other's photos stay two rings.
      const twoRings = [...strongRing('a', 'a1', 'a2', 'a3'), ...strongRing('b', 'b1', 'b2', 'b3'), group('imageHash', 'p1', 'a1', 'b1', 'b2'), group('imageHash', 'p2', 'a2', 'b2', 'b3')];
      expect(detectCommunities(projectSellerGraph(twoRings), { resolution: 1e-9 }).communities).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3']]);

      // An honest owner's two stores (one account between them) whose photos two members of the
      // camouflaged ring copied, one each: two loose ties for two stores, not more; they stay out.
      const copied = [...camouflaged, group('paymentAccount', 'owner', 'o1', 'o2'), group('imageHash', 'o-photo-1', 's1', 'o1'), group('imageHash', 'o-photo-2', 's3', 'o2')];
      const c = detectCommunities(projectSellerGraph(copied));
      expect(c.communities).toContainEqual(['s1', 's2', 's3', 's4']);
      expect(c.communities).toContainEqual(['o1', 'o2']);
      expect(c.attachedByLooseTies).toBe(0);
    });

    it('does not put back stores that share a photo with ring members as much as with each other', () => {
      // photo-x: three members and four other stores; each other store reaches 3 members and 3 non-members.
      const d = detectCommunities(projectSellerGraph([...camouflaged, group('imageHash', 'photo-x', 's1', 's2', 's3', 'x1', 'x2', 'x3', 'x4')]));
      expect(d.communities).toEqual([['s1', 's2', 's3', 's4']]);
    });

    it('lets two rings joined only by a copied photo come apart', () => {
      const d = detectCommunities(projectSellerGraph([...strongRing('a', 'a1', 'a2', 'a3'), ...strongRing('b', 'b1', 'b2'), group('imageHash', 'shared-photo', 'a1', 'b1')]));
      expect(d.communities).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2']]);
    });

    it('are ordinary links when every kind ties (tieKinds: all kinds)', () => {
      expect(detectCommunities(projectSellerGraph(camouflaged), EVERY_LINK_TIES).communities).toEqual([['h1', 'h2', 'h3', 's1', 's2', 's3', 's4']]);
      expect(() => detectCommunities(projectSellerGraph(camouflaged), { tieKinds: ['paymentAccount', 'email' as never] })).toThrow(/tieKinds/);
    });
  });

  it('lets a hub star glue nothing together: the hub is reported, no giant community forms', () => {
    const everyone = Array.from({ length: 160 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const p = projectSellerGraph([
      group('origin', 'fulfilment-centre', ...everyone),
      ...strongRing('r1', 's00', 's01', 's02'),
      ...strongRing('r2', 's40', 's41', 's42', 's43'),
    ]);
    expect(p.hubs.map((h) => h.key)).toEqual(['fulfilment-centre']);
    const d = detectCommunities(p);
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
    const d1 = detectCommunities(p1, { seed: 5 });
    const d2 = detectCommunities(p2, { seed: 5 });
    const d3 = detectCommunities(p1, { seed: 5 });
    expect(d1.communities.length).toBeGreaterThan(10);
    expect(d2.communities).toEqual(d1.communities);
    expect(d3.communities).toEqual(d1.communities);
    expect(d2.modularity).toBe(d1.modularity);
    expect(d1.options).toEqual({ ...COMMUNITY_DEFAULTS, seed: 5 });
  });

  it('gives the same result as graphology Louvain on the seller-keyed graph of the linked sellers', () => {
    // Louvain runs on a graph keyed by node index without the unlinked sellers (communities/louvain.ts);
    // it must visit what it would visit on the seller graph itself.
    const p = projectSellerGraph(randomMarket(500, 21), { sellerIds: ['alone'] });
    const fromProjection = detectCommunities(p, { seed: 3, refine: false, bridgeMinSide: 0, ...EVERY_LINK_TIES });
    const graph = sellerGraphOf(p, { linkedOnly: true });
    const fromGraph = louvain.detailed(graph, { getEdgeWeight: 'weight', resolution: fromProjection.louvainResolution, rng: createRng(3) });
    const members = new Map<number, string[]>();
    for (const [sellerId, c] of Object.entries(fromGraph.communities)) members.set(c, [...(members.get(c) ?? []), sellerId]);
    const rings = [...members.values()].filter((ring) => ring.length > 1).map((ring) => ring.sort());
    rings.sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
    expect(fromProjection.disconnectedCommunities).toBe(0);
    expect(fromProjection.communities).toEqual(rings);
    expect(fromProjection.singletons).toBe(p.sellerIds.length - rings.flat().length);
    expect(fromProjection.objective).toBeCloseTo(fromGraph.modularity, 12);
    expect(fromProjection.totalWeight).toBeCloseTo(graph.reduceEdges((sum, _e, a) => sum + a.weight, 0), 9);
  });

  it('counts isolated sellers as singletons and returns no ring for a graph without edges', () => {
    const p = projectSellerGraph([group('phone', 'x', 'a'), group('phone', 'y', 'b')]);
    const d = detectCommunities(p);
    expect(d).toMatchObject({ communities: [], singletons: 2, modularity: 0, components: 0, levels: 0 });
  });

  it('refines Louvain by single-seller moves that never lower the objective Louvain maximised', () => {
    let moved = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const p = projectSellerGraph(randomMarket(800, 100 + seed));
      const plain = detectCommunities(p, { seed, bridgeMinSide: 0, refine: false, ...EVERY_LINK_TIES });
      const refined = detectCommunities(p, { seed, bridgeMinSide: 0, ...EVERY_LINK_TIES });
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
    const d = detectCommunities(p, { bridgeMinSide: 0, ...EVERY_LINK_TIES });
    expect(d.levels).toBeGreaterThan(0);
    expect(d.moves).toHaveLength(d.levels);
    expect(d.louvainCommunities).toBeGreaterThanOrEqual(d.communities.length);
    for (const t of Object.values(d.timings)) expect(t).toBeGreaterThanOrEqual(0);
  });

  it('rejects input and options it cannot use', () => {
    const directed = new graphology.DirectedGraph();
    directed.mergeEdge('a', 'b', { weight: 1 });
    expect(() => detectCommunities(directed as never)).toThrow(/seller projection/);
    const edges = (weight: number, source = 0, target = 1): EdgeArrays => ({
      count: 1,
      source: Int32Array.of(source),
      target: Int32Array.of(target),
      weight: Float64Array.of(weight),
      kinds: Uint8Array.of(1),
    });
    expect(() => detectCommunities({ sellerIds: ['a', 'b'], edgeArrays: edges(0) })).toThrow(/weight/);
    expect(() => detectCommunities({ sellerIds: ['a', 'b'], edgeArrays: edges(Number.NaN) })).toThrow(/weight/);
    expect(() => detectCommunities({ sellerIds: ['a', 'b'], edgeArrays: edges(1, 1, 1) })).toThrow(/two different sellers/);
    expect(() => detectCommunities({ sellerIds: ['a', 'b'], edgeArrays: edges(1, 0, 2) })).toThrow(RingwatchError);
    const p = projectSellerGraph([group('phone', 'x', 'a', 'b')]);
    expect(() => detectCommunities(p, { resolution: 0 })).toThrow(RingwatchError);
    expect(() => detectCommunities(p, { seed: 1.5 })).toThrow(/seed/);
  });
});

describe('splitIntoConnectedParts', () => {
  it('splits a community that is not connected into its connected parts', () => {
    // a–b, c–d–e; f alone. Community 0: a, b, c, d, f (three parts); community 1: e.
    const p = projectSellerGraph([group('phone', 'ab', 'a', 'b'), group('phone', 'cd', 'c', 'd'), group('phone', 'de', 'd', 'e')], { sellerIds: ['f'] });
    const csr = csrFromProjection(p);
    const communityOf: Record<string, number> = { a: 0, b: 0, c: 0, d: 0, e: 1, f: 0 };
    const labels = Int32Array.from(p.sellerIds, (id) => communityOf[id]!);
    const { parts, disconnectedCommunities } = splitIntoConnectedParts(csr, labels);
    const split = collectRings(csr, parts);
    expect(split.communities).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(split.singletons).toBe(2);
    expect(disconnectedCommunities).toBe(1);
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
    groups.push(group('paymentAccount', `p${next}`, ...members.filter(() => rng() < 0.8)));
    groups.push(group('phone', `ph${next}`, ...members.filter(() => rng() < 0.8)));
  }
  for (let i = 0; i < sellers / 10; i++) {
    groups.push(group('imageHash', `img${i}`, `s${Math.floor(rng() * sellers)}`, `s${Math.floor(rng() * sellers)}`));
  }
  return groups;
}
