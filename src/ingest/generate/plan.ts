/**
 * The plan of a synthetic market, made before any record is written: which stores belong to a
 * counterfeit ring, an honest multi-store owner or a shared building; what each ring shares;
 * which fulfilment hubs and payment aggregators exist. The plan holds only the groups (a few
 * percent of the stores) plus one Int32 per store for its group, so it stays small at millions
 * of stores; the records themselves are made one store at a time while writing.
 */
import { BRAND_CATALOGUE, type BrandEntry } from './catalogue.ts';
import { COUNTRY_CODES, COUNTRY_WEIGHTS, type CountryCode } from './geo.ts';
import {
  type Account,
  type CarrierAccount,
  type IdentityFactory,
  type Phone,
  type Place,
  unitOf,
} from './identities.ts';
import type { Random } from './random.ts';
import type { DonorPlan, FamilyPlan, FranchisePlan, OutletPlan } from './adversarial.ts';
import type { RingKind } from '../../analysis/marketTruth.ts';
import { DAY_MS } from '../../analysis/time.ts';
import { RingwatchError } from '../../errors.ts';

/** The market's history: stores register between these instants. */
export const MARKET_START_MS = Date.UTC(2019, 0, 1);
export const MARKET_END_MS = Date.UTC(2025, 9, 1);
const SPAN_DAYS = Math.floor((MARKET_END_MS - MARKET_START_MS) / DAY_MS);

/** Which of a ring's shared identifiers one member uses (indices into the ring's pools). */
export interface MemberUse {
  accounts: number[];
  phones: number[];
  places: number[];
  carriers: number[];
  /** The mule account bridging this member's ring to another ring. */
  mule?: Account;
  /**
   * Camouflaged rings: the honest stores' carrier accounts this member ships with, and the photos
   * it reuses, per honest store it copies.
   */
  donors?: { carriers: CarrierAccount[]; images: string[][] };
}

export interface RingPlan {
  ringId: string;
  kind: RingKind;
  country: CountryCode;
  brands: BrandEntry[];
  /** Seller indices, ascending (filled in by placement). */
  members: number[];
  accounts: Account[];
  phones: Phone[];
  /** Return addresses / shipping origins the ring's stores share. */
  places: Place[];
  carriers: CarrierAccount[];
  /** Product photos the ring's listings reuse, per brand name. */
  images: Map<string, string[]>;
  /** Per member, in the order of `members`. */
  uses: MemberUse[];
  burstStartMs: number;
  burstDays: number;
  bridgedWith: number | null;
  storeStem: string;
  /**
   * Super-fake rings: the member (ordinal) whose first listing is the ring's test purchase, and
   * that listing once written (listing ids are given while writing).
   */
  testPurchase?: { member: number; listing?: { listingId: string; brand: string } };
}

export interface OwnerPlan {
  groupId: string;
  country: CountryCode;
  members: number[];
  phone: Phone;
  accounts: Account[];
  place: Place;
  carrier: CarrierAccount;
  storeStem: string;
  brands: BrandEntry[];
  usesAggregator: number | null;
  usesWarehouse: number | null;
}

export interface BuildingPlan {
  groupId: string;
  country: CountryCode;
  members: number[];
  /** One place per member: the same building, each its own room. */
  rooms: Place[];
}

export interface Hubs {
  warehouses: Place[];
  carriers: CarrierAccount[];
  aggregators: Account[];
  /** The brands' own product photos, which honest resellers reuse. */
  stockImages: Map<string, string[]>;
}

export interface MarketPlan {
  sellers: number;
  /**
   * Per seller index: group number or -1. Groups are numbered rings first, then owners,
   * buildings, franchises, outlets and families (`groupRanges`).
   */
  groupOf: Int32Array;
  rings: RingPlan[];
  owners: OwnerPlan[];
  buildings: BuildingPlan[];
  /** Honest look-alikes of the adversarial preset (src/ingest/generate/adversarial.ts); empty in the classic one. */
  franchises: FranchisePlan[];
  outlets: OutletPlan[];
  families: FamilyPlan[];
  /** Honest solo stores (group -1) whose carrier account or photos camouflaged rings copy, by seller index. */
  donors: Map<number, DonorPlan>;
  hubs: Hubs;
}

