import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, RingwatchError } from '../errors.ts';

/**
 * Every problem the API answers, built by name (`problems.ringNotFound(ringId)`): each kind's
 * status, `type` slug and title are written once here, and so is which RingwatchError code of the
 * domain modules becomes which problem. Slugs and titles are a public contract (docs/api.md,
 * "Errors"): programs branch on the slug, people read the title.
 */

/**
 * The one error type route code throws: an HTTP status, a stable type slug, a title that is the
 * same for every occurrence, a detail for this occurrence, and optional extra members (such as the
 * failing fields). Rendered as application/problem+json by `problemErrorHandler` alone.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** A failing field of the request, as problems list them in `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

interface ProblemKind {
  status: ContentfulStatusCode;
  type: string;
  title: string;
}

const KINDS = {
  malformedRequest: { status: 400, type: 'malformed-request', title: 'Malformed request' },
  duplicateKey: { status: 400, type: 'duplicate-key', title: 'Malformed request' },
  invalidRequest: { status: 400, type: 'invalid-request', title: 'Invalid request' },
  invalidCursor: { status: 400, type: 'invalid-cursor', title: 'Invalid cursor' },
  requestAborted: { status: 400, type: 'request-aborted', title: 'Request aborted' },
  unauthorized: { status: 401, type: 'unauthorized', title: 'Authentication required' },
  invalidApiKey: { status: 401, type: 'invalid-api-key', title: 'Invalid API key' },
  forbiddenRole: { status: 403, type: 'forbidden-role', title: 'Forbidden' },
  brandScope: { status: 403, type: 'brand-scope', title: 'Forbidden' },
  notFound: { status: 404, type: 'not-found', title: 'Not found' },
  ringNotFound: { status: 404, type: 'ring-not-found', title: 'Ring not found' },
  referralNotFound: { status: 404, type: 'referral-not-found', title: 'Referral not found' },
  methodNotAllowed: { status: 405, type: 'method-not-allowed', title: 'Method not allowed' },
  conflict: { status: 409, type: 'conflict', title: 'Conflict' },
  ringHasNoMembers: { status: 409, type: 'ring-has-no-members', title: 'Ring has no members' },
  alreadyClosed: { status: 409, type: 'already-closed', title: 'Already closed' },
  payloadTooLarge: { status: 413, type: 'payload-too-large', title: 'Request body too large' },
  unsupportedMediaType: { status: 415, type: 'unsupported-media-type', title: 'Unsupported media type' },
  inputInvalid: { status: 422, type: 'validation-failed', title: 'Invalid request' },
  bodyInvalid: { status: 422, type: 'validation-failed', title: 'Request body is invalid' },
  idempotencyKeyReused: { status: 422, type: 'idempotency-key-reused', title: 'Idempotency-Key reused' },
  notRingMembers: { status: 422, type: 'not-ring-members', title: 'Not members of the ring' },
  listingsNotOfBrand: { status: 422, type: 'listings-not-of-brand', title: 'Listings not of this brand' },
  rateLimited: { status: 429, type: 'rate-limited', title: 'Too many requests' },
  internalError: { status: 500, type: 'internal-error', title: 'Internal error' },
  packageUnavailable: { status: 500, type: 'package-unavailable', title: 'Package unavailable' },
  serviceUnavailable: { status: 503, type: 'service-unavailable', title: 'Service unavailable' },
  notReady: { status: 503, type: 'not-ready', title: 'Not ready' },
  viewerNotBuilt: { status: 503, type: 'viewer-not-built', title: 'Viewer not built' },
} as const satisfies Record<string, ProblemKind>;

function problem(kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): ProblemError {
  return new ProblemError(kind.status, kind.type, kind.title, detail, extra, headers);
}

/** Asks a client without a valid key to authenticate (RFC 6750). */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="ringwatch"' };
/** How long a client waits before asking a database that is away again. */
const RETRY_AFTER_DATABASE = { 'retry-after': '5' };
const fieldErrors = (field: string, message: string): { errors: FieldError[] } => ({ errors: [{ field, message }] });

