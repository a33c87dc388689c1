import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HONEST_GROUP_KINDS, RING_KINDS, type MarketTruth, type RingKind, type TruthRing } from '../../../../src/analysis/marketTruth.ts';
import { chainUses, ringKinds, sparseUses } from '../../../../src/ingest/generate/adversarial.ts';
import { Random } from '../../../../src/ingest/generate/random.ts';
import { BRAND_CATALOGUE, generateMarket } from '../../../../src/ingest/generate.ts';
import { toGraphRow } from '../../../../src/ingest/graphRows.ts';
import { RECORD_KINDS, validateRecord, type RecordKind, type RecordOfKind } from '../../../../src/ingest/records.ts';

/**
 * The adversarial preset's structure, read back from the files it writes with ingest's own keys
 * (toGraphRow): each ring kind and honest group has the shape it is named for.
 */

const SELLERS = 3000;
const RINGS = 24;
const SEED = 5;
/** Identifiers on more sellers are hubs (warehouses, hub carriers, aggregators, brand stock photos): shared by hundreds here. */
const HUB = 60;

let root: string;
let truth: MarketTruth;
let market: { [K in RecordKind]: RecordOfKind[K][] };
/** `kind|key` → sellers, for every identifier node ingest would link a seller to. */
const sellersOf = new Map<string, Set<string>>();
/** seller → its identifiers. */
const idsOf = new Map<string, Set<string>>();
const price = new Map(BRAND_CATALOGUE.map((b) => [b.name, b.typicalPrice]));

