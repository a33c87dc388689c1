/**
 * The hash table the projection sums seller pairs in (see PairAccumulator), and the counting sort
 * that hands its edges over in (source, target) order.
 */
import { RingwatchError } from '../errors.ts';
import type { EdgeArrays } from './projection.ts';

/**
 * Sums pair weights keyed by (u, v), u < v, in an open-addressing hash table with linear probing.
 * A Map keyed by packed pairs would box every key (and V8 Maps stop at 2^24 entries); this keeps
 * 17 bytes per pair in parallel typed arrays plus a 4-byte slot table at most half full.
 */
export class PairAccumulator {
  count = 0;
  source = new Int32Array(1024);
  target = new Int32Array(1024);
  weight = new Float64Array(1024);
  kinds = new Uint8Array(1024);
  private slots = new Int32Array(2048); // edge index + 1; 0 = empty
  private mask = 2047;

  add(u: number, v: number, w: number, bit: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let h = hashPair(u, v) & mask;
    for (;;) {
      const slot = slots[h]!;
      if (slot === 0) break;
      const e = slot - 1;
      if (this.source[e] === u && this.target[e] === v) {
        this.weight[e]! += w;
        this.kinds[e]! |= bit;
        return;
      }
      h = (h + 1) & mask;
    }
    const e = this.count++;
    if (e === this.source.length) this.growEdges();
    this.source[e] = u;
    this.target[e] = v;
    this.weight[e] = w;
    this.kinds[e] = bit;
    slots[h] = e + 1;
    if (this.count * 2 > slots.length) this.growSlots();
  }

  /**
   * The edges sorted by (source, target), in trimmed arrays; the accumulator is emptied. Sorted
   * order makes the output independent of hash-table layout and roughly halves the time graphology
   * takes to insert them (each node's adjacency is written in one run instead of all over memory).
   */
  take(nodeCount: number): EdgeArrays {
    const n = this.count;
    // Two stable counting-sort passes (by target, then by source): O(edges + nodes).
    const byTarget = countingOrder(this.target, n, nodeCount, null);
    const order = countingOrder(this.source, n, nodeCount, byTarget);
    const out: EdgeArrays = {
      count: n,
      source: new Int32Array(n),
      target: new Int32Array(n),
      weight: new Float64Array(n),
      kinds: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const e = order[i]!;
      out.source[i] = this.source[e]!;
      out.target[i] = this.target[e]!;
      out.weight[i] = this.weight[e]!;
      out.kinds[i] = this.kinds[e]!;
    }
    this.source = new Int32Array(0);
    this.target = new Int32Array(0);
    this.weight = new Float64Array(0);
    this.kinds = new Uint8Array(0);
    this.slots = new Int32Array(0);
    return out;
  }

  private growEdges(): void {
    const size = this.source.length * 2;
    this.source = growInt32(this.source, size);
    this.target = growInt32(this.target, size);
    const weight = new Float64Array(size);
    weight.set(this.weight);
    this.weight = weight;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }

  private growSlots(): void {
    const size = this.slots.length * 2;
    if (size > 2 ** 31) {
      throw new RingwatchError('INPUT_INVALID', 'projection: more than 2^30 seller pairs; project in the database (Neo4j GDS) instead');
    }
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let h = hashPair(this.source[e]!, this.target[e]!) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function hashPair(u: number, v: number): number {
  // murmur3-style finaliser over the two indices: spreads nearby indices across the table.
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(v + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable order of the first `n` positions (or of `within`, when given) by `keys[position]` ∈ [0, buckets). */
function countingOrder(keys: Int32Array, n: number, buckets: number, within: Int32Array | null): Int32Array {
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) starts[keys[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = within ? within[i]! : i;
    order[starts[keys[e]!]!++] = e;
  }
  return order;
}

function growInt32(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}
