import { describe, expect, it } from 'vitest';
import { findRegion, type RegionSource, type RegionStepRow } from '../../../src/analysis/region.ts';
import type { StoredRing } from '../../../src/analysis/storedRing.ts';
import type { IdentifierKind } from '../../../src/vocabulary.ts';

/**
 * A hand-drawn marketplace, answered the way the Neo4j store answers (cypher/detect/region_step.cypher):
 *
 *   ring R1 = {A, B, C}: account a1 (A, B), phone p1 (B, C); C also on photo h1 with the honest X.
 *   ring R2 = {D, E}: account a2 (D, E).
 *   N (new) reuses a1.  Y (honest) shares photo h2 with X only.  W is on hub H with A and 200 others.
 */
const links: Record<string, { kind: IdentifierKind; sellers: string[]; hub?: boolean; size?: number }> = {
  a1: { kind: 'paymentAccount', sellers: ['A', 'B', 'N'] },
  p1: { kind: 'phone', sellers: ['B', 'C'] },
  h1: { kind: 'imageHash', sellers: ['C', 'X'] },
  h2: { kind: 'imageHash', sellers: ['X', 'Y'] },
  a2: { kind: 'paymentAccount', sellers: ['D', 'E'] },
  H: { kind: 'origin', sellers: ['A', 'W'], hub: true, size: 202 },
};
const rings: StoredRing[] = [
  { ringId: 'R1', sellerIds: ['A', 'B', 'C'], status: 'open', riskScore: 80, flagged: true, factors: '[]', brands: [], closures: 0 },
  { ringId: 'R2', sellerIds: ['D', 'E'], status: 'open', riskScore: 80, flagged: true, factors: '[]', brands: [], closures: 0 },
];

function source(): RegionSource & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async regionStep(sellerIds, seen) {
      asked.push([...sellerIds]);
      const rows: RegionStepRow[] = [];
      for (const [key, link] of Object.entries(links)) {
        if (seen.includes(`${link.kind}|${key}`) || !link.sellers.some((id) => sellerIds.includes(id))) continue;
        const sellers = link.hub ? link.sellers.filter((id) => sellerIds.includes(id)) : link.sellers;
        rows.push({ kind: link.kind, key, sellerCount: link.size ?? link.sellers.length, sellerIds: sellers, markedHub: link.hub === true });
      }
      return rows;
    },
    async ringsOf(sellerIds) {
      return rings.filter((r) => r.sellerIds.some((id) => sellerIds.includes(id)));
    },
  };
}

describe('findRegion', () => {
  it('takes the changed sellers, everyone on their identifiers, and those sellers\' rings whole', async () => {
    const region = await findRegion(source(), ['N'], 100);
    expect(region.sellerIds.sort()).toEqual(['A', 'B', 'C', 'N']);
    expect(region.affected).toBe(3); // N, and A and B on the account N reuses
    expect(region.previous.map((r) => r.ringId)).toEqual(['R1']);
  });

  it('gives every pair inside the region with its identifier\'s full size, and no seller outside it', async () => {
    const region = await findRegion(source(), ['N'], 100);
    const byKey = Object.fromEntries(region.groups.map((g) => [g.key, g]));
    expect(byKey.a1).toEqual({ kind: 'paymentAccount', key: 'a1', sellerIds: ['A', 'B', 'N'], sellerCount: 3 });
    expect(byKey.p1).toMatchObject({ sellerIds: ['B', 'C'], sellerCount: 2 });
    // C's photo is shared with X, outside: C's side is kept with the photo's size, so its weight is the whole market's.
    expect(byKey.h1).toMatchObject({ sellerIds: ['C'], sellerCount: 2 });
    expect(byKey.h2).toBeUndefined();
    // The hub comes with its region sellers and its size, for the rings it touches; it is never crossed to W.
    expect(byKey.H).toMatchObject({ kind: 'origin', sellerIds: ['A'], sellerCount: 202 });
  });

  it('leaves an untouched ring alone, and finds nothing to do without changes', async () => {
    expect((await findRegion(source(), ['N'], 100)).sellerIds).not.toContain('D');
    const empty = source();
    expect(await findRegion(empty, [], 100)).toMatchObject({ sellerIds: [], groups: [], previous: [] });
    expect(empty.asked).toEqual([]);
  });
});