/** The kinds of planted group, in the order `groupOf` numbers them. */
export const GROUP_ORDER = ['rings', 'owners', 'buildings', 'franchises', 'outlets', 'families'] as const;
export type GroupList = (typeof GROUP_ORDER)[number];

/** Total number of planted groups (the length of `groupOf`'s group numbering). */
export function groupCount(plan: MarketPlan): number {
  return GROUP_ORDER.reduce((n, list) => n + plan[list].length, 0);
}

/** Which list a group number is in, and its index there. */
export function groupAt(plan: MarketPlan, g: number): { list: GroupList; index: number } {
  let index = g;
  for (const list of GROUP_ORDER) {
    if (index < plan[list].length) return { list, index };
    index -= plan[list].length;
  }
  throw new Error(`no group ${g} in the plan`);
}

/** Share of stores run by honest multi-store owners, and in buildings shared with other businesses. */
export const OWNER_STORE_SHARE = 0.012;
export const BUILDING_STORE_SHARE = 0.015;
/** Planted groups may take at most this share of the stores, so honest solo stores stay the vast majority. */
export const MAX_GROUPED_SHARE = 0.45;

/** A country drawn by the market's seller mix (mostly CN). */
export function pickCountry(r: Random): CountryCode {
  return COUNTRY_CODES[r.weightedIndex(COUNTRY_WEIGHTS)] as CountryCode;
}

/** Ring sizes: mostly 3–10 stores, a tenth of rings 15–60 (counterfeit networks are skewed small). */
export function ringSize(r: Random): number {
  if (r.chance(0.9)) return r.count(3, 7, 60);
  return r.between(15, 60);
}

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Chan', 'Wong', 'Lee', 'Smith', 'Patel', 'Kumar', 'Müller', 'Jones'];
const GIVEN = ['Wei', 'Fang', 'Jun', 'Lei', 'Min', 'Ying', 'Ka Ming', 'Mei', 'John', 'Priya', 'Anna', 'Raj', 'Tom', 'Lukas', 'Sarah', 'Hui'];

/** A romanised personal name, for account holders. */
export function personName(r: Random): string {
  return `${r.pick(GIVEN)} ${r.pick(SURNAMES)}`;
}

export const RING_STEMS = ['Lux', 'Designer', 'Brand', 'Luxe', 'Elite', 'Premium', 'Vogue', 'Icon', 'Maison', 'Chic'];
const RING_TAILS = ['Outlet', 'Deals', 'Factory Store', 'Warehouse', 'Corner', 'Closet', 'Hub', 'Boutique'];
export const HONEST_ADJ = ['Sunny', 'Blue', 'Golden', 'Happy', 'Bright', 'Green', 'Lucky', 'Silver', 'Urban', 'Cozy', 'Fresh', 'Royal', 'Smart', 'Prime', 'Little'];
export const HONEST_NOUN = ['Harbor', 'Lotus', 'Maple', 'Panda', 'River', 'Cloud', 'Oak', 'Bamboo', 'Star', 'Pine', 'Coral', 'Willow', 'Stone', 'Tiger', 'Peach'];
const HONEST_TAIL = ['Store', 'Shop', 'Trading', 'Home', 'Goods', 'Mart', 'Supplies', 'Emporium', 'Co'];

/** An ordinary store name ("Sunny Lotus Trading"). */
export function honestStoreName(r: Random): string {
  return `${r.pick(HONEST_ADJ)} ${r.pick(HONEST_NOUN)} ${r.pick(HONEST_TAIL)}`;
}

