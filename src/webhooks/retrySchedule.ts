/**
 * When a failed delivery is tried again (docs/live.md, "Webhooks"): exponential backoff from
 * `baseMs` (5 s by default, so the first retry comes within 10 s), doubling, each wait at most an
 * hour, each drawn between half and all of its value so that receivers coming back from an outage
 * are not hit by every dispatcher at once; a last attempt at the 24-hour mark, then the delivery
 * fails for good. With the defaults that is about 30 attempts.
 */

/** Retries stop this long after the first attempt. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
/** The longest wait between two attempts. */
export const MAX_RETRY_INTERVAL_MS = 60 * 60 * 1000;

/** The wait after failed attempt number `attempt` (1 for the first). */
export function retryDelayMs(attempt: number, baseMs: number, rng: () => number): number {
  const full = Math.min(MAX_RETRY_INTERVAL_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full * (0.5 + 0.5 * rng()));
}

export type AfterFailure = { status: 'failed' } | { status: 'pending'; nextAttemptAt: Date };

/** What follows failed attempt `attempt` at `now`: another at a later time, or none (after a day). */
export function afterFailure(attempt: number, firstAttemptAt: Date, now: Date, options: { baseMs: number; giveUpAfterMs?: number; rng: () => number }): AfterFailure {
  const deadline = firstAttemptAt.getTime() + (options.giveUpAfterMs ?? GIVE_UP_AFTER_MS);
  if (now.getTime() >= deadline) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(Math.min(now.getTime() + retryDelayMs(attempt, options.baseMs, options.rng), deadline)) };
}
