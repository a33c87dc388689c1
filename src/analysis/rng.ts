/**
 * Seeded pseudo-random numbers for reproducible runs (Louvain's random walk, generated markets).
 *
 * mulberry32 (Tommy Ettinger, public domain): 32 bits of state, one multiply-xorshift round per
 * draw, period 2^32. It passes the statistical tests that matter for shuffling visit orders and
 * sampling synthetic data; it is not for anything secret (use node:crypto for tokens and keys).
 */
import { RingwatchError } from '../errors.ts';

/**
 * Returns a function producing floats in [0, 1) determined entirely by `seed`: the same seed gives
 * the same sequence on every machine. Any finite number is accepted; it is reduced to 32 bits.
 */
export function createRng(seed: number): () => number {
  if (!Number.isFinite(seed)) {
    throw new RingwatchError('INPUT_INVALID', `rng seed must be a finite number, got ${String(seed)}`);
  }
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