/** A counterfeit store's name; stores of one ring often share a stem ("Lux Outlet 12"). */
export function ringStoreName(stem: string, r: Random): string {
  return `${r.chance(0.6) ? stem : r.pick(RING_STEMS)} ${r.pick(RING_TAILS)}${r.chance(0.5) ? ` ${r.between(1, 99)}` : ''}`;
}

/** `k` distinct indices of `0..n-1`, each kept with probability `p` (possibly none). */
function subset(n: number, p: number, r: Random): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (r.chance(p)) out.push(i);
  return out;
}

/**
 * Which shared identifiers each member of a ring uses. Each member takes a random subset of each
 * pool; then every member after the first that shares nothing with an earlier member borrows one
 * identifier from a random earlier member. By induction every member is linked to an earlier
 * one, so the ring is connected through shared identifiers and no member is alone — yet no
 * identifier need be on every member (partial sharing, as real rings rotate accounts and phones).
 */
export function assignRingUses(
  size: number,
  pools: { accounts: number; phones: number; places: number; carriers: number },
  r: Random,
): MemberUse[] {
  const kinds = ['accounts', 'phones', 'places', 'carriers'] as const;
  const usedBefore: Record<(typeof kinds)[number], boolean[]> = {
    accounts: new Array<boolean>(pools.accounts).fill(false),
    phones: new Array<boolean>(pools.phones).fill(false),
    places: new Array<boolean>(pools.places).fill(false),
    carriers: new Array<boolean>(pools.carriers).fill(false),
  };
  const uses: MemberUse[] = [];
  for (let m = 0; m < size; m++) {
    const use: MemberUse = { accounts: [], phones: [], places: [], carriers: [] };
    for (const kind of kinds) {
      const n = pools[kind];
      use[kind] = subset(n, Math.min(0.6, Math.max(0.3, 1.2 / n)), r);
    }
    const total = kinds.reduce((sum, kind) => sum + use[kind].length, 0);
    const linked = kinds.some((kind) => use[kind].some((i) => usedBefore[kind][i] === true));
    if (m === 0 && total === 0) {
      use.accounts.push(r.int(pools.accounts));
    } else if (m > 0 && !linked) {
      const earlier = uses[r.int(m)] as MemberUse;
      const options = kinds.flatMap((kind) => earlier[kind].map((i) => [kind, i] as const));
      const [kind, i] = r.pick(options);
      use[kind].push(i);
      use[kind].sort((a, b) => a - b);
    }
    for (const kind of kinds) for (const i of use[kind]) usedBefore[kind][i] = true;
    uses.push(use);
  }
  return uses;
}

/** `count` distinct brands, usually of one trade. */
export function pickBrands(r: Random, count: number): BrandEntry[] {
  const first = r.pick(BRAND_CATALOGUE);
  const brands = [first];
  while (brands.length < count) {
    // Rings usually stay in one trade (bags, watches, …), sometimes branch out.
    const sameCategory = BRAND_CATALOGUE.filter((b) => b.category === first.category && !brands.includes(b));
    const pool = r.chance(0.6) && sameCategory.length > 0 ? sameCategory : BRAND_CATALOGUE.filter((b) => !brands.includes(b));
    brands.push(r.pick(pool));
  }
  return brands;
}

/**
 * Puts `count` members of group `g` on free seller indices in [lo, hi), probing forward from
 * random starts; falls back to the whole market when the window is full.
 */
export function place(groupOf: Int32Array, g: number, count: number, lo: number, hi: number, r: Random): void {
  const n = groupOf.length;
  if (hi - lo < n) {
    // Only ring windows are narrow (a few days of registrations), so this count stays cheap.
    let free = 0;
    for (let i = lo; i < hi; i++) if (groupOf[i] === -1) free++;
    if (free < count) {
      lo = 0;
      hi = n;
    }
  }
  for (let k = 0; k < count; k++) {
    let i = lo + r.int(hi - lo);
    while (groupOf[i] !== -1) i = i + 1 >= hi ? lo : i + 1;
    groupOf[i] = g;
  }
}

