import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRingwatchError } from '../../../src/errors.ts';
import type { MarketTruth } from '../../../src/analysis/marketTruth.ts';
import { BRAND_CATALOGUE, generateMarket, type GenerateSummary } from '../../../src/ingest/generate.ts';
import { normaliseAccountId } from '../../../src/ingest/normalise/account.ts';
import { addressKey } from '../../../src/ingest/normalise/address.ts';
import { normalisePhone } from '../../../src/ingest/normalise/phone.ts';
import {
  RECORD_KINDS,
  fromCsvRow,
  validateRecord,
  type Address,
  type Listing,
  type PaymentAccount,
  type RecordKind,
  type RecordOfKind,
  type Seller,
  type ShippingLink,
} from '../../../src/ingest/records.ts';

const SELLERS = 2000;
const RINGS = 20;
const SEED = 7;
/** Identifiers on more sellers than the largest ring are hubs for these checks. */
const HUB_LIMIT = 60;

let root: string;
let dir: string;
let summary: GenerateSummary;
let truth: MarketTruth;
let market: { [K in RecordKind]: RecordOfKind[K][] };

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
}

function load<K extends RecordKind>(kind: K): RecordOfKind[K][] {
  return lines(join(dir, `${kind}.ndjson`)).map((line, i) => {
    const result = validateRecord(kind, JSON.parse(line));
    if (!result.ok) throw new Error(`${kind}.ndjson line ${i + 1}: ${result.reason}: ${line}`);
    return result.record;
  });
}

/** Normalised identifier → sellers, by kind, the way ingest keys them. */
interface IdentifierIndex {
  kinds: Map<string, Map<string, Set<string>>>;
}

function indexIdentifiers(): IdentifierIndex {
  const countryOf = new Map(market.sellers.map((s: Seller) => [s.seller_id, s.country]));
  const kinds = new Map<string, Map<string, Set<string>>>();
  const add = (kind: string, key: string | null, seller: string): void => {
    if (key === null) throw new Error(`${kind} of ${seller} does not normalise`);
    let byKey = kinds.get(kind);
    if (byKey === undefined) kinds.set(kind, (byKey = new Map()));
    let sellers = byKey.get(key);
    if (sellers === undefined) byKey.set(key, (sellers = new Set()));
    sellers.add(seller);
  };
  for (const a of market.payment_accounts as PaymentAccount[]) add('payment_account', normaliseAccountId(a.account_id), a.seller_id);
  for (const a of market.addresses as Address[]) add('address', addressKey(a), a.seller_id);
  for (const l of market.shipping_links as ShippingLink[]) {
    if (l.sender_phone !== undefined) add('phone', normalisePhone(l.sender_phone, countryOf.get(l.seller_id) ?? l.origin?.country), l.seller_id);
    if (l.carrier_account !== undefined) add('carrier_account', `${l.carrier.toUpperCase()}:${normaliseAccountId(l.carrier_account)}`, l.seller_id);
    if (l.origin !== undefined) add('origin', addressKey(l.origin), l.seller_id);
  }
  return { kinds };
}

