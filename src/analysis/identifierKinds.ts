/**
 * The identifier kinds that link sellers in the projection, and the bitmask an edge records them
 * in: the vocabulary the projection, scoring and the Neo4j store share.
 */

/** The identifier kinds that link sellers; see docs/ingest.md, "Files", for where each comes from. */
export const IDENTIFIER_KINDS = [
  'payment_account',
  'phone',
  'carrier_account',
  'address',
  'origin',
  'image_hash',
] as const;

/**
 * `phone` is the sender phone on shipping links; `address` is a registered, return, pickup or
 * warehouse address; `origin` is the shipping origin address on shipping links.
 */
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Bit of each kind in an edge's `kinds` mask. */
export const KIND_BITS: Readonly<Record<IdentifierKind, number>> = {
  payment_account: 1,
  phone: 2,
  carrier_account: 4,
  address: 8,
  origin: 16,
  image_hash: 32,
};

/** The kinds recorded in an edge's `kinds` bitmask, strongest first. */
export function kindsFromMask(mask: number): IdentifierKind[] {
  return IDENTIFIER_KINDS.filter((kind) => (mask & KIND_BITS[kind]) !== 0);
}