/** A handful of hubs, more in bigger markets: each is shared by a few hundred stores in a test
 * market and by tens of thousands in a large one, far beyond any ring either way. */
export function planHubs(sellers: number, r: Random, ids: IdentityFactory): Hubs {
  const hubCount = (perStores: number, min: number, max: number): number =>
    Math.min(max, Math.max(min, Math.round(sellers / perStores)));
  return {
    warehouses: Array.from({ length: hubCount(20_000, 2, 8) }, (_, k) => {
      const country: CountryCode = k % 4 === 3 ? 'HK' : 'CN';
      return { ...ids.building(country, 'centre'), ...unitOf(country, r.between(1, 9), r.int(20), r) };
    }),
    carriers: Array.from({ length: hubCount(20_000, 2, 6) }, () => ids.carrierAccount()),
    aggregators: Array.from({ length: hubCount(50_000, 2, 4) }, () => ids.aggregatorWallet()),
    stockImages: new Map(BRAND_CATALOGUE.map((b) => [b.name, [ids.imageHash()]])),
  };
}

/** Sizes of honest groups of `min`–`max` stores until they hold `share` of the stores. */
export function groupSizes(sellers: number, share: number, min: number, max: number, r: Random): number[] {
  const sizes: number[] = [];
  for (let seats = 0; seats < sellers * share; ) {
    const s = r.between(min, max);
    sizes.push(s);
    seats += s;
  }
  return sizes;
}

/** Fails when planted groups would take more than MAX_GROUPED_SHARE of the market. */
export function checkGroupedShare(sellers: number, ringCount: number, ringSeats: number, honestSeats: number): void {
  if (ringSeats + honestSeats > sellers * MAX_GROUPED_SHARE) {
    throw new RingwatchError(
      'INPUT_INVALID',
      `${ringCount} rings need ${ringSeats} stores, too many for a market of ${sellers} sellers ` +
        `(planted groups may take at most ${Math.round(MAX_GROUPED_SHARE * 100)}% of the stores); ` +
        `use more sellers or fewer rings`,
    );
  }
}

/** How many identifiers of each kind a ring's stores share between them. */
export interface RingPools {
  accounts: number;
  phones: number;
  places: number;
  carriers: number;
}

/** What makes one kind of ring: its pools, which member uses which pool entry, whether it reuses photos. */
export interface RingShape {
  pools: (size: number, r: Random) => RingPools;
  uses: (size: number, pools: RingPools, r: Random) => MemberUse[];
  /** Whether the ring's listings reuse a few product photos of its own (linking its stores). */
  sharesImages: boolean;
}

/** Today's rings: 1–4 of each identifier (2–4 in rings of 15 or more), shared partially. */
export const CLASSIC_SHAPE: RingShape = {
  pools: (size, r) => {
    const big = size >= 15;
    return {
      accounts: big ? r.between(2, 4) : r.between(1, 4),
      phones: big ? r.between(2, 4) : r.between(1, 4),
      places: big ? r.between(2, 4) : r.between(1, 4),
      carriers: r.between(1, 3),
    };
  },
  uses: assignRingUses,
  sharesImages: true,
};

/**
 * Plans ring `g` of `size` stores of `kind` shaped by `shape` (identifiers, brands, photos,
 * registration burst) and places its members on seller indices registered in its burst.
 */
