/**
 * Sampling helpers over one seeded stream (`createRng`), so a generated market is a pure function
 * of its seed. Every draw comes from `next`; nothing here reads a clock or Math.random.
 */
import { createRng } from '../../analysis/rng.ts';

/** Sampling over one seeded stream. */
export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = createRng(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An index drawn with probability proportional to `weights[i]`. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** A standard normal draw (Box–Muller; uses two draws). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A count ≥ min with a long right tail and mean ≈ mean (a shifted geometric). */
  count(min: number, mean: number, max: number): number {
    const extra = Math.floor(-Math.log(1 - this.next()) * (mean - min));
    return Math.min(max, min + extra);
  }

  /** `k` decimal digits. */
  digits(k: number): string {
    let s = '';
    for (let i = 0; i < k; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * A bijection of [0, m): serial s ↦ (s·a + b) mod m with a coprime to m. It turns a counter into
 * scattered but never repeated values, which is how every honest seller gets phone numbers,
 * accounts and addresses of its own without keeping a set of the ones already used.
 * Exact while s·a < 2^53: callers keep m < 2^29 and s < 2^24.
 */
export class Scatter {
  private readonly a: number;

  constructor(
    readonly m: number,
    private readonly b: number,
  ) {
    let a = Math.floor(m * 0.6180339887) | 1;
    while (gcd(a, m) !== 1) a += 2;
    this.a = a % m === 0 ? 1 : a;
  }

  at(serial: number): number {
    return (serial * this.a + this.b) % this.m;
  }
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** A bijective 32-bit mix (murmur3's finaliser): distinct inputs give distinct outputs. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Eight lower-case hex digits of a 32-bit value. */
export function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}
