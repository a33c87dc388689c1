import { describe, expect, it } from 'vitest';
import { evaluateDetection, type EvaluatedTruth, type FoundRing } from '../../../src/analysis/evaluate.ts';
import { RingwatchError } from '../../../src/errors.ts';

const truth: EvaluatedTruth = {
  rings: [
    { ring_id: 'R1', seller_ids: ['a1', 'a2', 'a3', 'a4'], bridged_with: null },
    { ring_id: 'R2', seller_ids: ['b1', 'b2', 'b3', 'b4'], bridged_with: 'R3' },
    { ring_id: 'R3', seller_ids: ['c1', 'c2', 'c3', 'c4'], bridged_with: 'R2' },
    { ring_id: 'R4', seller_ids: ['d1', 'd2', 'd3'], bridged_with: null },
  ],
  honest_groups: [
    { group_id: 'H1', kind: 'multi_store_owner', seller_ids: ['h1', 'h2'] },
    { group_id: 'H2', kind: 'multi_store_owner', seller_ids: ['h3', 'h4'] },
    { group_id: 'H3', kind: 'same_building', seller_ids: ['g1', 'g2', 'g3'] },
  ],
};

const found: FoundRing[] = [
  // 3 of R1's 4: Jaccard 0.75.
  { ringId: 'F1', sellerIds: ['a1', 'a2', 'a3'], flagged: true },
  // The bridged pair R2 + R3 found as one ring: Jaccard 0.5 with each, so it matches one of them only.
  { ringId: 'F2', sellerIds: ['b1', 'b2', 'b3', 'b4', 'c1', 'c2', 'c3', 'c4'], flagged: true },
  // An honest multi-store owner, flagged by mistake.
  { ringId: 'F3', sellerIds: ['h1', 'h2'], flagged: true },
  // R4 found but not flagged.
  { ringId: 'F4', sellerIds: ['d1', 'd2', 'd3'], flagged: false },
];

