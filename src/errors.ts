/**
 * The project's own errors. Every failure a user can act on is a `RingwatchError` with a stable
 * `code` a program can branch on and a one-line `message` a person can read; the CLI prints the
 * message and exits non-zero, the HTTP layer maps codes to problem+json statuses.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'NEO4J_UNAVAILABLE'
  | 'NEO4J_AUTH'
  | 'NEO4J_CLIENT'
  | 'NEO4J_START_FAILED'
  | 'NEO4J_NOT_FETCHED'
  | 'JAVA_MISSING'
  | 'CYPHER_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'NOT_FOUND'
  /** A write would break a uniqueness constraint of the graph. */
  | 'CONFLICT'
  | 'RING_NOT_FOUND'
  /** An Idempotency-Key already used with another request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** Ids given as members of a ring that are not; `details.notMembers` lists (the first 100 of) them. */
  | 'NOT_RING_MEMBERS'
  /** A ring a later detection run emptied (merged or split). */
  | 'RING_HAS_NO_MEMBERS'
  /** Every store a closure selects is closed already. */
  | 'ALREADY_CLOSED'
  /** Listings unknown or of another brand, `details.listingIds`, not saying which is which. */
  | 'LISTINGS_NOT_OF_BRAND'
  /** A read's audit event could not be committed, so the read is not answered. */
  | 'AUDIT_UNAVAILABLE';

export class RingwatchError extends Error {
  readonly code: ErrorCode;
  /** Facts a program can use beside the message (the ids that were refused); never personal data. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options);
    this.name = 'RingwatchError';
    this.code = code;
    this.details = options?.details ?? {};
  }
}

/** True when `error` is a RingwatchError with one of the given codes. */
export function isRingwatchError(error: unknown, ...codes: ErrorCode[]): error is RingwatchError {
  return error instanceof RingwatchError && (codes.length === 0 || codes.includes(error.code));
}
