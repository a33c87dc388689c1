/**
 * The five ingest record kinds (docs/ingest.md "Files"), validated once at the door.
 *
 * Rules every schema follows:
 * - An optional field that is absent, `null` or `""` (after trimming) is "not given".
 * - Unknown extra fields are stripped, never a reason to reject: exports from other systems carry
 *   columns of their own.
 * - Text is trimmed; codes are upper-cased (`cn` → `CN`, `usd` → `USD`), enums lower-cased.
 * - Timestamps are any ISO 8601 date or date-time and come out as UTC ISO strings
 *   (`2024-03-01T08:00:00.000Z`). A date-time without an offset is read as UTC, so that what is
 *   loaded never depends on the loading machine's time zone.
 * - A rejection names every failing field in one short sentence (`price: must be ≥ 0`).
 *
 * Identifiers (account numbers, phones, addresses) are kept here as entered: the raw form is the
 * evidence; `normalise/*` derives the keys that become shared nodes.
 */
import { z } from 'zod';
import { normaliseAccountId } from './normalise/account.ts';

export const RECORD_KINDS = [
  'sellers',
  'listings',
  'payment_accounts',
  'addresses',
  'shipping_links',
] as const;

/** One of the five files an ingest directory may hold (`sellers.ndjson`, …). */
export type RecordKind = (typeof RECORD_KINDS)[number];

export const PAYMENT_ACCOUNT_KINDS = ['bank', 'card', 'wallet', 'other'] as const;
export const ADDRESS_ROLES = ['registered', 'return', 'pickup', 'warehouse'] as const;

/** Longest id (seller, listing, shipment) we accept; real ones are far shorter. */
export const MAX_ID_LENGTH = 200;
/** Longest free text (titles, address lines); longer is a broken export, not a listing. */
export const MAX_TEXT_LENGTH = 1000;

// ---------------------------------------------------------------------------------------------
// Field builders

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function trimmedOrAbsent(value: unknown): unknown {
  if (isAbsent(value)) return undefined;
  return typeof value === 'string' ? value.trim() : value;
}

const typeError =
  (expected: string) =>
  (issue: { input: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

/** A required field: absent, null and "" all fail with "is required". */
function required<T extends z.ZodType>(schema: T) {
  return z.preprocess(trimmedOrAbsent, schema);
}

/** An optional field: absent, null and "" all come out as undefined. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(trimmedOrAbsent, schema.optional());
}

const CONTROL_CHARACTERS = /\p{Cc}/u;

function idString() {
  return z
    .string({ error: typeError('a string') })
    .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters');
}

function text(max: number = MAX_TEXT_LENGTH) {
  return z.string({ error: typeError('a string') }).max(max, `must be at most ${max} characters`);
}

/** Upper-cased before the check: `cn` is CN, but `C1` or `CHN` is no alpha-2 code. */
function code(letters: number, standard: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.toUpperCase() : v),
    z
      .string({ error: typeError(`an ${standard} code`) })
      .regex(new RegExp(`^[A-Z]{${letters}}$`), `must be an ${standard} code (${letters} letters)`),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(values, {
      error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')}`),
    }),
  );
}

/** A decimal written as text ("12.50", "1e3") — what CSV hands us — but not "12,50" or "$12". */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Converts a decimal string to a number; leaves anything else for the schema to reject. */
export function parseDecimal(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : value;
}

const price = z.preprocess(
  (v) => parseDecimal(trimmedOrAbsent(v)),
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : typeof issue.input === 'number'
            ? 'must be a finite number'
            : 'must be a number',
    })
    .min(0, 'must be ≥ 0'),
);

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Milliseconds since the epoch of an ISO 8601 date or date-time, or undefined if it is not one. */
export function parseIso8601(value: string): number | undefined {
  const m = ISO_8601.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMinutes * 60_000;
}

