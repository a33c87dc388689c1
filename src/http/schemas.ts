import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import { ringSummaryFields } from '../dossier/schema.ts';
import { ALERT_KINDS, IDENTIFIER_KINDS, RING_ID_PATTERN, RING_STATUSES } from '../vocabulary.ts';

/**
 * The zod schemas the routes share: ids with their formats, the problem document (the dossier's
 * and the ring graph's are in src/dossier/schema.ts).
 * They validate requests at the door, type the handlers and generate /openapi.json.
 */

export { REFERRAL_ID_PATTERN, RING_ID_PATTERN } from '../vocabulary.ts';

export const RingIdSchema = z.string().regex(RING_ID_PATTERN, 'must be R- followed by 8 base32 characters (A-Z, 2-7)').openapi({ example: 'R-ABCDEFGH' });
export const RingIdParams = z.object({ ringId: RingIdSchema.openapi({ param: { name: 'ringId', in: 'path' } }) });

/** The header of every action that must happen once: closures and referrals. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7E]+$/, 'must be 1 to 255 visible ASCII characters')
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'the same key and body give the same answer, once' }),
});

/**
 * Characters a person's free text never needs and an attacker uses: control characters (line
 * breaks forge lines in signed bag-info.txt), format characters (bidi overrides such as U+202E
 * reverse what a reader sees; zero-width ones hide text) and the Unicode line and paragraph
 * separators.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Free text a person types (a reason, a case reference, a note): one line, nothing hidden. */
export const freeText = (maxLength: number) =>
  z
    .string()
    // Checked before the trim, which would otherwise remove a trailing line separator unseen.
    .refine((text) => !HIDDEN_CHARACTERS.test(text), 'must be one line of visible text: no control, bidi, zero-width or line-separator characters')
    .trim()
    .min(1)
    .max(maxLength);

export const SellerIdSchema = z.string().min(1).max(128).regex(/^[\x21-\x7E]+$/, 'must be visible ASCII characters');
export const ListingIdSchema = SellerIdSchema;

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:ringwatch:problem:not-found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().nullable(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed request (path, query, header or JSON syntax)',
  401: 'no API key, or an unknown or revoked one',
  403: 'the key may not do this',
  404: 'no such resource (or not one this key may see)',
  409: 'conflicts with the current state',
  413: 'request body too large',
  415: 'request body is not JSON',
  422: 'the JSON body breaks the schema or refers to what cannot be used',
  429: 'rate limit reached; see Retry-After',
  503: 'the database is not reachable',
};

/** OpenAPI responses for the problem statuses a route can answer. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    [...statuses, 429, 503].map((status) => [
      status,
      { description: PROBLEM_DESCRIPTIONS[status] ?? 'error', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
}

export const RingStatusSchema = z.enum(RING_STATUSES);

export const RingSummarySchema = z.object(ringSummaryFields).openapi('RingSummary');

export const bearerSecurity = [{ bearerAuth: [] }];

// ---------------------------------------------------------------------------------------------
// Alerts (GET /v1/alerts; docs/live.md, "Alerts"). Webhook deliveries carry the same item as `data`.

export const AlertKindSchema = z.enum(ALERT_KINDS);

export const AlertSchema = z
  .object({
    alertId: z.string().openapi({ example: 'AL-ABCDEFGHIJKL' }),
    kind: AlertKindSchema,
    ringId: z.string(),
    sellerIds: z.array(z.string()).openapi({ description: 'the stores the alert is about (the newcomers)' }),
    createdAt: z.string().openapi({ description: 'when the detection run raised it (ISO 8601, UTC)' }),
    evidence: z
      .array(z.object({ kind: z.enum(IDENTIFIER_KINDS), key: z.string(), sellerIds: z.array(z.string()) }))
      .openapi({ description: "the identifiers that tie the stores to the ring; brand keys see each key masked as in their dossiers (`****` and the last 4 characters)" }),
    ring: z
      .object({ riskScore: z.number(), flagged: z.boolean(), status: RingStatusSchema, size: z.number().int().nullable() })
      .openapi({ description: 'the ring as it is now, to rank alerts by' }),
  })
  .openapi('Alert');