export const problems = {
  malformedRequest: (detail = 'the request could not be read') => problem(KINDS.malformedRequest, detail),
  duplicateKey: (key: string) => problem(KINDS.duplicateKey, `the request body gives ${key} more than once; give every key once`, { field: key }),
  /** A path parameter, query or header that breaks its schema. */
  invalidRequest: (target: string, errors: FieldError[]) =>
    problem(KINDS.invalidRequest, `invalid ${target === 'param' ? 'path parameter' : target}: ${errors.map((e) => e.field).join(', ')}`, { errors }),
  invalidCursor: () => problem(KINDS.invalidCursor, 'cursor is not one this service gave out; start again without it', fieldErrors('query.cursor', 'malformed cursor')),
  requestAborted: () => problem(KINDS.requestAborted, 'the client closed the connection before its request body arrived'),
  /** No `Authorization: Bearer` header on a route that needs a key. */
  missingApiKey: () => problem(KINDS.unauthorized, 'send an API key as `Authorization: Bearer <token>`', {}, CHALLENGE),
  /** Hono's own 401. */
  unauthorized: () => problem(KINDS.unauthorized, 'send a valid API key as `Authorization: Bearer <token>`'),
  invalidApiKey: () => problem(KINDS.invalidApiKey, 'the API key is unknown, malformed or revoked', {}, CHALLENGE),
  forbiddenRole: (allowed: readonly string[], role: string) => problem(KINDS.forbiddenRole, `this route is for ${allowed.join(' or ')} keys; this key is a ${role} key`),
  /** A brand key asking about another brand; `detail` says what a brand key may do instead. */
  brandScope: (detail: string) => problem(KINDS.brandScope, detail),
  notFound: (detail: string) => problem(KINDS.notFound, detail),
  noSuchRoute: () => problem(KINDS.notFound, 'no such route; see /openapi.json for the routes this service has'),
  ringNotFound: (ringId: string) => problem(KINDS.ringNotFound, `there is no ring ${ringId}`),
  referralNotFound: (referralId: string) => problem(KINDS.referralNotFound, `there is no referral ${referralId} for this key`),
  methodNotAllowed: (method: string, allow: string) => problem(KINDS.methodNotAllowed, `${method} is not served here; this path answers ${allow}`, {}, { allow }),
  conflict: (detail: string) => problem(KINDS.conflict, detail),
  payloadTooLarge: (maxBytes?: number) =>
    problem(KINDS.payloadTooLarge, maxBytes === undefined ? 'the request body is larger than this service accepts' : `the request body is over ${maxBytes} bytes`),
  unsupportedMediaType: (detail = 'send the request body as application/json') => problem(KINDS.unsupportedMediaType, detail),
  inputInvalid: (detail: string) => problem(KINDS.inputInvalid, detail),
  bodyInvalid: (errors: FieldError[]) => problem(KINDS.bodyInvalid, `the request body breaks the schema at: ${errors.map((e) => e.field).join(', ')}`, { errors }),
  rateLimited: (retryAfterSeconds: number) =>
    problem(KINDS.rateLimited, `slow down: try again in ${retryAfterSeconds} s`, {}, { 'retry-after': String(retryAfterSeconds) }),
  internalError: () => problem(KINDS.internalError, 'the service failed to answer; quote the request id to its operator'),
  packageUnavailable: () => problem(KINDS.packageUnavailable, 'the stored package is missing or damaged; the operator has been told'),
  serviceUnavailable: (detail = 'the database is not reachable; try again later') => problem(KINDS.serviceUnavailable, detail, {}, RETRY_AFTER_DATABASE),
  notReady: () => problem(KINDS.notReady, 'Neo4j does not answer', {}, RETRY_AFTER_DATABASE),
  viewerNotBuilt: () => problem(KINDS.viewerNotBuilt, 'the ring viewer has not been built here: run npm run build'),
  /** Any other status Hono raised itself. */
  httpError: (status: ContentfulStatusCode, message: string) => new ProblemError(status, 'http-error', message || 'HTTP error', message || 'the request was refused'),
};

/**
 * The problem each RingwatchError code of the domain modules is answered with; its message is the
 * detail. A code not listed is the service's own fault: a 500 that shows nothing of it.
 */
const BY_ERROR_CODE: Partial<Record<ErrorCode, (error: RingwatchError) => ProblemError>> = {
  NEO4J_UNAVAILABLE: () => problems.serviceUnavailable(),
  NEO4J_AUTH: () => problems.serviceUnavailable(),
  AUDIT_UNAVAILABLE: (e) => problems.serviceUnavailable(`${e.message}; try again later`),
  NOT_FOUND: (e) => problems.notFound(e.message),
  INPUT_INVALID: (e) => problems.inputInvalid(e.message),
  CONFLICT: (e) => problems.conflict(e.message),
  RING_NOT_FOUND: (e) => problem(KINDS.ringNotFound, e.message),
  IDEMPOTENCY_KEY_REUSED: (e) => problem(KINDS.idempotencyKeyReused, e.message),
  RING_HAS_NO_MEMBERS: (e) => problem(KINDS.ringHasNoMembers, e.message),
  ALREADY_CLOSED: (e) => problem(KINDS.alreadyClosed, e.message),
  NOT_RING_MEMBERS: (e) =>
    problem(KINDS.notRingMembers, e.message, { ...fieldErrors('body.sellerIds', 'not members of the ring'), notMembers: e.details.notMembers }),
  LISTINGS_NOT_OF_BRAND: (e) =>
    problem(KINDS.listingsNotOfBrand, e.message, { ...fieldErrors('body.listingIds', 'unknown or not of this brand'), listingIds: e.details.listingIds }),
};

/** The problem a domain module's error is answered with, or null when it is not the client's to see. */
export function problemOfError(error: RingwatchError): ProblemError | null {
  return BY_ERROR_CODE[error.code]?.(error) ?? null;
}