const timestamp = z
  .string({ error: typeError('an ISO 8601 date or date-time') })
  .transform((value, ctx) => {
    const ms = parseIso8601(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date or date-time' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

// ---------------------------------------------------------------------------------------------
// Record schemas

const addressFields = {
  line1: required(text()),
  line2: optional(text()),
  city: required(text(200)),
  region: optional(text(200)),
  postal_code: optional(text(40)),
  country: required(code(2, 'ISO 3166-1 alpha-2')),
};

export const sellerSchema = z.object({
  seller_id: required(idString()),
  store_name: required(text(500)),
  registered_at: optional(timestamp),
  country: optional(code(2, 'ISO 3166-1 alpha-2')),
  email: optional(text(320)),
  phone: optional(text(64)),
  status: optional(text(100)),
});

export const listingSchema = z.object({
  listing_id: required(idString()),
  seller_id: required(idString()),
  title: required(text()),
  price,
  currency: required(code(3, 'ISO 4217')),
  brand: optional(text(200)),
  category: optional(text(200)),
  listed_at: optional(timestamp),
  image_hash: optional(idString()),
});

export const paymentAccountSchema = z.object({
  seller_id: required(idString()),
  account_id: required(
    idString().refine((s) => normaliseAccountId(s) !== null, 'must contain letters or digits'),
  ),
  kind: oneOf(PAYMENT_ACCOUNT_KINDS),
  holder_name: optional(text(500)),
  institution: optional(text(500)),
});

export const addressSchema = z.object({
  seller_id: required(idString()),
  role: oneOf(ADDRESS_ROLES),
  ...addressFields,
});

/** A shipping origin: an address without a role. */
export const originSchema = z.object(addressFields, { error: typeError('an address object') });

export const shippingLinkSchema = z
  .object({
    seller_id: required(idString()),
    shipment_id: required(idString()),
    carrier: required(text(200)),
    carrier_account: optional(idString()),
    sender_phone: optional(text(64)),
    origin: optional(originSchema),
    shipped_at: optional(timestamp),
  })
  .refine(
    (link) =>
      link.carrier_account !== undefined || link.sender_phone !== undefined || link.origin !== undefined,
    { message: 'needs at least one of carrier_account, sender_phone, origin' },
  );

export type Seller = z.output<typeof sellerSchema>;
export type Listing = z.output<typeof listingSchema>;
export type PaymentAccount = z.output<typeof paymentAccountSchema>;
export type Address = z.output<typeof addressSchema>;
export type Origin = z.output<typeof originSchema>;
export type ShippingLink = z.output<typeof shippingLinkSchema>;

/** The parsed record of each kind. */
export interface RecordOfKind {
  sellers: Seller;
  listings: Listing;
  payment_accounts: PaymentAccount;
  addresses: Address;
  shipping_links: ShippingLink;
}

export const RECORD_SCHEMAS = {
  sellers: sellerSchema,
  listings: listingSchema,
  payment_accounts: paymentAccountSchema,
  addresses: addressSchema,
  shipping_links: shippingLinkSchema,
} as const satisfies Record<RecordKind, z.ZodType>;

/** Column order of each kind's CSV file; a shipping link's `origin` is flattened to `origin_*`. */
export const CSV_COLUMNS: Readonly<Record<RecordKind, readonly string[]>> = {
  sellers: ['seller_id', 'store_name', 'registered_at', 'country', 'email', 'phone', 'status'],
  listings: [
    'listing_id',
    'seller_id',
    'title',
    'price',
    'currency',
    'brand',
    'category',
    'listed_at',
    'image_hash',
  ],
  payment_accounts: ['seller_id', 'account_id', 'kind', 'holder_name', 'institution'],
  addresses: ['seller_id', 'role', 'line1', 'line2', 'city', 'region', 'postal_code', 'country'],
  shipping_links: [
    'seller_id',
    'shipment_id',
    'carrier',
    'carrier_account',
    'sender_phone',
    'origin_line1',
    'origin_line2',
    'origin_city',
    'origin_region',
    'origin_postal_code',
    'origin_country',
    'shipped_at',
  ],
};

const ORIGIN_PREFIX = 'origin_';

/**
 * Turns one CSV row (every value a string) into the shape the NDJSON record has: `origin_*`
 * columns of a shipping link become its `origin` object (left out when all are empty), and a
 * listing's `price` becomes a number when it is written as one. Validate the result with
 * `validateRecord`; nothing is checked here.
 */
export function fromCsvRow(
  kind: RecordKind,
  row: Readonly<Record<string, string | null | undefined>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const origin: Record<string, unknown> = {};
  let originGiven = false;
  for (const [column, value] of Object.entries(row)) {
    if (kind === 'shipping_links' && column.startsWith(ORIGIN_PREFIX)) {
      origin[column.slice(ORIGIN_PREFIX.length)] = value;
      if (!isAbsent(value)) originGiven = true;
    } else {
      out[column] = value;
    }
  }
  if (originGiven) out.origin = origin;
  if (kind === 'listings' && 'price' in out) out.price = parseDecimal(out.price);
  return out;
}

export type ValidationResult<K extends RecordKind> =
  | { ok: true; record: RecordOfKind[K] }
  | { ok: false; reason: string };

/**
 * Checks one record of `kind` against the ingest contract. On success the record comes back
 * trimmed, with codes upper-cased, timestamps in UTC ISO form and unknown fields stripped; on
 * failure `reason` names every failing field, e.g. `price: must be ≥ 0; currency: is required`.
 */
export function validateRecord<K extends RecordKind>(kind: K, value: unknown): ValidationResult<K> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'record: must be a JSON object' };
  }
  const schema: z.ZodType = RECORD_SCHEMAS[kind];
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, record: result.data as RecordOfKind[K] };
  const reason = result.error.issues
    .map((issue) => `${issue.path.length === 0 ? 'record' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}
