import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../../src/ingest/memo.ts';
import { phoneKey } from '../../../src/ingest/graphRows.ts';

describe('BoundedMemo', () => {
  it('computes a key once and returns the remembered value after', () => {
    const memo = new BoundedMemo<number>(10);
    let calls = 0;
    const compute = () => ++calls;
    expect(memo.get('a', compute)).toBe(1);
    expect(memo.get('a', compute)).toBe(1);
    expect(calls).toBe(1);
  });

  it('never holds more than its limit: when full it starts afresh', () => {
    const memo = new BoundedMemo<string>(3);
    for (let i = 0; i < 10; i++) memo.get(`k${i}`, () => `v${i}`);
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.get('k9', () => 'recomputed')).toBe('v9'); // the most recent survives
  });
});

describe('phoneKey through the memo', () => {
  it('reads the same raw phone differently for sellers of different countries', () => {
    expect(phoneKey('138 0013 8000', 'CN').phoneKey).toBe('+8613800138000');
    expect(phoneKey('138 0013 8000', 'CN').phoneKey).toBe('+8613800138000');
    expect(phoneKey('020 7946 0958', 'GB').phoneKey).toBe('+442079460958');
    expect(phoneKey('020 7946 0958', undefined).phoneKey).toBe('digits:02079460958');
  });
});
