import { canonicalJson, sha256Hex } from '../canonical.ts';
import { RingwatchError } from '../errors.ts';

/**
 * Idempotency-Keys of actions that must happen once (closures, referrals; docs/api.md,
 * "Idempotency"): a key is unique per API key, and a repeat must carry the same request.
 */

/** Where an Idempotency-Key is unique: among the requests of the API key that sent it. */
export function idempotencyScope(keyId: string, idempotencyKey: string): string {
  return `${keyId}:${idempotencyKey}`;
}

/** Tells a repeat of a request from another request under the same Idempotency-Key. */
export function requestHashOf(request: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(request));
}

/** The refusal of an Idempotency-Key used before with another request body. */
export function idempotencyKeyReused(): RingwatchError {
  return new RingwatchError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request body; use a new key for a new request');
}