let index: IdentifierIndex;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ringwatch-generate-'));
  dir = join(root, 'a');
  summary = await generateMarket({ outDir: dir, sellers: SELLERS, rings: RINGS, seed: SEED, truthFile: join(root, 'a-truth.json'), now: () => 0 });
  truth = JSON.parse(readFileSync(join(root, 'a-truth.json'), 'utf8')) as MarketTruth;
  market = {
    sellers: load('sellers'),
    listings: load('listings'),
    payment_accounts: load('payment_accounts'),
    addresses: load('addresses'),
    shipping_links: load('shipping_links'),
  };
  index = indexIdentifiers();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('generateMarket', () => {
  it('writes five files and reports what it wrote', () => {
    expect(summary.rings).toBe(RINGS);
    expect(summary.seconds).toBe(0);
    for (const kind of RECORD_KINDS) expect(summary.files[kind]).toBe(lines(join(dir, `${kind}.ndjson`)).length);
    expect(summary.files.sellers).toBe(SELLERS);
    expect(market.sellers[0]?.seller_id).toBe('S0000001');
    expect(market.sellers.at(-1)?.seller_id).toBe('S0002000');
    expect(market.listings[0]?.listing_id).toBe('L00000001');
    const perSeller = summary.files.listings / SELLERS;
    expect(perSeller).toBeGreaterThan(7);
    expect(perSeller).toBeLessThan(14);
  });

  it('is deterministic: the same seed gives the same bytes, another seed other bytes', async () => {
    const again = join(root, 'b');
    const other = join(root, 'c');
    await generateMarket({ outDir: again, sellers: SELLERS, rings: RINGS, seed: SEED, truthFile: join(root, 'b-truth.json') });
    await generateMarket({ outDir: other, sellers: SELLERS, rings: RINGS, seed: SEED + 1 });
    for (const kind of RECORD_KINDS) {
      const file = `${kind}.ndjson`;
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
      expect(readFileSync(join(other, file)).equals(readFileSync(join(dir, file))), file).toBe(false);
    }
    expect(readFileSync(join(root, 'b-truth.json'), 'utf8')).toBe(readFileSync(join(root, 'a-truth.json'), 'utf8'));
  });

  it('classic preset (the default): a tiny market is byte for byte what it was before presets existed', async () => {
    // Pinned from the generator at commit 31cb6e3, before the adversarial preset: tests and
    // benchmarks depend on the classic market staying as it is.
    const pinned = {
      ndjson: 'ed11bcfdf7e229b804fac1c3ee5bfd597f4b5cfe12a671209a739d5174ee9c2e',
      csv: '0ec6014dc250dffa0afa6f3c2ddb20c1906894d5fa2f7d031f10bb907b95ae26',
    };
    for (const format of ['ndjson', 'csv'] as const) {
      const out = join(root, `pinned-${format}`);
      await generateMarket({ outDir: out, sellers: 400, rings: 4, seed: 11, format, ...(format === 'csv' ? { preset: 'classic' as const } : {}) });
      const hash = createHash('sha256');
      for (const kind of RECORD_KINDS) hash.update(readFileSync(join(out, `${kind}.${format}`)));
      expect(hash.digest('hex'), format).toBe(pinned[format]);
    }
  });

  it('writes records that all validate (NDJSON: checked while loading) and carry the messy extras ingest must tolerate', () => {
    const raw = lines(join(dir, 'sellers.ndjson')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(raw.some((s) => 'rating' in s)).toBe(true);
    expect(raw.some((s) => s.email === null)).toBe(true);
    expect(raw.some((s) => s.email === '')).toBe(true);
    expect(raw.some((s) => s.country === null || s.country === '')).toBe(true);
  });

  it('writes CSV with the same columns, every row valid through fromCsvRow', async () => {
    const csvDir = join(root, 'csv');
    const csv = await generateMarket({ outDir: csvDir, sellers: 300, rings: 3, seed: SEED, format: 'csv' });
    for (const kind of RECORD_KINDS) {
      const rows = parse(readFileSync(join(csvDir, `${kind}.csv`)), { columns: true, bom: true }) as Record<string, string>[];
      expect(rows).toHaveLength(csv.files[kind]);
      rows.forEach((row, i) => {
        const result = validateRecord(kind, fromCsvRow(kind, row));
        if (!result.ok) throw new Error(`${kind}.csv row ${i + 1}: ${result.reason}`);
      });
    }
  });

  it('rejects impossible options with a reason', async () => {
    const cases = [
      { sellers: 0, rings: 0 },
      { sellers: 10.5, rings: 0 },
      { sellers: 100, rings: -1 },
      { sellers: 100, rings: 40 },
      { sellers: 100, rings: 40, preset: 'adversarial' as const },
      { sellers: 100, rings: 1, preset: 'wild' as never },
    ];
    for (const c of cases) {
      await expect(generateMarket({ outDir: join(root, 'never'), seed: 1, ...c })).rejects.toSatisfy(
        (e: unknown) => isRingwatchError(e, 'INPUT_INVALID'),
      );
    }
  });
});

describe('the truth file', () => {
  it('lists rings of 3–60 existing sellers, each seller in at most one planted group', () => {
    const sellerIds = new Set(market.sellers.map((s) => s.seller_id));
    const seen = new Set<string>();
    expect(truth).toMatchObject({ seed: SEED, sellers: SELLERS });
    expect(truth.rings).toHaveLength(RINGS);
    for (const ring of truth.rings) {
      expect(ring.ring_id).toMatch(/^T-\d{4}$/);
      expect(ring.kind).toBe('classic');
      expect(ring.test_purchase).toBeUndefined();
      expect(ring.seller_ids.length).toBeGreaterThanOrEqual(3);
      expect(ring.seller_ids.length).toBeLessThanOrEqual(60);
      expect(ring.brands.length).toBeGreaterThan(0);
      for (const id of ring.seller_ids) {
        expect(sellerIds.has(id), id).toBe(true);
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
    for (const group of truth.honest_groups) {
      expect(['multi_store_owner', 'same_building']).toContain(group.kind);
      for (const id of group.seller_ids) {
        expect(sellerIds.has(id)).toBe(true);
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    expect(truth.honest_groups.some((g) => g.kind === 'multi_store_owner')).toBe(true);
    expect(truth.honest_groups.some((g) => g.kind === 'same_building')).toBe(true);
    // Honest solo stores are the vast majority.
    expect(seen.size).toBeLessThan(SELLERS * 0.3);
  });
});

/** Union–find over the members of one group. */
function components(members: readonly string[], links: Iterable<Set<string>>): number {
  const parent = new Map(members.map((m) => [m, m]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  for (const sellers of links) {
    const inside = [...sellers].filter((s) => parent.has(s));
    for (const s of inside.slice(1)) parent.set(find(s), find(inside[0] as string));
  }
  return new Set(members.map(find)).size;
}

/** Identifiers (of the strong kinds) all of whose sellers are in `members`. */
function privateIdentifiers(members: ReadonlySet<string>): Set<string>[] {
  const out: Set<string>[] = [];
  for (const kind of ['payment_account', 'phone', 'carrier_account', 'address']) {
    for (const sellers of index.kinds.get(kind)?.values() ?? []) {
      if (sellers.size >= 2 && [...sellers].every((s) => members.has(s))) out.push(sellers);
    }
  }
  return out;
}

describe('counterfeit rings', () => {
  it('are each connected through identifiers only their members share (after normalisation)', () => {
    for (const ring of truth.rings) {
      const members = new Set(ring.seller_ids);
      expect(components(ring.seller_ids, privateIdentifiers(members)), ring.ring_id).toBe(1);
    }
  });

  it('share identifiers partially, not as cliques', () => {
    let shared = 0;
    let onEveryone = 0;
    for (const ring of truth.rings) {
      for (const sellers of privateIdentifiers(new Set(ring.seller_ids))) {
        shared++;
        if (sellers.size === ring.seller_ids.length) onEveryone++;
      }
    }
    expect(shared).toBeGreaterThan(RINGS);
    expect(onEveryone / shared).toBeLessThan(0.5);
  });

  it('come about 10% in pairs joined by exactly one mule account, used by one store of each', () => {
    const byId = new Map(truth.rings.map((r) => [r.ring_id, r]));
    const bridged = truth.rings.filter((r) => r.bridged_with !== null);
    expect(bridged.length).toBeGreaterThanOrEqual(2);
    const accounts = index.kinds.get('payment_account') as Map<string, Set<string>>;
    for (const a of bridged) {
      const b = byId.get(a.bridged_with as string);
      expect(b?.bridged_with).toBe(a.ring_id);
      const inA = new Set(a.seller_ids);
      const inB = new Set(b?.seller_ids);
      const common = [...accounts.values()].filter(
        (sellers) => sellers.size <= HUB_LIMIT && [...sellers].some((s) => inA.has(s)) && [...sellers].some((s) => inB.has(s)),
      );
      expect(common, `${a.ring_id}–${b?.ring_id}`).toHaveLength(1);
      const mule = [...(common[0] as Set<string>)];
      expect(mule.filter((s) => inA.has(s))).toHaveLength(1);
      expect(mule.filter((s) => inB.has(s))).toHaveLength(1);
    }
    // Unbridged rings share no non-hub identifier with any other ring.
    const ringOf = new Map(truth.rings.flatMap((r) => r.seller_ids.map((s) => [s, r.ring_id] as const)));
    for (const [kind, byKey] of index.kinds) {
      for (const sellers of byKey.values()) {
        if (sellers.size > HUB_LIMIT) continue;
        const rings = new Set([...sellers].map((s) => ringOf.get(s)).filter((r) => r !== undefined));
        if (rings.size > 1) expect(kind).toBe('payment_account');
      }
    }
  });

  it('register in bursts of a few days', () => {
    const registered = new Map(market.sellers.map((s) => [s.seller_id, Date.parse(s.registered_at as string)]));
    for (const ring of truth.rings) {
      const times = ring.seller_ids.map((id) => registered.get(id) as number);
      expect(Math.max(...times) - Math.min(...times), ring.ring_id).toBeLessThanOrEqual(5 * 86_400_000);
    }
    const all = [...registered.values()];
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(5 * 365 * 86_400_000);
  });

  it('sell brand goods mostly at 10–35% of the brand price, honest stores within ±25%', () => {
    const price = new Map(BRAND_CATALOGUE.map((b) => [b.name, b.typicalPrice]));
    const inRing = new Set(truth.rings.flatMap((r) => r.seller_ids));
    let ringBranded = 0;
    let ringCheap = 0;
    for (const l of market.listings as Listing[]) {
      if (l.brand === undefined) continue;
      const ratio = l.price / (price.get(l.brand) as number);
      if (inRing.has(l.seller_id)) {
        ringBranded++;
        if (ratio >= 0.1 && ratio <= 0.35) ringCheap++;
        else expect(ratio).toBeGreaterThanOrEqual(0.75);
      } else {
        expect(ratio).toBeGreaterThanOrEqual(0.75);
        expect(ratio).toBeLessThanOrEqual(1.25);
      }
    }
    expect(ringCheap / ringBranded).toBeGreaterThan(0.75);
    expect(ringCheap / ringBranded).toBeLessThan(1);
  });

  it('reuse product photos among their listings sometimes', () => {
    const inRing = new Set(truth.rings.flatMap((r) => r.seller_ids));
    const sellersOf = new Map<string, Set<string>>();
    for (const l of market.listings as Listing[]) {
      if (l.image_hash === undefined || !inRing.has(l.seller_id)) continue;
      const s = sellersOf.get(l.image_hash) ?? new Set<string>();
      s.add(l.seller_id);
      sellersOf.set(l.image_hash, s);
    }
    expect([...sellersOf.values()].filter((s) => s.size >= 2).length).toBeGreaterThan(0);
  });
});

describe('honest look-alikes and hubs', () => {
  it('neighbours in one building get different address keys, in one street', () => {
    const registered = new Map(
      (market.addresses as Address[]).filter((a) => a.role === 'registered').map((a) => [a.seller_id, addressKey(a)]),
    );
    for (const group of truth.honest_groups.filter((g) => g.kind === 'same_building')) {
      const keys = group.seller_ids.map((id) => registered.get(id) as string);
      expect(new Set(keys).size, group.group_id).toBe(group.seller_ids.length);
      // Same country, city and street words: only the units differ.
      expect(new Set(keys.map((k) => k.split('|').slice(0, 3).join('|'))).size, group.group_id).toBe(1);
    }
  });

  it('multi-store owners share accounts, phone and address', () => {
    for (const group of truth.honest_groups.filter((g) => g.kind === 'multi_store_owner')) {
      const members = new Set(group.seller_ids);
      for (const kind of ['payment_account', 'phone', 'address', 'carrier_account']) {
        const everyone = [...(index.kinds.get(kind)?.values() ?? [])].some(
          (sellers) => [...members].every((m) => sellers.has(m)),
        );
        expect(everyone, `${group.group_id} ${kind}`).toBe(true);
      }
    }
  });

  it('have fulfilment centres, carrier hubs and payment aggregators shared by many stores', () => {
    const biggest = (kind: string): number => Math.max(...[...(index.kinds.get(kind)?.values() ?? [])].map((s) => s.size));
    expect(biggest('payment_account')).toBeGreaterThan(200);
    expect(biggest('address')).toBeGreaterThan(HUB_LIMIT);
    expect(biggest('carrier_account')).toBeGreaterThan(HUB_LIMIT);
    expect(biggest('origin')).toBeGreaterThan(HUB_LIMIT);
  });

  it('honest solo stores share no strong identifier outside hubs', () => {
    const grouped = new Set([...truth.rings, ...truth.honest_groups].flatMap((g) => g.seller_ids));
    for (const kind of ['payment_account', 'phone', 'carrier_account', 'address']) {
      for (const sellers of index.kinds.get(kind)?.values() ?? []) {
        if (sellers.size < 2 || sellers.size > HUB_LIMIT) continue;
        expect([...sellers].every((s) => grouped.has(s)), `${kind} ${[...sellers].join(',')}`).toBe(true);
      }
    }
  });
});

describe('messy identifiers', () => {
  it('write one phone in several forms that all normalise to one E.164 number', () => {
    const forms = new Map<string, Set<string>>();
    for (const l of market.shipping_links as ShippingLink[]) {
      if (l.sender_phone === undefined) continue;
      const key = normalisePhone(l.sender_phone, l.origin?.country) ?? normalisePhone(l.sender_phone, 'CN');
      const shape = l.sender_phone.startsWith('+') ? (l.sender_phone.includes(' ') ? 'intl-spaced' : 'intl') : l.sender_phone.startsWith('00') ? '00' : l.sender_phone.startsWith('(+') ? 'bracketed' : /^[０-９＋（]/.test(l.sender_phone) ? 'full-width' : 'national';
      const s = forms.get(shape) ?? new Set<string>();
      if (key !== null) s.add(key);
      forms.set(shape, s);
    }
    expect([...forms.keys()].sort()).toEqual(['00', 'bracketed', 'full-width', 'intl', 'intl-spaced', 'national']);
    for (const s of market.sellers as Seller[]) {
      if (s.phone !== undefined) expect(normalisePhone(s.phone, s.country), s.phone).not.toBeNull();
    }
  });

  it('write account ids with spaces, dashes, dots and mixed case', () => {
    const raws = (market.payment_accounts as PaymentAccount[]).map((a) => a.account_id);
    expect(raws.some((r) => r.includes(' '))).toBe(true);
    expect(raws.some((r) => r.includes('-'))).toBe(true);
    expect(raws.some((r) => r.includes('.'))).toBe(true);
    expect(raws.some((r) => /[a-z]/.test(r))).toBe(true);
    const variants = new Map<string, Set<string>>();
    for (const raw of raws) {
      const key = normaliseAccountId(raw) as string;
      variants.set(key, (variants.get(key) ?? new Set()).add(raw));
    }
    expect([...variants.values()].some((v) => v.size >= 3)).toBe(true);
  });

  it('write one address in several forms with one key', () => {
    const variants = new Map<string, Set<string>>();
    for (const a of market.addresses as Address[]) {
      const key = addressKey(a);
      variants.set(key, (variants.get(key) ?? new Set()).add(JSON.stringify([a.line1, a.line2, a.city])));
    }
    expect([...variants.values()].some((v) => v.size >= 5)).toBe(true);
  });
});