function load<K extends RecordKind>(dir: string, kind: K): RecordOfKind[K][] {
  return readFileSync(join(dir, `${kind}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const result = validateRecord(kind, JSON.parse(line));
      if (!result.ok) throw new Error(`${kind}: ${result.reason}`);
      return result.record;
    });
}

function link(kind: string, key: unknown, seller: string): void {
  if (key === null || key === undefined) return;
  const id = `${kind}|${String(key)}`;
  let sellers = sellersOf.get(id);
  if (sellers === undefined) sellersOf.set(id, (sellers = new Set()));
  sellers.add(seller);
  let ids = idsOf.get(seller);
  if (ids === undefined) idsOf.set(seller, (ids = new Set()));
  ids.add(id);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ringwatch-adversarial-'));
  const dir = join(root, 'market');
  await generateMarket({ outDir: dir, sellers: SELLERS, rings: RINGS, seed: SEED, truthFile: join(root, 'truth.json'), preset: 'adversarial' });
  truth = JSON.parse(readFileSync(join(root, 'truth.json'), 'utf8')) as MarketTruth;
  market = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, load(dir, kind)])) as typeof market;
  const countries = new Map(market.sellers.map((s) => [s.seller_id, s.country]));
  const countryOf = (id: string) => countries.get(id);
  for (const kind of RECORD_KINDS) {
    for (const record of market[kind]) {
      const row = toGraphRow(kind, record as never, countryOf);
      const seller = String(row.sellerId);
      link('phone', row.phoneKey, seller);
      link('paymentAccount', row.accountKey, seller);
      link('carrierAccount', row.carrierAccountKey, seller);
      // Addresses and shipping origins meet on one Address node.
      link('address', row.addressKey, seller);
      link('address', row.originKey, seller);
      link('imageHash', row.imageHash, seller);
    }
  }
  planted = new Set([...truth.rings, ...truth.honest_groups].flatMap((g) => g.seller_ids));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const ringsOf = (kind: RingKind): TruthRing[] => truth.rings.filter((r) => r.kind === kind);
const groupsOf = (kind: string) => truth.honest_groups.filter((g) => g.kind === kind);
const kindOf = (id: string) => id.slice(0, id.indexOf('|'));

let planted: Set<string>;
const honestSolo = (s: string) => !planted.has(s);

/**
 * Hubs: identifiers on more than HUB sellers, and the brands' stock photos, which honest solo
 * stores share with each other (no other photo is on three honest solo stores).
 */
function isHub(id: string): boolean {
  const sellers = sellersOf.get(id)!;
  return sellers.size > HUB || (kindOf(id) === 'imageHash' && [...sellers].filter(honestSolo).length >= 3);
}

/** Non-hub identifiers a seller shares with at least one other seller. */
function ties(seller: string): string[] {
  return [...(idsOf.get(seller) ?? [])].filter((id) => sellersOf.get(id)!.size >= 2 && !isHub(id));
}

/** Identifiers shared by two or more of `members` and by nobody else (however many: a big ring's may pass HUB). */
function privateIds(members: readonly string[]): string[] {
  const inside = new Set(members);
  const out = new Set<string>();
  for (const m of members) {
    for (const id of idsOf.get(m) ?? []) {
      const sellers = sellersOf.get(id)!;
      if (sellers.size >= 2 && [...sellers].every((s) => inside.has(s))) out.add(id);
    }
  }
  return [...out];
}

/** Number of components of `members` linked by the identifiers `ids`. */
function components(members: readonly string[], ids: readonly string[]): number {
  const parent = new Map(members.map((m) => [m, m]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const id of ids) {
    const inside = [...sellersOf.get(id)!].filter((s) => parent.has(s));
    for (const s of inside.slice(1)) parent.set(find(s), find(inside[0]!));
  }
  return new Set(members.map(find)).size;
}

const brandedListings = (members: readonly string[]) => {
  const inside = new Set(members);
  return market.listings.filter((l) => inside.has(l.seller_id) && l.brand !== undefined);
};

describe('the adversarial truth file', () => {
  it('names a kind for every ring, the six kinds in equal shares, and every honest group by kind', () => {
    expect(truth.rings).toHaveLength(RINGS);
    for (const kind of RING_KINDS) expect(ringsOf(kind), kind).toHaveLength(RINGS / RING_KINDS.length);
    for (const kind of HONEST_GROUP_KINDS) expect(groupsOf(kind).length, kind).toBeGreaterThan(0);
    // One franchise per 2,000 stores, one outlet per 1,000, one family per 125.
    expect(groupsOf('franchise')).toHaveLength(2);
    expect(groupsOf('outlet')).toHaveLength(3);
    expect(groupsOf('family')).toHaveLength(24);
    const seen = new Set<string>();
    for (const id of [...truth.rings, ...truth.honest_groups].flatMap((g) => g.seller_ids)) {
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
    // Honest solo stores stay the majority.
    expect(seen.size).toBeLessThan(SELLERS * 0.5);
  });

  it('names one test purchase per super-fake ring: a branded listing of one of its stores, of a catalogue brand', () => {
    const listings = new Map(market.listings.map((l) => [l.listing_id, l]));
    for (const ring of truth.rings) {
      if (ring.kind !== 'super_fake') {
        expect(ring.test_purchase, ring.ring_id).toBeUndefined();
        continue;
      }
      const purchase = ring.test_purchase!;
      const listing = listings.get(purchase.listing_id);
      expect(listing, ring.ring_id).toBeDefined();
      expect(ring.seller_ids).toContain(listing!.seller_id);
      expect(listing!.brand).toBe(purchase.brand);
      expect(price.has(purchase.brand)).toBe(true);
    }
  });

  it('is deterministic for a seed', async () => {
    const again = join(root, 'again');
    await generateMarket({ outDir: again, sellers: SELLERS, rings: RINGS, seed: SEED, truthFile: join(root, 'again.json'), preset: 'adversarial' });
    for (const kind of RECORD_KINDS) {
      expect(readFileSync(join(again, `${kind}.ndjson`)).equals(readFileSync(join(root, 'market', `${kind}.ndjson`))), kind).toBe(true);
    }
    expect(readFileSync(join(root, 'again.json'), 'utf8')).toBe(readFileSync(join(root, 'truth.json'), 'utf8'));
  });
});

describe('adversarial rings', () => {
  it('classic, camouflaged and super-fake rings are connected through identifiers of their own', () => {
    for (const ring of [...ringsOf('classic'), ...ringsOf('camouflaged'), ...ringsOf('super_fake'), ...ringsOf('big')]) {
      expect(components(ring.seller_ids, privateIds(ring.seller_ids)), ring.ring_id).toBe(1);
    }
  });

  it('chain: 5–12 stores, each tied only to the previous and the next one, by one payment account or phone', () => {
    for (const ring of ringsOf('chain')) {
      const members = ring.seller_ids; // in seller order, which is chain order
      expect(members.length).toBeGreaterThanOrEqual(5);
      expect(members.length).toBeLessThanOrEqual(12);
      const position = new Map(members.map((m, i) => [m, i]));
      const links = new Set<string>();
      for (const m of members) {
        for (const id of ties(m)) {
          const sellers = [...sellersOf.get(id)!];
          // Two stores, neighbours in the chain, through an account or a phone: nothing else.
          expect(sellers, `${ring.ring_id} ${id}`).toHaveLength(2);
          const [a, b] = sellers.map((s) => position.get(s));
          expect(a !== undefined && b !== undefined && Math.abs(a - b) === 1, `${ring.ring_id} ${id}`).toBe(true);
          expect(['paymentAccount', 'phone']).toContain(kindOf(id));
          links.add(id);
        }
      }
      // Exactly one identifier per neighbour pair.
      expect(links.size, ring.ring_id).toBe(members.length - 1);
      expect(components(members, [...links])).toBe(1);
    }
  });

  it('big: 60–150 stores sharing pools of several accounts, phones and addresses, none on every store', () => {
    for (const ring of ringsOf('big')) {
      const n = ring.seller_ids.length;
      expect(n).toBeGreaterThanOrEqual(60);
      expect(n).toBeLessThanOrEqual(150);
      const own = privateIds(ring.seller_ids);
      expect(own.filter((id) => kindOf(id) === 'paymentAccount').length, ring.ring_id).toBeGreaterThanOrEqual(3);
      expect(own.filter((id) => kindOf(id) === 'phone').length, ring.ring_id).toBeGreaterThanOrEqual(3);
      expect(own.filter((id) => kindOf(id) === 'address').length, ring.ring_id).toBeGreaterThanOrEqual(2);
      for (const id of own) if (kindOf(id) !== 'imageHash') expect(sellersOf.get(id)!.size, `${ring.ring_id} ${id}`).toBeLessThan(n);
    }
  });

  it('camouflaged: every store ships with 1–3 honest solo stores\' carrier accounts and most listings reuse honest solo stores\' photos', () => {
    const imageSellers = new Map<string, Set<string>>();
    for (const l of market.listings) {
      if (l.image_hash === undefined) continue;
      const key = l.image_hash.toLowerCase();
      imageSellers.set(key, (imageSellers.get(key) ?? new Set()).add(l.seller_id));
    }
    let copied = 0;
    let listings = 0;
    for (const ring of ringsOf('camouflaged')) {
      for (const m of ring.seller_ids) {
        const carriers = ties(m).filter((id) => kindOf(id) === 'carrierAccount' && [...sellersOf.get(id)!].some(honestSolo));
        expect(carriers.length, m).toBeGreaterThanOrEqual(1);
        expect(carriers.length, m).toBeLessThanOrEqual(3);
        const photoDonors = new Set(
          ties(m)
            .filter((id) => kindOf(id) === 'imageHash')
            .flatMap((id) => [...sellersOf.get(id)!].filter(honestSolo)),
        );
        expect(photoDonors.size, m).toBeGreaterThanOrEqual(2);
        for (const l of market.listings.filter((x) => x.seller_id === m)) {
          listings++;
          const others = l.image_hash === undefined ? [] : [...imageSellers.get(l.image_hash.toLowerCase())!];
          if (l.image_hash !== undefined && others.some(honestSolo) && !isHub(`imageHash|${l.image_hash.toLowerCase()}`)) copied++;
        }
      }
    }
    expect(copied / listings).toBeGreaterThan(0.6);
    // Classic rings copy nobody: their stores share no carrier account with honest solo stores.
    for (const ring of ringsOf('classic')) {
      for (const m of ring.seller_ids) {
        expect(ties(m).filter((id) => kindOf(id) === 'carrierAccount' && [...sellersOf.get(id)!].some(honestSolo)), m).toEqual([]);
      }
    }
  });

  it('super_fake: branded goods at 55–90% of the list price (a few honest-looking ones within ±25%), never cheap', () => {
    for (const ring of ringsOf('super_fake')) {
      const branded = brandedListings(ring.seller_ids);
      expect(branded.length).toBeGreaterThan(0);
      let nearRetail = 0;
      for (const l of branded) {
        const ratio = l.price / price.get(l.brand!)!;
        expect(ratio, l.listing_id).toBeGreaterThanOrEqual(0.55);
        expect(ratio, l.listing_id).toBeLessThanOrEqual(1.25);
        if (ratio <= 0.9) nearRetail++;
      }
      expect(nearRetail / branded.length, ring.ring_id).toBeGreaterThan(0.8);
      const purchase = market.listings.find((l) => l.listing_id === ring.test_purchase!.listing_id)!;
      expect(purchase.price / price.get(purchase.brand!)!).toBeLessThanOrEqual(0.9);
    }
  });

  it('sparse: every store tied through one or two identifiers of the operator, nothing else shared', () => {
    for (const ring of ringsOf('sparse')) {
      const own = privateIds(ring.seller_ids);
      expect(own.length, ring.ring_id).toBeGreaterThanOrEqual(1);
      expect(own.length, ring.ring_id).toBeLessThanOrEqual(2);
      for (const id of own) expect(['paymentAccount', 'phone']).toContain(kindOf(id));
      for (const m of ring.seller_ids) {
        // Every tie of every store is one of the operator's identifiers.
        expect(ties(m).every((id) => own.includes(id)), m).toBe(true);
        expect(ties(m).length, m).toBeGreaterThanOrEqual(1);
      }
      expect(components(ring.seller_ids, own)).toBe(1);
    }
  });
});

describe('adversarial honest groups', () => {
  const onEveryone = (members: readonly string[], kind: string) =>
    [...sellersOf].some(([id, sellers]) => kindOf(id) === kind && members.every((m) => sellers.has(m)));
  const sharedByTwo = (members: readonly string[], kind: string) =>
    [...sellersOf].some(([id, sellers]) => kindOf(id) === kind && members.filter((m) => sellers.has(m)).length >= 2);

  it('franchise: 10–30 stores sharing account, phone, address and carrier, sharing photos, genuine goods at list price', () => {
    for (const group of groupsOf('franchise')) {
      const members = group.seller_ids;
      expect(members.length).toBeGreaterThanOrEqual(10);
      expect(members.length).toBeLessThanOrEqual(30);
      for (const kind of ['paymentAccount', 'phone', 'address', 'carrierAccount']) expect(onEveryone(members, kind), `${group.group_id} ${kind}`).toBe(true);
      expect(sharedByTwo(members, 'imageHash')).toBe(true);
      for (const l of brandedListings(members)) {
        const ratio = l.price / price.get(l.brand!)!;
        expect(ratio).toBeGreaterThanOrEqual(0.9);
        expect(ratio).toBeLessThanOrEqual(1.1);
      }
      expect(market.listings.some((l) => members.includes(l.seller_id) && l.brand === undefined)).toBe(false);
    }
  });

  it('outlet: 3–8 stores shipping from one warehouse with one carrier account, own accounts and phones, 60–85% of list', () => {
    for (const group of groupsOf('outlet')) {
      const members = group.seller_ids;
      expect(members.length).toBeGreaterThanOrEqual(3);
      expect(members.length).toBeLessThanOrEqual(8);
      expect(onEveryone(members, 'address')).toBe(true);
      expect(onEveryone(members, 'carrierAccount')).toBe(true);
      expect(sharedByTwo(members, 'paymentAccount'), group.group_id).toBe(false);
      expect(sharedByTwo(members, 'phone'), group.group_id).toBe(false);
      const branded = brandedListings(members);
      expect(branded.length).toBeGreaterThan(0);
      for (const l of branded) {
        const ratio = l.price / price.get(l.brand!)!;
        expect(ratio).toBeGreaterThanOrEqual(0.6);
        expect(ratio).toBeLessThanOrEqual(0.85);
      }
    }
  });

  it('family: 2–4 stores at one home address, each with its own accounts and phones, honest prices', () => {
    for (const group of groupsOf('family')) {
      const members = group.seller_ids;
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(members.length).toBeLessThanOrEqual(4);
      const registered = new Set(
        market.addresses.filter((a) => members.includes(a.seller_id) && a.role === 'registered').map((a) => toGraphRow('addresses', a, () => undefined).addressKey),
      );
      expect(registered.size, group.group_id).toBe(1);
      const own = privateIds(members);
      expect(own.map(kindOf).every((kind) => kind === 'address'), group.group_id).toBe(true);
      for (const l of brandedListings(members)) {
        const ratio = l.price / price.get(l.brand!)!;
        expect(ratio).toBeGreaterThanOrEqual(0.75);
        expect(ratio).toBeLessThanOrEqual(1.25);
      }
    }
  });
});

describe('adversarial parts', () => {
  it('ringKinds deals the six kinds round, shuffled', () => {
    const kinds = ringKinds(14, new Random(3));
    const counts = RING_KINDS.map((kind) => kinds.filter((k) => k === kind).length);
    expect(counts.reduce((a, b) => a + b)).toBe(14);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('chainUses: link j joins members j and j+1 only', () => {
    const uses = chainUses(6, { accounts: 2, phones: 3, places: 0, carriers: 0 }, new Random(9));
    const holders = new Map<string, number[]>();
    uses.forEach((use, m) => {
      for (const i of use.accounts) holders.set(`a${i}`, [...(holders.get(`a${i}`) ?? []), m]);
      for (const i of use.phones) holders.set(`p${i}`, [...(holders.get(`p${i}`) ?? []), m]);
      expect(use.places).toEqual([]);
      expect(use.carriers).toEqual([]);
    });
    expect(holders.size).toBe(5);
    expect([...holders.values()].map(([a, b]) => [a, b! - a!]).sort((x, y) => x[0]! - y[0]!)).toEqual([0, 1, 2, 3, 4].map((j) => [j, 1]));
  });

  it('sparseUses: every member carries the account or the phone; with both, one member carries both', () => {
    const r = new Random(4);
    expect(sparseUses(5, { accounts: 1, phones: 0, places: 0, carriers: 0 }, r).every((u) => u.accounts[0] === 0 && u.phones.length === 0)).toBe(true);
    expect(sparseUses(5, { accounts: 0, phones: 1, places: 0, carriers: 0 }, r).every((u) => u.phones[0] === 0 && u.accounts.length === 0)).toBe(true);
    const both = sparseUses(9, { accounts: 1, phones: 1, places: 0, carriers: 0 }, r);
    expect(both.every((u) => u.accounts.length + u.phones.length >= 1)).toBe(true);
    expect(both.filter((u) => u.accounts.length === 1 && u.phones.length === 1)).toHaveLength(1);
  });
});
