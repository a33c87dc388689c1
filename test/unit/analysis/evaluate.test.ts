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

  it('rejects a truth file without rings or honest groups', () => {
    expect(() => evaluateDetection([], { rings: [] } as unknown as EvaluatedTruth)).toThrow(RingwatchError);
  });
});
