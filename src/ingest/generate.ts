/**
 * A synthetic marketplace with planted counterfeit rings, for `ringwatch generate`, `demo` and
 * `eval` (docs/detection.md "Evaluation").
 *
 * The market is built to make ring detection hard rather than to plant cliques:
 * - rings of 3–60 stores (skewed small) share payment accounts, sender phones, return addresses
 *   and carrier accounts *partially* — each store uses a random subset of its ring's 1–4 of
 *   each — yet every ring is connected through shared identifiers; stores of a ring register
 *   within a few days; ~85% of their listings are brand goods at 10–35% of the brand's price;
 * - identifiers are written messily (phones in `+86 …`, `0086-…`, `(+86)…` and national form;
 *   account ids with random spaces, dashes, dots and case; addresses with abbreviations, case,
 *   punctuation, line splits and full-width characters) — the ingest normalisers must undo it;
 * - honest stores, the vast majority, have identifiers of their own, normal prices (±25%) and
 *   registrations spread over years;
 * - fulfilment centres, hub carrier accounts and payment aggregators are shared by thousands of
 *   honest stores (and some ring stores); brands' stock photos by many honest listings;
 * - honest owners of 2–6 stores share everything and price normally;
 * - honest neighbours in one building differ only in their room numbers, including near misses
 *   (1203 / 1230 / 1204) — they must not share an address key;
 * - about 10% of rings come in pairs joined by one mule account, used by one store of each.
 *
 * That is the `classic` preset. The `adversarial` preset (src/ingest/generate/adversarial.ts) plants
 * rings of six kinds built to slip past detection (chains, big rings, camouflaged, super fakes sold
 * near retail, sparse rings around one operator) and honest franchises, outlets and families that
 * look like rings; the truth names each ring's kind and each honest group's.
 *
 * Records are made one store at a time and streamed to disk with backpressure, so memory does not
 * grow with the market (beyond 4 bytes a store for its group). The same seed gives the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MarketTruth, TruthHonestGroup, TruthRing } from '../analysis/marketTruth.ts';
import { RingwatchError } from '../errors.ts';
import { CSV_COLUMNS, RECORD_KINDS, type RecordKind } from './records.ts';
import { MarketWriter, sellerId } from './generate/emit.ts';
import { planAdversarialMarket } from './generate/adversarial.ts';
import { IdentityFactory } from './generate/identities.ts';
import { type MarketPlan, planMarket } from './generate/plan.ts';
import { Random } from './generate/random.ts';
import { type MarketFormat, RecordSink } from './generate/sink.ts';

export { BRAND_CATALOGUE, GENERIC_ITEMS, brandByName, type BrandEntry } from './generate/catalogue.ts';
export type { MarketFormat } from './generate/sink.ts';

/** The kinds of market `generateMarket` makes: `classic` (the default) and `adversarial`. */
export const MARKET_PRESETS = ['classic', 'adversarial'] as const;
export type MarketPreset = (typeof MARKET_PRESETS)[number];

export interface GenerateOptions {
  /** Directory to write into; created if missing. Existing files of the same names are replaced. */
  outDir: string;
  /** Number of stores, ≥ 1. */
  sellers: number;
  /** Number of counterfeit rings to plant, ≥ 0. */
  rings: number;
  /** Seed of the generator: the same options give the same bytes. */
  seed: number;
  /** Where to write the truth file (JSON); none when absent. */
  truthFile?: string;
  /** `ndjson` (default): `sellers.ndjson`, …; `csv`: `sellers.csv`, … with `origin_*` columns. */
  format?: MarketFormat;
  /** `classic` (default): today's market, byte for byte; `adversarial`: six kinds of ring and honest look-alikes. */
  preset?: MarketPreset;
  /** Clock for `seconds` (injected so that tests can fix it); `performance.now` by default. */
  now?: () => number;
}

export interface GenerateSummary {
  /** Records written per file. */
  files: Record<RecordKind, number>;
  rings: number;
  seconds: number;
}

/** Largest market the identifier spaces are sized for (see `Scatter`). */
export const MAX_SELLERS = 10_000_000;

