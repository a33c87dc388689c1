import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { problems } from '../problems.ts';

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
    const { perSecond } = this.options;
    const now = this.options.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > (this.options.maxBuckets ?? 10_000)) this.forgetFull(now);
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  }

  /** Puts back a token taken for a request that turned out to be some other bucket's to pay. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.options.burst, bucket.tokens + 1);
  }

  private refilled(key: string, now: number): { tokens: number; at: number } {
    const { burst, perSecond } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    // A clock set back (NTP, a test) must not drain a bucket: time only ever adds tokens.
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }

  private forgetFull(now: number): void {
    const { burst, perSecond } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}

/**
 * What a request owes the limiter once its key is known: `bearerAuth` calls `settle` with the
 * verified key id, which hands the address's token back and charges the key instead.
 */
export interface RateLimitBudget {
  settle(keyId: string): void;
}

export type RateLimitOptions = TokenBucketOptions;

/**
 * Two limits, so that nobody spends a budget that is not theirs: every request first takes a
 * token from its client address's bucket (429 when empty), which is what a request with no token,
 * a forged token or a random key id pays, before any database lookup; once `bearerAuth` has
 * checked the token's secret, the address gets its token back and the verified key pays instead.
 * The key id a token merely claims never picks a bucket: 70 forged tokens naming a brand's key
 * drain their sender's address, not the brand.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const byAddress = new TokenBuckets(options);
  const byKey = new TokenBuckets(options);
  return async (c, next) => {
    const address = `addr:${clientAddress(c)}`;
    const result = byAddress.take(address);
    if (!result.allowed) throw problems.rateLimited(result.retryAfterSeconds);
    c.header('ratelimit-remaining', String(result.remaining));
    c.set('rateLimit', {
      settle(keyId) {
        byAddress.giveBack(address);
        const charged = byKey.take(`key:${keyId}`);
        if (!charged.allowed) throw problems.rateLimited(charged.retryAfterSeconds);
        c.header('ratelimit-remaining', String(charged.remaining));
      },
    });
    await next();
  };
}

/** The peer address of the connection (not a forwarded-for header, which the client writes). */
function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