export function planRing(
  g: number,
  size: number,
  kind: RingKind,
  shape: RingShape,
  groupOf: Int32Array,
  r: Random,
  ids: IdentityFactory,
): RingPlan {
  const sellers = groupOf.length;
  const country: CountryCode = r.chance(0.7) ? 'CN' : r.chance(0.7) ? 'HK' : pickCountry(r);
  const pools = shape.pools(size, r);
  const brands = pickBrands(r, r.weightedIndex([5, 3, 2]) + 1);
  const burstDay = r.int(SPAN_DAYS - 60);
  const burstDays = r.between(1, 5);
  const holder = personName(r);
  const ring: RingPlan = {
    ringId: `T-${String(g + 1).padStart(4, '0')}`,
    kind,
    country,
    brands,
    members: [],
    accounts: Array.from({ length: pools.accounts }, () =>
      ids.account(country, r.pick(['bank', 'bank', 'wallet', 'card'] as const), r.chance(0.5) ? holder : personName(r)),
    ),
    phones: Array.from({ length: pools.phones }, () => ids.phone(country)),
    places: Array.from({ length: pools.places }, () => ids.place(country)),
    carriers: Array.from({ length: pools.carriers }, () => ids.carrierAccount()),
    images: shape.sharesImages
      ? new Map(brands.map((b) => [b.name, Array.from({ length: r.between(1, 4) }, () => ids.imageHash())]))
      : new Map(),
    uses: shape.uses(size, pools, r),
    burstStartMs: MARKET_START_MS + burstDay * DAY_MS,
    burstDays,
    bridgedWith: null,
    storeStem: r.pick(RING_STEMS),
  };
  // Members register within a few days; with sellers numbered by registration, their ids
  // cluster in the stretch of the market that registered in those days.
  const pos = Math.floor((burstDay / SPAN_DAYS) * sellers);
  const window = Math.max(size * 3, Math.ceil((sellers * burstDays) / SPAN_DAYS));
  const lo = Math.max(0, Math.min(pos, sellers - window));
  place(groupOf, g, size, lo, Math.min(sellers, lo + window), r);
  return ring;
}

/** Joins `pairs` pairs of the rings `candidates` (indices, already shuffled) by one mule account each. */
export function bridgePairs(rings: RingPlan[], candidates: readonly number[], pairs: number, r: Random, ids: IdentityFactory): void {
  for (let p = 0; p < pairs; p++) {
    const a = rings[candidates[2 * p] as number] as RingPlan;
    const b = rings[candidates[2 * p + 1] as number] as RingPlan;
    const mule = ids.account(a.country, 'bank', personName(r));
    (a.uses[r.int(a.uses.length)] as MemberUse).mule = mule;
    (b.uses[r.int(b.uses.length)] as MemberUse).mule = mule;
    a.bridgedWith = candidates[2 * p + 1] as number;
    b.bridgedWith = candidates[2 * p] as number;
  }
}

/** An honest owner of several stores (group `k` of the owners), who shares everything. */
export function planOwner(k: number, hubs: Hubs, r: Random, ids: IdentityFactory): OwnerPlan {
  const country = pickCountry(r);
  const holder = personName(r);
  return {
    groupId: `H-${String(k + 1).padStart(4, '0')}`,
    country,
    members: [],
    phone: ids.phone(country),
    accounts: Array.from({ length: r.between(1, 2) }, () => ids.account(country, 'bank', holder)),
    place: ids.place(country),
    carrier: ids.carrierAccount(),
    storeStem: `${r.pick(HONEST_ADJ)} ${r.pick(HONEST_NOUN)}`,
    brands: Array.from({ length: r.between(1, 3) }, () => r.pick(BRAND_CATALOGUE)),
    usesAggregator: r.chance(0.3) ? r.int(hubs.aggregators.length) : null,
    usesWarehouse: r.chance(0.3) ? r.int(hubs.warehouses.length) : null,
  };
}

/** Neighbours of `size` businesses in one building, each in its own room. */
export function planBuilding(groupId: string, size: number, r: Random, ids: IdentityFactory): BuildingPlan {
  const country = r.pick(['CN', 'CN', 'HK', 'HK', 'IN', 'GB', 'US'] as const);
  const building = ids.building(country, r.chance(0.7) ? 'building' : 'tower');
  const rooms = neighbourRooms(size, r).map((room) => ({
    ...building,
    room: String(room),
    ...(country !== 'GB' && country !== 'US' && r.chance(0.4) ? { floor: Math.floor(room / 100) } : {}),
  }));
  return { groupId, country, members: [], rooms };
}

