import type { Db } from '../graph/db.ts';
import { RingwatchError } from '../errors.ts';
import { claimedKeyId, hashToken, verifyApiToken } from './apiKeys.ts';
import type { Principal } from './principal.ts';
import { readRevocationWatermark, revocationCountInThisProcess } from './revocations.ts';

/**
 * Verified API keys kept briefly in memory, so that a request's key check needs no database round
 * trip (docs/api.md, "Keys and roles"). Only a key whose secret was checked against its stored
 * hash is kept, under the SHA-256 of the whole token: a token with a wrong secret never matches an
 * entry and goes to the database, so the rate limiter (which a verified key id picks) is never
 * chosen by an unverified token. A revocation is seen at once in the process that made it and
 * within `REVOCATION_STALE_MS` in any other (revocations.ts): an entry is answered only while the
 * watermark was read less than that long ago, and under traffic it is read again in the background
 * every `REVOCATION_CHECK_MS`, off the requests' path.
 */

/** Verifies a bearer token: the principal it stands for, or null. */
export interface KeyVerifier {
  verify(token: string, requestId: string): Promise<Principal | null>;
}

export interface KeyCacheOptions {
  /** How long a verified key is answered from memory before it is looked up again; 0 turns the cache off. */
  ttlMs: number;
  /** Keys kept at most; the oldest go first (one per client key: a few hundred in practice). */
  maxEntries: number;
  /** Monotonic milliseconds (injected so that tests control time). */
  now: () => number;
}

/** 30 s: a key's role and scope never change, and revocation does not wait for it. */
export const KEY_CACHE_DEFAULTS: KeyCacheOptions = { ttlMs: 30_000, maxEntries: 10_000, now: () => performance.now() };

/** Under traffic the watermark is read in the background once this old. */
export const REVOCATION_CHECK_MS = 500;
/** A cached key is answered only while the watermark read is younger than this: the bound on seeing a revocation made elsewhere. */
export const REVOCATION_STALE_MS = 1_000;

export class CachedKeyVerifier implements KeyVerifier {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();
  /** Moves whenever the entries are dropped: a lookup that began before must not put its answer back. */
  private generation = 0;
  private localRevocationsSeen = revocationCountInThisProcess();
  private watermark: number | null = null;
  /** When the latest completed watermark read began (what it saw is at least that recent). */
  private watermarkReadAt = Number.NEGATIVE_INFINITY;
  private watermarkRead: Promise<void> | null = null;
  private readonly options: KeyCacheOptions;

  constructor(
    private readonly db: Db,
    options: Partial<KeyCacheOptions> = {},
  ) {
    this.options = { ...KEY_CACHE_DEFAULTS, ...options };
    if (!(this.options.ttlMs >= 0)) throw new RingwatchError('CONFIG_INVALID', 'the key cache TTL must be 0 or more milliseconds');
  }

  async verify(token: string, requestId: string): Promise<Principal | null> {
    // A malformed token costs neither a lookup nor a watermark read.
    if (this.options.ttlMs === 0 || claimedKeyId(token) === null) return verifyApiToken(this.db, token, requestId);
    await this.keepRevocationsCurrent(requestId);
    const cacheKey = hashToken(token).toString('hex');
    const now = this.options.now();
    const cached = this.entries.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.principal;
    if (cached) this.entries.delete(cacheKey);
    const generation = this.generation;
    const principal = await verifyApiToken(this.db, token, requestId);
    if (principal && generation === this.generation) this.remember(cacheKey, principal, now + this.options.ttlMs);
    return principal;
  }

  private remember(cacheKey: string, principal: Principal, expiresAt: number): void {
    this.entries.delete(cacheKey);
    this.entries.set(cacheKey, { principal, expiresAt });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private forgetAll(): void {
    this.entries.clear();
    this.generation += 1;
  }

  /**
   * Drops every entry when this process revoked a key since the last request, or when the
   * watermark moved. Waits for a watermark read only when the last one is too old to trust
   * (after a second without requests); otherwise starts one in the background when due.
   */
  private async keepRevocationsCurrent(requestId: string): Promise<void> {
    const local = revocationCountInThisProcess();
    if (local !== this.localRevocationsSeen) {
      this.localRevocationsSeen = local;
      this.forgetAll();
    }
    const age = this.options.now() - this.watermarkReadAt;
    if (age >= REVOCATION_STALE_MS) {
      await this.readWatermark(requestId);
    } else if (age >= REVOCATION_CHECK_MS) {
      // A failure here is retried by the next request; once the read is a second old, requests wait for it (and fail with it).
      this.readWatermark(requestId).catch(() => undefined);
    }
  }

  /** One watermark read at a time, shared by every request that wants it. */
  private readWatermark(requestId: string): Promise<void> {
    this.watermarkRead ??= (async () => {
      const startedAt = this.options.now();
      try {
        const watermark = await readRevocationWatermark(this.db, requestId);
        if (watermark !== this.watermark) {
          this.watermark = watermark;
          this.forgetAll();
        }
        this.watermarkReadAt = Math.max(this.watermarkReadAt, startedAt);
      } finally {
        this.watermarkRead = null;
      }
    })();
    return this.watermarkRead;
  }
}
