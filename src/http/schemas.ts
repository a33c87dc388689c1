import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import { ringSummaryFields } from '../dossier/schema.ts';
import { hasMatchableIdentifier, SCREENING_LIST_LIMIT, screeningKeys } from '../screening/screening.ts';
import { ALERT_KINDS, IDENTIFIER_KINDS, RING_ID_PATTERN, RING_STATUSES, SCREENING_DECISIONS } from '../vocabulary.ts';

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
// Screening (POST /v1/screenings; docs/live.md, "Screening"). The limits are ingest's own
// (src/ingest/records.ts), so that what a screening takes is what ingest would have loaded.

/** An identifier as typed: no control characters (ingest refuses them in ids too). */
const identifierText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters');

/** A strict object whose unknown keys are refused without naming them back (a key is the client's text too). */
const closedObject = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${Object.keys(shape).join(', ')}` : undefined),
  });

const CountryCodeSchema = z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code (2 letters)').openapi({ example: 'CN' });

/** An address as the ingest contract has it, without `role`. */
export const ScreeningAddressSchema = closedObject({
  line1: identifierText(1000).trim().min(1),
  line2: identifierText(1000).optional(),
  city: identifierText(200).trim().min(1),
  region: identifierText(200).optional(),
  postal_code: identifierText(40).optional(),
  country: CountryCodeSchema,
}).openapi('ScreeningAddress');

const list = <T extends z.ZodType>(item: T) => z.array(item).max(SCREENING_LIST_LIMIT, `at most ${SCREENING_LIST_LIMIT} entries`).optional();

export const ScreeningRequestSchema = closedObject({
  country: CountryCodeSchema.optional().openapi({ description: "the applicant's country: where a phone written without a country code is read" }),
  paymentAccounts: list(identifierText(200).trim().min(1)).openapi({ example: ['6222 0212-3456 7890'] }),
  phones: list(identifierText(64).trim().min(1)).openapi({ example: ['0086 138-0013-8000'] }),
  addresses: list(ScreeningAddressSchema),
  carrierAccounts: list(closedObject({ carrier: identifierText(200).trim().min(1), account: identifierText(200).trim().min(1) })),
  email: identifierText(320).trim().min(1).optional().openapi({ description: 'accepted, never matched: ringwatch links no stores by email' }),
})
  // Runs only on a body that passed the shape above, so the identifiers are strings where expected.
  .superRefine((body, ctx) => {
    if (!hasMatchableIdentifier(body)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'send at least one of paymentAccounts, phones, addresses, carrierAccounts (email alone is not matched)' });
      return;
    }
    for (const fault of screeningKeys(body).faults) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  })
  .openapi('ScreeningRequest', {
    description: `An applicant's identifiers: at least one payment account, phone, address or carrier account; at most ${SCREENING_LIST_LIMIT} of each; no other fields.`,
  });

const ScreeningDecisionSchema = z.enum(SCREENING_DECISIONS);

export const ScreeningResultSchema = z
  .object({
    decision: ScreeningDecisionSchema.openapi({ description: 'block: a matched store or its ring is closed; review: its ring is flagged and open; allow: neither' }),
    matches: z.array(
      z.object({
        ringId: z.string().nullable().openapi({ description: 'null for closed stores that are in no ring' }),
        status: RingStatusSchema,
        riskScore: z.number().nullable(),
        flagged: z.boolean(),
        decision: ScreeningDecisionSchema.openapi({ description: 'what this match alone decides' }),
        matchedOn: z.array(z.object({ kind: z.enum(IDENTIFIER_KINDS), sellerIds: z.array(z.string()).openapi({ description: "the ring's stores that carry a matched identifier of this kind" }) })),
      }),
    ),
  })
  .openapi('ScreeningResult');

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