function checkOptions(o: GenerateOptions): void {
  const fail = (message: string): never => {
    throw new RingwatchError('INPUT_INVALID', message);
  };
  if (!Number.isInteger(o.sellers) || o.sellers < 1 || o.sellers > MAX_SELLERS) {
    fail(`sellers must be a whole number from 1 to ${MAX_SELLERS}, got ${String(o.sellers)}`);
  }
  if (!Number.isInteger(o.rings) || o.rings < 0) fail(`rings must be a whole number ≥ 0, got ${String(o.rings)}`);
  if (!Number.isInteger(o.seed)) fail(`seed must be a whole number, got ${String(o.seed)}`);
  if (o.format !== undefined && o.format !== 'ndjson' && o.format !== 'csv') {
    fail(`format must be ndjson or csv, got ${String(o.format)}`);
  }
  if (o.preset !== undefined && !(MARKET_PRESETS as readonly string[]).includes(o.preset)) {
    fail(`preset must be ${MARKET_PRESETS.join(' or ')}, got ${String(o.preset)}`);
  }
}

/**
 * The truth of a written plan: ring memberships, kinds, brands, bridges and test purchases, and
 * the honest look-alike groups. Call it after the stores are written (test purchases are listings).
 */
export function truthOf(plan: MarketPlan, seed: number): MarketTruth {
  const group = (kind: TruthHonestGroup['kind']) => (g: { groupId: string; members: number[] }): TruthHonestGroup => ({
    group_id: g.groupId,
    kind,
    seller_ids: g.members.map(sellerId),
  });
  return {
    seed,
    sellers: plan.sellers,
    rings: plan.rings.map((ring): TruthRing => {
      const purchase = ring.testPurchase;
      if (purchase !== undefined && purchase.listing === undefined) {
        throw new Error(`super-fake ring ${ring.ringId} has no test purchase: truthOf runs before its stores are written`);
      }
      return {
        ring_id: ring.ringId,
        kind: ring.kind,
        seller_ids: ring.members.map(sellerId),
        brands: ring.brands.map((b) => b.name),
        bridged_with: ring.bridgedWith === null ? null : (plan.rings[ring.bridgedWith]?.ringId ?? null),
        ...(purchase?.listing === undefined ? {} : { test_purchase: { listing_id: purchase.listing.listingId, brand: purchase.listing.brand } }),
      };
    }),
    honest_groups: [
      ...plan.owners.map(group('multi_store_owner')),
      ...plan.buildings.map(group('same_building')),
      ...plan.franchises.map(group('franchise')),
      ...plan.outlets.map(group('outlet')),
      ...plan.families.map(group('family')),
    ],
  };
}

/**
 * Writes a synthetic market of `sellers` stores with `rings` planted counterfeit rings into
 * `outDir` (five files, one per record kind) and, if asked, its truth file. Returns how many
 * records each file got.
 */
export async function generateMarket(options: GenerateOptions): Promise<GenerateSummary> {
  checkOptions(options);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const format = options.format ?? 'ndjson';
  const r = new Random(options.seed);
  const ids = new IdentityFactory(r, options.sellers + 10_000);
  const plan = (options.preset === 'adversarial' ? planAdversarialMarket : planMarket)(options.sellers, options.rings, r, ids);

  await mkdir(options.outDir, { recursive: true });
  const sinks = Object.fromEntries(
    RECORD_KINDS.map((kind) => [kind, new RecordSink(join(options.outDir, `${kind}.${format}`), format, CSV_COLUMNS[kind])]),
  ) as Record<RecordKind, RecordSink>;
  const all = Object.values(sinks);
  try {
    const writer = new MarketWriter(plan, r, ids, sinks);
    for (let i = 0; i < options.sellers; i++) {
      writer.writeStore(i);
      // Backpressure: wait for every file whose buffer is full before making more records.
      if (all.some((s) => s.blocked)) await Promise.all(all.map((s) => s.drained()));
    }
  } catch (error) {
    await Promise.allSettled(all.map((s) => s.close()));
    throw error;
  }
  await Promise.all(all.map((s) => s.close()));
  if (options.truthFile !== undefined) {
    await writeFile(options.truthFile, `${JSON.stringify(truthOf(plan, options.seed), null, 2)}\n`);
  }
  const files = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, sinks[kind].count])) as Record<RecordKind, number>;
  return { files, rings: plan.rings.length, seconds: Math.round(now() - started) / 1000 };
}
