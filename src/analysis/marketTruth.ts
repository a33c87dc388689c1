/**
 * The truth file of a generated market: written by `ringwatch generate --truth` (src/ingest/generate.ts),
 * read by `ringwatch eval` and the quality benchmark to score detection against
 * (docs/detection.md, "Evaluation"). Field names are snake_case, as in the file.
 */

export interface TruthRing {
  ring_id: string;
  seller_ids: string[];
  brands: string[];
  /** The ring joined to this one by a single mule account, if any. */
  bridged_with: string | null;
}

export interface TruthHonestGroup {
  group_id: string;
  kind: 'multi_store_owner' | 'same_building';
  seller_ids: string[];
}

export interface MarketTruth {
  seed: number;
  sellers: number;
  rings: TruthRing[];
  honest_groups: TruthHonestGroup[];
}
