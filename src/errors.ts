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
  | 'CONFLICT';

export class RingwatchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RingwatchError';
    this.code = code;
  }
}

/** True when `error` is a RingwatchError with one of the given codes. */
export function isRingwatchError(error: unknown, ...codes: ErrorCode[]): error is RingwatchError {
  return error instanceof RingwatchError && (codes.length === 0 || codes.includes(error.code));
}
