/**
 * The truth file of a generated market: written by `ringwatch generate --truth` (src/ingest/generate.ts),
 * read by `ringwatch eval` and the quality benchmark to score detection against
 * (docs/detection.md, "Evaluation"). Field names are snake_case, as in the file.
 */

/**
 * The kinds of planted ring. `classic` is every ring of the classic preset; the adversarial
 * preset plants all six in about equal shares (docs/detection.md, "Evaluation"):
 * - `classic`: 3–60 stores sharing accounts, phones, addresses and carriers partially; cheap fakes;
 * - `chain`: 5–12 stores, each tied to the next by one payment account or phone, nothing else;
 * - `big`: 60–150 stores sharing pools of several accounts, phones and addresses partially;
 * - `camouflaged`: classic-like, whose members also reuse honest stores' product photos and carrier accounts;
 * - `super_fake`: classic-like, selling at 55–90% of the brand's list price (the price factor stays quiet);
 * - `sparse`: stores tied only through one or two identifiers of one operator.
 */
export const RING_KINDS = ['classic', 'chain', 'big', 'camouflaged', 'super_fake', 'sparse'] as const;
export type RingKind = (typeof RING_KINDS)[number];

/**
 * Honest groups that look like rings: `multi_store_owner` (2–6 stores sharing everything) and
 * `same_building` (neighbours differing by room) in both presets; the adversarial preset adds
 * `franchise` (10–30 stores sharing everything, genuine goods at list price), `outlet` (3–8 stores
 * shipping from one warehouse with one carrier account, genuine goods at 60–85% of list) and
 * `family` (2–4 stores at one home address, each with its own accounts and phones).
 */
export const HONEST_GROUP_KINDS = ['multi_store_owner', 'same_building', 'franchise', 'outlet', 'family'] as const;
export type HonestGroupKind = (typeof HONEST_GROUP_KINDS)[number];

/** A listing a brand would buy and confirm: one per super-fake ring. */
export interface TestPurchase {
  listing_id: string;
  /** The listing's brand, as the listing spells it (one of the catalogue's). */
  brand: string;
}

export interface TruthRing {
  ring_id: string;
  /** Absent in truth files written before kinds existed: read as `classic`. */
  kind?: RingKind;
  seller_ids: string[];
  brands: string[];
  /** The ring joined to this one by a single mule account, if any. */
  bridged_with: string | null;
  /** Super-fake rings only: the listing `ringwatch eval --apply-verdicts` confirms as counterfeit. */
  test_purchase?: TestPurchase;
}

export interface TruthHonestGroup {
  group_id: string;
  kind: HonestGroupKind;
  seller_ids: string[];
}

export interface MarketTruth {
  seed: number;
  sellers: number;
  rings: TruthRing[];
  honest_groups: TruthHonestGroup[];
}
