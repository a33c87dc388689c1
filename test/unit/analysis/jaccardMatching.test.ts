import { describe, expect, it } from 'vitest';
import { matchByJaccard } from '../../../src/analysis/jaccardMatching.ts';

const sets = (...groups: string[][]) => groups.map((members) => new Set(members));

describe('matchByJaccard', () => {
  it('matches each source to the target it overlaps most, one-to-one, from the threshold up', () => {
    const targets = sets(['a', 'b', 'c', 'd'], ['e', 'f', 'g'], ['x', 'y']);
    const sources = sets(['a', 'b', 'c'], ['e', 'f', 'g', 'h'], ['x', 'z', 'w']);
    const m = matchByJaccard(targets, sources, { threshold: 0.5 });
    expect(m.matches).toEqual([
      { target: 0, source: 0, common: 3, jaccard: 0.75 },
      { target: 1, source: 1, common: 3, jaccard: 0.75 },
    ]);
    expect([...m.targetOfSource]).toEqual([0, 1, -1]); // {x, z, w} vs {x, y}: 1/4, below 0.5
    expect([...m.sourceOfTarget]).toEqual([0, 1, -1]);
    expect(m.overlaps).toHaveLength(3);
  });

  it('gives a target to one source only: the higher Jaccard first, then more common members', () => {
    // One target found as two halves (Jaccard 0.5 each): the earlier source wins the tie.
    const halves = matchByJaccard(sets(['a', 'b', 'c', 'd']), sets(['a', 'b'], ['c', 'd']), { threshold: 0.5 });
    expect(halves.matches).toEqual([{ target: 0, source: 0, common: 2, jaccard: 0.5 }]);
    // A bigger source with the same Jaccard shares more members and goes first.
    const sizes = matchByJaccard(sets(['a', 'b', 'c', 'd', 'e', 'f'], ['p', 'q']), sets(['a', 'b', 'c', 'p']), { threshold: 0.25 });
    expect(sizes.matches).toEqual([{ target: 0, source: 0, common: 3, jaccard: 3 / 7 }]);
  });

  it('breaks ties between targets with compareTargets, by index otherwise', () => {
    const targets = sets(['a', 'b'], ['c', 'd']);
    const sources = sets(['a', 'b', 'c', 'd']);
    expect(matchByJaccard(targets, sources, { threshold: 0.5 }).matches[0]!.target).toBe(0);
    expect(matchByJaccard(targets, sources, { threshold: 0.5, compareTargets: (a, b) => b - a }).matches[0]!.target).toBe(1);
  });

  it('counts a member listed in two targets for the first only', () => {
    const m = matchByJaccard(sets(['a', 'b'], ['b', 'c']), sets(['b', 'c']), { threshold: 0.1 });
    // b counts for target 0, so target 1 shares only c: 1 / (2 + 2 − 1).
    expect(m.overlaps).toEqual([
      { target: 0, source: 0, common: 1, jaccard: 1 / 3 },
      { target: 1, source: 0, common: 1, jaccard: 1 / 3 },
    ]);
    expect(m.matches).toEqual([{ target: 0, source: 0, common: 1, jaccard: 1 / 3 }]);
  });
});
