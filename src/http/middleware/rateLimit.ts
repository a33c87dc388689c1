import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { ProblemError } from '../problem.ts';

export interface TokenBucketOptions {
  /** Requests that may arrive at once. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
  /** Milliseconds now (injected so that tests control time). */
  now: () => number;
  /** Buckets kept before full ones are forgotten (a full bucket is the same as no bucket). */
  maxBuckets?: number;
}

/**
 * In-memory token buckets, one per key: each request takes a token, tokens come back at a steady
 * rate up to `burst`. One process only; several instances behind a balancer each limit on their own.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly options: TokenBucketOptions) {}

  /** Takes a token for `key`; when there is none, says how many seconds until there is. */
  take(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const { burst, perSecond } = this.options;
    const now = this.options.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > (this.options.maxBuckets ?? 10_000)) this.forgetFull(now);
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  }

  private forgetFull(now: number): void {
    const { burst, perSecond } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}

export interface RateLimitOptions extends TokenBucketOptions {
  /** Which bucket a request draws from (the API key it claims, else the client address). */
  keyOf: (c: Context<AppEnv>) => string;
}

/** Refuses a request with 429 (and Retry-After) when its key's bucket is empty. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = new TokenBuckets(options);
  return async (c, next) => {
    const result = buckets.take(options.keyOf(c));
    if (!result.allowed) {
      throw new ProblemError(429, 'rate-limited', 'Too many requests', `slow down: try again in ${result.retryAfterSeconds} s`, {}, { 'retry-after': String(result.retryAfterSeconds) });
    }
    c.header('ratelimit-remaining', String(result.remaining));
    await next();
  };
}
