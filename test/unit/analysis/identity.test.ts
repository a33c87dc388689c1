import { describe, expect, it } from 'vitest';
import { matchRingsToPrevious } from '../../../src/analysis/identity.ts';
import { RingwatchError } from '../../../src/errors.ts';

/** Ids R-new-1, R-new-2, … in the order asked for. */
function idMaker(): () => string {
  let n = 0;
  return () => `R-new-${++n}`;
}

describe('matchRingsToPrevious', () => {
  it('keeps the id of a ring whose membership mostly persists', () => {
    const result = matchRingsToPrevious([{ ringId: 'R1', sellerIds: ['a', 'b', 'c', 'd'] }], [['a', 'b', 'c', 'e']], { newId: idMaker() });
    expect(result.assignments).toEqual([{ ringId: 'R1', sellerIds: ['a', 'b', 'c', 'e'], previousRingId: 'R1', jaccard: 3 / 5 }]);
    expect(result.events).toEqual([{ type: 'continued', ringId: 'R1', jaccard: 3 / 5 }]);
  });

  it('gives a new id to a ring that continues none, and dissolves a ring that is gone', () => {
    const result = matchRingsToPrevious(
      [
        { ringId: 'R1', sellerIds: ['a', 'b', 'c'] },
        { ringId: 'R2', sellerIds: ['x', 'y', 'z'] },
      ],
      [
        ['a', 'b', 'c'],
        ['m', 'n'],
        ['x', 'p', 'q', 'r'],
      ],
      { newId: idMaker() },
    );
    expect(result.assignments.map((a) => a.ringId)).toEqual(['R1', 'R-new-1', 'R-new-2']);
    expect(result.events).toEqual([
      { type: 'continued', ringId: 'R1', jaccard: 1 },
      { type: 'new', ringId: 'R-new-1' },
      { type: 'new', ringId: 'R-new-2' },
      { type: 'dissolved', ringId: 'R2', sellersStillInRings: 1 },
    ]);
  });

  it('does not continue an id below the Jaccard threshold', () => {
    const result = matchRingsToPrevious([{ ringId: 'R1', sellerIds: ['a', 'b', 'c', 'd'] }], [['a', 'b', 'x', 'y']], { newId: idMaker() });
    expect(result.assignments[0]!.ringId).toBe('R-new-1');
    expect(result.events.map((e) => e.type)).toEqual(['new', 'dissolved']);
  });

  it('reports a merge: the merged ring continues the best match and names both previous rings', () => {
    const result = matchRingsToPrevious(
      [
        { ringId: 'R2', sellerIds: ['e', 'f', 'g'] },
        { ringId: 'R1', sellerIds: ['a', 'b', 'c', 'd', 'e2'] },
      ],
      [['a', 'b', 'c', 'd', 'e2', 'e', 'f', 'g']],
      { newId: idMaker() },
    );
    expect(result.assignments[0]).toMatchObject({ ringId: 'R1', previousRingId: 'R1', jaccard: 5 / 8 });
    expect(result.events).toEqual([
      { type: 'continued', ringId: 'R1', jaccard: 5 / 8 },
      { type: 'merged', ringId: 'R1', from: ['R1', 'R2'] },
    ]);
  });

  it('breaks an exact Jaccard tie by previous ring id, deterministically', () => {
    const result = matchRingsToPrevious(
      [
        { ringId: 'RB', sellerIds: ['e', 'f', 'g', 'h'] },
        { ringId: 'RA', sellerIds: ['a', 'b', 'c', 'd'] },
      ],
      [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
      { newId: idMaker() },
    );
    expect(result.assignments[0]!.ringId).toBe('RA');
    expect(result.events).toContainEqual({ type: 'merged', ringId: 'RA', from: ['RA', 'RB'] });
    expect(result.events.some((e) => e.type === 'dissolved')).toBe(false);
  });

  it('reports a split: the larger part keeps the id, the other part is new', () => {
    const result = matchRingsToPrevious(
      [{ ringId: 'R1', sellerIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }],
      [
        ['e', 'f', 'g'],
        ['a', 'b', 'c', 'd'],
      ],
      { newId: idMaker() },
    );
    expect(result.assignments.map((a) => a.ringId)).toEqual(['R-new-1', 'R1']);
    expect(result.events).toEqual([
      { type: 'new', ringId: 'R-new-1' },
      { type: 'continued', ringId: 'R1', jaccard: 4 / 7 },
      { type: 'split', ringId: 'R1', into: ['R-new-1', 'R1'] },
    ]);
  });

  it('reports a split into parts none of which keeps the id, without calling it dissolved', () => {
    const result = matchRingsToPrevious(
      [{ ringId: 'R1', sellerIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }],
      [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
        ['g', 'h', 'i'],
      ],
      { newId: idMaker() },
    );
    expect(result.assignments.map((a) => a.ringId)).toEqual(['R-new-1', 'R-new-2', 'R-new-3']);
    expect(result.events.filter((e) => e.type !== 'new')).toEqual([{ type: 'split', ringId: 'R1', into: ['R-new-1', 'R-new-2', 'R-new-3'] }]);
  });

  it('does not call one seller moving between big rings a merge or a split', () => {
    const big1 = Array.from({ length: 10 }, (_, i) => `a${i}`);
    const big2 = Array.from({ length: 10 }, (_, i) => `b${i}`);
    const result = matchRingsToPrevious(
      [
        { ringId: 'R1', sellerIds: big1 },
        { ringId: 'R2', sellerIds: big2 },
      ],
      [big1.slice(1), [...big2, 'a0']],
      { newId: idMaker() },
    );
    expect(result.events.map((e) => e.type)).toEqual(['continued', 'continued']);
  });

  it('needs a newId function and a sensible threshold', () => {
    expect(() => matchRingsToPrevious([], [['a', 'b']], { newId: undefined as unknown as () => string })).toThrow(RingwatchError);
    expect(() => matchRingsToPrevious([], [['a', 'b']], { newId: idMaker(), threshold: 0 })).toThrow(/threshold/);
  });
});
