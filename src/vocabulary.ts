/**
 * The words every layer shares, spelled once: identifier kinds (and the Neo4j label of each), the
 * brand key, ring statuses, factor names and the shape of ring ids. Ingest, detection, the store,
 * the API, the CLI and the Cypher statements (which receive these as parameters) all use these,
 * so that a rename is one edit. See docs/architecture.md, "Vocabulary".
 */

/**
 * The identifier kinds that link sellers, strongest first, in the API's spelling. `phone` is the
 * sender phone on shipping links; `address` a registered, return, pickup or warehouse address;
 * `origin` the shipping origin address on shipping links (an `Address` node too, weighed apart by
 * the projection because a fulfilment centre ships for many).
 */
export const IDENTIFIER_KINDS = ['paymentAccount', 'phone', 'carrierAccount', 'address', 'origin', 'imageHash'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Each kind as a sentence names it ("2 payment accounts"): factor details, alerts. */
export const IDENTIFIER_KIND_PHRASES: Readonly<Record<IdentifierKind, string>> = Object.freeze({
  paymentAccount: 'payment account',
  phone: 'phone',
  carrierAccount: 'carrier account',
  address: 'address',
  origin: 'shipping origin',
  imageHash: 'product photo',
});

/** The Neo4j label of each kind's identifier nodes. */
export const LABEL_OF_KIND: Readonly<Record<IdentifierKind, string>> = {
  paymentAccount: 'PaymentAccount',
  phone: 'Phone',
  carrierAccount: 'CarrierAccount',
  address: 'Address',
  origin: 'Address',
  imageHash: 'ImageHash',
};

/** The kind a node of each identifier label is shown as (an `Address` is an `address`, whichever way it was linked). */
export const KIND_OF_LABEL: Readonly<Record<string, IdentifierKind>> = {
  PaymentAccount: 'paymentAccount',
  Phone: 'phone',
  CarrierAccount: 'carrierAccount',
  Address: 'address',
  ImageHash: 'imageHash',
};

/** The kinds a dossier shows identifiers as: one per label, and `other` for a node of none. */
export const SHOWN_IDENTIFIER_KINDS = ['paymentAccount', 'address', 'phone', 'carrierAccount', 'imageHash', 'other'] as const;

/** Bit of each kind in a projection edge's `kinds` mask. */
export const KIND_BITS: Readonly<Record<IdentifierKind, number>> = {
  paymentAccount: 1,
  phone: 2,
  carrierAccount: 4,
  address: 8,
  origin: 16,
  imageHash: 32,
};

/** The kinds recorded in an edge's `kinds` bitmask, strongest first. */
export function kindsFromMask(mask: number): IdentifierKind[] {
  return IDENTIFIER_KINDS.filter((kind) => (mask & KIND_BITS[kind]) !== 0);
}

/**
 * The brand key that listings, reference prices, brand API keys and brand filters meet on:
 * NFKC (full-width letters, ligatures), trimmed, lower case, inner white space collapsed.
 */
export function brandKey(brand: string): string;
export function brandKey(brand: string | undefined): string | null;
export function brandKey(brand: string | undefined): string | null {
  return brand === undefined ? null : brand.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A ring's status: `closed` once every member store is closed, `referred` once sent to an agency. */
export const RING_STATUSES = ['open', 'closed', 'referred'] as const;
export type RingStatus = (typeof RING_STATUSES)[number];

/** A member store's status once ringwatch closed it. */
export const CLOSED_STORE_STATUS = 'closed';

/**
 * The words Cypher statements need, given to every statement as `$vocabulary` by the one door to
 * Neo4j (src/graph/db.ts), so that `.cypher` files spell none of them:
 * `$vocabulary.ringStatus.closed`, `$vocabulary.storeStatus.closed`.
 */
export const CYPHER_VOCABULARY = {
  ringStatus: { open: 'open', closed: 'closed', referred: 'referred' } satisfies Record<RingStatus, RingStatus>,
  storeStatus: { closed: CLOSED_STORE_STATUS },
  deliveryStatus: { pending: 'pending', delivered: 'delivered', failed: 'failed', cancelled: 'cancelled' } satisfies Record<DeliveryStatus, DeliveryStatus>,
} as const;

/** The named factors of a ring's risk score (docs/detection.md, "Scoring"). */
export const FACTOR_NAMES = ['price_below_reference', 'brand_verdicts', 'shared_payment_accounts', 'registration_burst', 'prior_closures', 'ring_size'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/** Ring ids: `R-` and 8 RFC 4648 base32 characters (40 random bits), short enough to read out on a call. */
export const RING_ID_PREFIX = 'R-';
export const RING_ID_LENGTH = 8;
export const RING_ID_PATTERN = /^R-[A-Z2-7]{8}$/;
/** Referral ids: `RF-` and 10 base32 characters. */
export const REFERRAL_ID_PATTERN = /^RF-[A-Z2-7]{10}$/;

/**
 * What a detection run raises (docs/live.md, "Alerts"): `recidivism` when a store joins a ring
 * that has a closure or shares an identifier with a closed store, `ring_growth` when an existing
 * ring gains stores, `new_ring` when a flagged ring appears that did not exist before.
 */
export const ALERT_KINDS = ['recidivism', 'ring_growth', 'new_ring'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** Alert ids: `AL-` and 12 base32 characters. */
export const ALERT_ID_PREFIX = 'AL-';
export const ALERT_ID_LENGTH = 12;
export const ALERT_ID_PATTERN = /^AL-[A-Z2-7]{12}$/;

/** Webhook ids: `WH-` and 10 base32 characters. */
export const WEBHOOK_ID_PREFIX = 'WH-';
export const WEBHOOK_ID_LENGTH = 10;
export const WEBHOOK_ID_PATTERN = /^WH-[A-Z2-7]{10}$/;

/**
 * Where a webhook delivery (one alert to one webhook, docs/live.md "Webhooks") stands: `pending`
 * until the receiver answers 2xx (`delivered`) or retries run out after a day (`failed`);
 * `cancelled` when its webhook is removed first.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a screening answers for an applicant (docs/live.md, "Screening"). */
export const SCREENING_DECISIONS = ['block', 'review', 'allow'] as const;
export type ScreeningDecision = (typeof SCREENING_DECISIONS)[number];
