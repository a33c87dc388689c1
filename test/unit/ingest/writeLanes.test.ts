import { describe, expect, it } from 'vitest';
import { WriteLanes } from '../../../src/ingest/writeLanes.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WriteLanes', () => {
  it('writes every item once, each key in arrival order, in batches', async () => {
    const written: string[][] = [];
    const lanes = new WriteLanes<string, string[]>({
      lanes: 2,
      depth: 3,
      batchSize: 2,
      prepare: async (items) => items,
      write: async (batch) => {
        await tick();
        written.push(batch);
      },
    });
    const keys = ['s1', 's2', 's3', 's4'];
    for (let i = 0; i < 20; i++) await lanes.add(keys[i % 4]!, `${keys[i % 4]}:${i}`);
    await lanes.close();
    const all = written.flat();
    expect(all.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `${keys[i % 4]}:${i}`).sort());
    expect(written.every((batch) => batch.length <= 2)).toBe(true);
    for (const key of keys) {
      const order = written.flat().filter((item) => item.startsWith(`${key}:`));
      expect(order).toEqual([...order].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])));
    }
  });

  it('keeps at most depth batches of a lane in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const lanes = new WriteLanes<number, number[]>({
      lanes: 1,
      depth: 2,
      batchSize: 1,
      prepare: async (items) => {
        most = Math.max(most, ++inFlight);
        return items;
      },
      write: async () => {
        await tick();
        inFlight--;
      },
    });
    for (let i = 0; i < 10; i++) await lanes.add('k', i);
    await lanes.close();
    expect(most).toBe(2);
  });

  it('throws the first failure at the next add or at close, skips the writes behind it, and leaves nothing running', async () => {
    const written: number[] = [];
    let running = 0;
    const lanes = new WriteLanes<number, number[]>({
      lanes: 1,
      depth: 2,
      batchSize: 1,
      prepare: async (items) => items,
      write: async ([n]) => {
        running++;
        await tick();
        running--;
        if (n === 1) throw new Error('deadlock');
        written.push(n!);
      },
    });
    let thrown: unknown;
    try {
      for (let i = 0; i < 10; i++) await lanes.add('k', i);
      await lanes.close();
    } catch (error) {
      thrown = error;
    } finally {
      await lanes.settled();
    }
    expect((thrown as Error).message).toBe('deadlock');
    expect(written).toEqual([0]);
    expect(running).toBe(0);
  });

  it('reports a failed preparation the same way', async () => {
    const lanes = new WriteLanes<number, number[]>({
      lanes: 2,
      depth: 3,
      batchSize: 5,
      prepare: async () => {
        throw new Error('cannot prepare');
      },
      write: async () => {},
    });
    await lanes.add('k', 1);
    await expect(lanes.close()).rejects.toThrow('cannot prepare');
  });
});
