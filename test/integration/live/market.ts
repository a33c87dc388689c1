import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketTruth } from '../../../src/analysis/marketTruth.ts';
import { generateMarket } from '../../../src/ingest/generate.ts';
import { RECORD_KINDS, type RecordKind } from '../../../src/ingest/records.ts';
import { tempDir, writeNdjson } from '../ingest/fixtures.ts';

export type Rec = Record<string, unknown>;
export type Market = Record<RecordKind, Rec[]>;

/** A generated market read back into memory, with its truth, to be cut into a base and deltas. */
export async function generatedMarket(sellers: number, rings: number, seed: number): Promise<{ market: Market; truth: MarketTruth }> {
  const dir = tempDir('ringwatch-live-market-');
  const truthFile = join(dir, 'truth.json');
  await generateMarket({ outDir: dir, sellers, rings, seed, truthFile });
  const market = Object.fromEntries(
    RECORD_KINDS.map((kind) => [
      kind,
      readFileSync(join(dir, `${kind}.ndjson`), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Rec),
    ]),
  ) as Market;
  return { market, truth: JSON.parse(readFileSync(truthFile, 'utf8')) as MarketTruth };
}

/** The records of the market whose seller passes `keep`, written as an ingest directory. */
export function marketPart(market: Market, keep: (sellerId: string) => boolean): string {
  const dir = tempDir('ringwatch-live-part-');
  for (const kind of RECORD_KINDS) writeNdjson(dir, kind, market[kind].filter((r) => keep(String(r.seller_id))));
  return dir;
}

/** Records written as an ingest directory (kinds not given are empty files). */
export function deltaDir(records: Partial<Market>): string {
  const dir = tempDir('ringwatch-live-delta-');
  for (const kind of RECORD_KINDS) writeNdjson(dir, kind, records[kind] ?? []);
  return dir;
}