describe('evaluateDetection', () => {
  it('scores flagged rings against the planted truth', () => {
    const e = evaluateDetection(found, truth);
    expect(e).toMatchObject({
      foundRings: 3,
      plantedRings: 4,
      matchedRings: 2,
      foundSellers: 13,
      plantedSellers: 15,
      truePositiveSellers: 11,
      honestMultiStoreOwnersFlagged: 1,
      honestMultiStoreOwners: 2,
      honestSameBuildingFlagged: 0,
      honestSameBuildingGroups: 1,
      honestSellersFlagged: 2,
      bridgedPairs: 1,
      bridgedPairsSeparated: 0,
      bridgedSeparatedShare: 0,
    });
    expect(e.ringPrecision).toBeCloseTo(2 / 3, 12);
    expect(e.ringRecall).toBeCloseTo(2 / 4, 12);
    expect(e.ringF1).toBeCloseTo((2 * (2 / 3) * (1 / 2)) / (2 / 3 + 1 / 2), 12);
    expect(e.sellerPrecision).toBeCloseTo(11 / 13, 12);
    expect(e.sellerRecall).toBeCloseTo(11 / 15, 12);
    expect(e.matches).toEqual([
      { ringId: 'F1', plantedRingId: 'R1', jaccard: 0.75 },
      { ringId: 'F2', plantedRingId: 'R2', jaccard: 0.5 },
    ]);
  });

  it('evaluates every found ring when asked, flagged or not', () => {
    const e = evaluateDetection(found, truth, { flaggedOnly: false });
    expect(e.foundRings).toBe(4);
    expect(e.matchedRings).toBe(3);
    expect(e.ringPrecision).toBeCloseTo(3 / 4, 12);
    expect(e.ringRecall).toBeCloseTo(3 / 4, 12);
    expect(e.sellerRecall).toBeCloseTo(14 / 15, 12);
  });

  it('counts a bridged pair as separated when two different found rings match its two rings', () => {
    const separated: FoundRing[] = [
      { ringId: 'F5', sellerIds: ['b1', 'b2', 'b3', 'b4'], flagged: true },
      { ringId: 'F6', sellerIds: ['c1', 'c2', 'c3'], flagged: true },
    ];
    const e = evaluateDetection(separated, truth);
    expect(e).toMatchObject({ bridgedPairs: 1, bridgedPairsSeparated: 1, bridgedSeparatedShare: 1, matchedRings: 2 });
  });

  it('matches one-to-one: two found halves of one planted ring count once', () => {
    const halves: FoundRing[] = [
      { ringId: 'X', sellerIds: ['a1', 'a2'], flagged: true },
      { ringId: 'Y', sellerIds: ['a3', 'a4'], flagged: true },
    ];
    const e = evaluateDetection(halves, truth);
    expect(e.matchedRings).toBe(1);
    expect(e.ringPrecision).toBe(0.5);
  });

  it('reports zeros, not NaN, when nothing is found', () => {
    const e = evaluateDetection([], truth);
    expect(e).toMatchObject({ ringPrecision: 0, ringRecall: 0, ringF1: 0, sellerPrecision: 0, sellerRecall: 0, foundRings: 0 });
  });

  it('reads rings without a kind as classic, and reports the honest kinds in their order', () => {
    const e = evaluateDetection(found, truth);
    expect(e.ringKinds).toEqual([{ kind: 'classic', planted: 4, flagged: 2, asCommunity: 3, flaggedRecall: 0.5, communityRecall: 0.75 }]);
    expect(e.honestGroupKinds).toEqual([
      { kind: 'multi_store_owner', groups: 2, flagged: 1, touched: 1 },
      { kind: 'same_building', groups: 1, flagged: 0, touched: 0 },
    ]);
  });

  describe('per kind', () => {
    const kinds: EvaluatedTruth = {
      rings: [
        { ring_id: 'C1', kind: 'chain', seller_ids: ['c1', 'c2', 'c3', 'c4', 'c5'], bridged_with: null },
        { ring_id: 'C2', kind: 'chain', seller_ids: ['k1', 'k2', 'k3', 'k4', 'k5'], bridged_with: null },
        { ring_id: 'S1', kind: 'super_fake', seller_ids: ['s1', 's2', 's3'], bridged_with: null },
        { ring_id: 'S2', kind: 'super_fake', seller_ids: ['t1', 't2', 't3'], bridged_with: null },
        { ring_id: 'M1', kind: 'camouflaged', seller_ids: ['m1', 'm2', 'm3', 'm4'], bridged_with: null },
        { ring_id: 'X1', kind: 'classic', seller_ids: ['x1', 'x2'], bridged_with: null },
      ],
      honest_groups: [
        { group_id: 'F1', kind: 'family', seller_ids: ['f1', 'f2'] },
        { group_id: 'F2', kind: 'family', seller_ids: ['g1', 'g2', 'g3'] },
        { group_id: 'F3', kind: 'family', seller_ids: ['e1', 'e2'] },
        { group_id: 'O1', kind: 'outlet', seller_ids: ['o1', 'o2', 'o3'] },
        { group_id: 'N1', kind: 'franchise', seller_ids: ['n1', 'n2', 'n3', 'n4'] },
      ],
    };
    const rings: FoundRing[] = [
      // C1 whole and flagged; C2 found as a community only (3 of 5: Jaccard 0.6), not flagged.
      { ringId: 'A', sellerIds: ['c1', 'c2', 'c3', 'c4', 'c5'], flagged: true },
      { ringId: 'B', sellerIds: ['k1', 'k2', 'k3'], flagged: false },
      // S1 and S2 found as communities, neither flagged.
      { ringId: 'C', sellerIds: ['s1', 's2', 's3'], flagged: false },
      { ringId: 'D', sellerIds: ['t1', 't2', 't3'], flagged: false },
      // M1 drowned in a mixed community with honest stores (Jaccard 4/9 < 0.5), flagged; it also
      // holds both stores of family F1 and one store of family F2.
      { ringId: 'E', sellerIds: ['m1', 'm2', 'm3', 'm4', 'f1', 'f2', 'g1', 'h8', 'h9'], flagged: true },
      // The outlet as a ring of its own, not flagged; X1 in a flagged ring with three franchise stores (Jaccard 0.4).
      { ringId: 'F', sellerIds: ['o1', 'o2', 'o3'], flagged: false },
      { ringId: 'G', sellerIds: ['x1', 'x2', 'n1', 'n2', 'n3'], flagged: true },
    ];

    it('reports recall per ring kind, flagged and as a community, in RING_KINDS order', () => {
      const e = evaluateDetection(rings, kinds);
      expect(e.ringKinds).toEqual([
        { kind: 'classic', planted: 1, flagged: 0, asCommunity: 0, flaggedRecall: 0, communityRecall: 0 },
        { kind: 'chain', planted: 2, flagged: 1, asCommunity: 2, flaggedRecall: 0.5, communityRecall: 1 },
        { kind: 'camouflaged', planted: 1, flagged: 0, asCommunity: 0, flaggedRecall: 0, communityRecall: 0 },
        { kind: 'super_fake', planted: 2, flagged: 0, asCommunity: 2, flaggedRecall: 0, communityRecall: 1 },
      ]);
      // --all-rings changes the headline numbers, not the per-kind ones.
      expect(evaluateDetection(rings, kinds, { flaggedOnly: false }).ringKinds).toEqual(e.ringKinds);
    });

    it('counts an honest group as flagged when one flagged ring holds two or more of its stores, touched when any does', () => {
      const e = evaluateDetection(rings, kinds);
      expect(e.honestGroupKinds).toEqual([
        { kind: 'franchise', groups: 1, flagged: 1, touched: 1 },
        { kind: 'outlet', groups: 1, flagged: 0, touched: 0 },
        { kind: 'family', groups: 3, flagged: 1, touched: 2 },
      ]);
    });

    it('counts two stores of a group in two different flagged rings as touched, not flagged', () => {
      const split: FoundRing[] = [
        { ringId: 'P', sellerIds: ['f1', 'c1', 'c2'], flagged: true },
        { ringId: 'Q', sellerIds: ['f2', 'k1', 'k2'], flagged: true },
      ];
      const family = evaluateDetection(split, kinds).honestGroupKinds.find((g) => g.kind === 'family');
      expect(family).toEqual({ kind: 'family', groups: 3, flagged: 0, touched: 1 });
    });
  });

  it('rejects a truth file without rings or honest groups', () => {
    expect(() => evaluateDetection([], { rings: [] } as unknown as EvaluatedTruth)).toThrow(RingwatchError);
  });
});