/** Fills every group's `members` in seller order: a store's position among them is its member ordinal. */
export function fillMembers(plan: MarketPlan): void {
  const all: { members: number[] }[] = GROUP_ORDER.flatMap((list) => plan[list] as { members: number[] }[]);
  for (let i = 0; i < plan.sellers; i++) {
    const group = plan.groupOf[i] as number;
    if (group >= 0) (all[group] as { members: number[] }).members.push(i);
  }
}

/** A group id `H-0001`… for the `n`-th honest group (1-based). */
export function honestGroupId(n: number): string {
  return `H-${String(n).padStart(4, '0')}`;
}

/**
 * Decides the whole market before writing (the classic preset): hubs, rings (sizes, shared
 * identifiers, bursts, mule bridges), honest owners and shared buildings, and the group of every
 * store index.
 */
export function planMarket(
  sellers: number,
  ringCount: number,
  r: Random,
  ids: IdentityFactory,
): MarketPlan {
  const groupOf = new Int32Array(sellers).fill(-1);
  const hubs = planHubs(sellers, r, ids);

  // Rings: sizes first, so that an impossible request fails before any work.
  const sizes = Array.from({ length: ringCount }, () => ringSize(r));
  const ringSeats = sizes.reduce((a, b) => a + b, 0);
  const ownerSizes = groupSizes(sellers, OWNER_STORE_SHARE, 2, 6, r);
  const buildingSizes = groupSizes(sellers, BUILDING_STORE_SHARE, 2, 8, r);
  checkGroupedShare(sellers, ringCount, ringSeats, [...ownerSizes, ...buildingSizes].reduce((a, b) => a + b, 0));

  const rings = sizes.map((size, g) => planRing(g, size, 'classic', CLASSIC_SHAPE, groupOf, r, ids));

  // About 10% of rings come in pairs joined by one mule account: one store of each ring uses it.
  const order = r.shuffle(Array.from({ length: ringCount }, (_, i) => i));
  bridgePairs(rings, order, ringCount >= 2 ? Math.max(1, Math.round(ringCount * 0.05)) : 0, r, ids);

  let g = ringCount;
  const owners = ownerSizes.map((size, k) => {
    const plan = planOwner(k, hubs, r, ids);
    place(groupOf, g++, size, 0, sellers, r);
    return plan;
  });
  const buildings = buildingSizes.map((size, k) => {
    const plan = planBuilding(honestGroupId(owners.length + k + 1), size, r, ids);
    place(groupOf, g++, size, 0, sellers, r);
    return plan;
  });

  const plan: MarketPlan = { sellers, groupOf, rings, owners, buildings, franchises: [], outlets: [], families: [], donors: new Map(), hubs };
  fillMembers(plan);
  return plan;
}

/**
 * Room numbers of neighbours in one building, including the near misses a careless key would
 * merge: the same digits swapped (1203/1230), the next door (1204), the same unit a floor up.
 */
function neighbourRooms(count: number, r: Random): number[] {
  const floor = r.between(2, 30);
  const unit = r.between(1, 9);
  const base = floor * 100 + unit;
  const swapped = floor * 100 + unit * 10;
  const candidates = [base, swapped, base + 1, base + 100, base - 100 > 100 ? base - 100 : base + 200, base + 2, swapped + 1, base + 300];
  const rooms: number[] = [];
  for (const c of candidates) if (!rooms.includes(c) && rooms.length < count) rooms.push(c);
  while (rooms.length < count) {
    const c = r.between(101, 3999);
    if (!rooms.includes(c)) rooms.push(c);
  }
  return rooms;
}
