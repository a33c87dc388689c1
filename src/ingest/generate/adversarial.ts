/**
 * The adversarial preset of the synthetic market (`ringwatch generate --preset adversarial`,
 * docs/detection.md "Evaluation"): rings that try not to look like rings, and honest groups that
 * look like rings. It plans on top of the classic plan's parts (hubs, ring planning, owners,
 * buildings, placement; plan.ts) and adds:
 *
 * - rings of six kinds in about equal shares (`RING_KINDS`): `classic`; `chain` (5–12 stores,
 *   each tied to the next by one payment account or phone, nothing else); `big` (60–150 stores
 *   sharing pools of 3–6 accounts and phones and 2–5 addresses partially); `camouflaged`
 *   (classic-like, each member also shipping with the carrier accounts of 1–3 honest solo stores
 *   and reusing, on most listings, the photos of 2–5 others); `super_fake` (classic-like, selling
 *   at 55–90% of the list price, with one test purchase named in the truth); `sparse` (every
 *   store tied only through one or two identifiers of one operator);
 * - honest `franchise`s (10–30 stores sharing everything, genuine goods at list price),
 *   `outlet`s (3–8 stores shipping from one warehouse with one carrier account, genuine goods at
 *   60–85% of list) and `family`s (2–4 stores at one home address, each with its own accounts and
 *   phones), scaled with the market (one franchise per 2,000 stores, one outlet per 1,000, one
 *   family per 125).
 *
 * The stores that camouflaged rings copy from (donors) stay honest solo stores: the plan only
 * decides the carrier account and photos they will use, so that ring members written before them
 * can use the same ones. Memory grows with the planted groups and donors, not with the market.
 */
import type { BrandEntry } from './catalogue.ts';
import type { CountryCode } from './geo.ts';
import type { Account, CarrierAccount, IdentityFactory, Phone, Place } from './identities.ts';
import {
  BUILDING_STORE_SHARE,
  CLASSIC_SHAPE,
  HONEST_ADJ,
  HONEST_NOUN,
  type MarketPlan,
  type MemberUse,
  OWNER_STORE_SHARE,
  type RingPlan,
  type RingPools,
  type RingShape,
  assignRingUses,
  bridgePairs,
  checkGroupedShare,
  fillMembers,
  groupSizes,
  honestGroupId,
  personName,
  pickBrands,
  pickCountry,
  place,
  planBuilding,
  planHubs,
  planOwner,
  planRing,
  ringSize,
} from './plan.ts';
import type { Random } from './random.ts';
import { RING_KINDS, type RingKind } from '../../analysis/marketTruth.ts';

/** An honest chain of 10–30 stores under one owner: one account, phone, address, carrier and photo set. */
export interface FranchisePlan {
  groupId: string;
  country: CountryCode;
  members: number[];
  phone: Phone;
  account: Account;
  place: Place;
  carrier: CarrierAccount;
  storeStem: string;
  brands: BrandEntry[];
  /** The franchise's own product photos, per brand name. */
  images: Map<string, string[]>;
}

/** 3–8 honest outlet stores shipping from one warehouse with one carrier account; own accounts and phones. */
export interface OutletPlan {
  groupId: string;
  country: CountryCode;
  members: number[];
  warehouse: Place;
  carrier: CarrierAccount;
  storeStem: string;
  brands: BrandEntry[];
}

/** 2–4 honest stores run from one home: one registered (and return) address, nothing else shared. */
export interface FamilyPlan {
  groupId: string;
  country: CountryCode;
  members: number[];
  home: Place;
}

/** What an honest solo store lends camouflaged rings without knowing it. */
export interface DonorPlan {
  /** Its own carrier account, on at least one of its shipments. */
  carrier?: CarrierAccount;
  /** Photos on its first listings. */
  images?: string[];
}

/** Honest groups per store of the market (at least one of each). */
export const FRANCHISES_PER_STORE = 1 / 2000;
export const OUTLETS_PER_STORE = 1 / 1000;
/** The probe had 160 families at 20,000 stores. */
export const FAMILIES_PER_STORE = 1 / 125;

/** Share of a camouflaged member's listings that carry an honest store's photo. */
export const CAMOUFLAGE_PHOTO_SHARE = 0.7;
/** Super-fake prices as a share of the brand's list price. */
export const SUPER_FAKE_PRICE: readonly [number, number] = [0.55, 0.9];
/** Outlet prices as a share of the brand's list price. */
export const OUTLET_PRICE: readonly [number, number] = [0.6, 0.85];

const emptyUse = (): MemberUse => ({ accounts: [], phones: [], places: [], carriers: [] });

/**
 * Chain rings: store i and store i+1 (in member order) share one payment account or one phone,
 * a different one for every pair; nothing else is shared, not even photos.
 */
export const CHAIN_SHAPE: RingShape = {
  pools: (size, r) => {
    let accounts = 0;
    for (let j = 0; j < size - 1; j++) if (r.chance(0.5)) accounts++;
    return { accounts, phones: size - 1 - accounts, places: 0, carriers: 0 };
  },
  uses: (size, pools, r) => chainUses(size, pools, r),
  sharesImages: false,
};

/** Which member uses which link of a chain: link j (an account or a phone) joins members j and j+1. */
export function chainUses(size: number, pools: RingPools, r: Random): MemberUse[] {
  const links: ['accounts' | 'phones', number][] = [
    ...Array.from({ length: pools.accounts }, (_, i) => ['accounts', i] as ['accounts', number]),
    ...Array.from({ length: pools.phones }, (_, i) => ['phones', i] as ['phones', number]),
  ];
  r.shuffle(links);
  const uses = Array.from({ length: size }, emptyUse);
  links.forEach(([kind, i], j) => {
    (uses[j] as MemberUse)[kind].push(i);
    (uses[j + 1] as MemberUse)[kind].push(i);
  });
  return uses;
}

/** Big rings: pools of several accounts, phones and addresses, each member using a few (partial sharing). */
export const BIG_SHAPE: RingShape = {
  pools: (_size, r) => ({ accounts: r.between(3, 6), phones: r.between(3, 6), places: r.between(2, 5), carriers: r.between(1, 3) }),
  uses: assignRingUses,
  sharesImages: true,
};

/**
 * Sparse rings around one operator: its payment account on every store (40%), its phone on every
 * store (20%), or its phone on most stores and its account on the rest, one store carrying both
 * so the ring stays connected (40%). Nothing else is shared.
 */
export const SPARSE_SHAPE: RingShape = {
  pools: (_size, r) => {
    const x = r.next();
    return { accounts: x < 0.6 || x >= 0.8 ? 1 : 0, phones: x >= 0.4 ? 1 : 0, places: 0, carriers: 0 };
  },
  uses: (size, pools, r) => sparseUses(size, pools, r),
  sharesImages: false,
};

/** Which members carry the operator's account (pool entry 0) or phone (pool entry 0). */
export function sparseUses(size: number, pools: RingPools, r: Random): MemberUse[] {
  const uses = Array.from({ length: size }, emptyUse);
  if (pools.phones === 0 || pools.accounts === 0) {
    const kind = pools.phones === 0 ? 'accounts' : 'phones';
    for (const use of uses) use[kind].push(0);
    return uses;
  }
  const bridge = r.int(size);
  uses.forEach((use, m) => {
    if (m === bridge) {
      use.accounts.push(0);
      use.phones.push(0);
    } else if (r.chance(0.7)) use.phones.push(0);
    else use.accounts.push(0);
  });
  return uses;
}

const SHAPES: Readonly<Record<RingKind, RingShape>> = {
  classic: CLASSIC_SHAPE,
  chain: CHAIN_SHAPE,
  big: BIG_SHAPE,
  camouflaged: CLASSIC_SHAPE,
  super_fake: CLASSIC_SHAPE,
  sparse: SPARSE_SHAPE,
};

/** Ring sizes per kind. */
export function ringSizeOf(kind: RingKind, r: Random): number {
  switch (kind) {
    case 'chain':
      return r.between(5, 12);
    case 'big':
      return r.between(60, 150);
    case 'sparse':
      return r.count(4, 8, 30);
    default:
      return ringSize(r);
  }
}

/** `count` ring kinds, each kind ⌊count/6⌋ or ⌈count/6⌉ times, in random order. */
export function ringKinds(count: number, r: Random): RingKind[] {
  const offset = r.int(RING_KINDS.length);
  return r.shuffle(Array.from({ length: count }, (_, g) => RING_KINDS[(g + offset) % RING_KINDS.length] as RingKind));
}

const perStore = (sellers: number, rate: number): number => Math.max(1, Math.round(sellers * rate));

/** A random honest solo store (group -1); honest solo stores are the majority, so this ends fast. */
function soloIndex(groupOf: Int32Array, r: Random): number {
  for (;;) {
    const i = r.int(groupOf.length);
    if (groupOf[i] === -1) return i;
  }
}

/** Gives each member of a camouflaged ring the carrier accounts and photos of random honest solo stores. */
function planDonors(plan: MarketPlan, ring: RingPlan, r: Random, ids: IdentityFactory): void {
  const donorAt = (i: number): DonorPlan => {
    let donor = plan.donors.get(i);
    if (donor === undefined) plan.donors.set(i, (donor = {}));
    return donor;
  };
  for (const use of ring.uses) {
    const carriers: CarrierAccount[] = [];
    for (let k = r.between(1, 3); k > 0; k--) {
      const donor = donorAt(soloIndex(plan.groupOf, r));
      donor.carrier ??= ids.carrierAccount();
      if (!carriers.includes(donor.carrier)) carriers.push(donor.carrier);
    }
    const images: string[][] = [];
    for (let k = r.between(2, 5); k > 0; k--) {
      const donor = donorAt(soloIndex(plan.groupOf, r));
      donor.images ??= Array.from({ length: r.between(1, 2) }, () => ids.imageHash());
      if (!images.includes(donor.images)) images.push(donor.images);
    }
    use.donors = { carriers, images };
  }
}

function planFranchise(groupId: string, r: Random, ids: IdentityFactory): FranchisePlan {
  const country = pickCountry(r);
  const brands = pickBrands(r, r.between(1, 3));
  return {
    groupId,
    country,
    members: [],
    phone: ids.phone(country),
    account: ids.account(country, 'bank', personName(r)),
    place: ids.place(country),
    carrier: ids.carrierAccount(),
    storeStem: `${r.pick(HONEST_ADJ)} ${r.pick(HONEST_NOUN)}`,
    brands,
    images: new Map(brands.map((b) => [b.name, Array.from({ length: r.between(2, 5) }, () => ids.imageHash())])),
  };
}

function planOutlet(groupId: string, r: Random, ids: IdentityFactory): OutletPlan {
  const country = pickCountry(r);
  return {
    groupId,
    country,
    members: [],
    warehouse: ids.place(country),
    carrier: ids.carrierAccount(),
    storeStem: `${r.pick(HONEST_ADJ)} ${r.pick(HONEST_NOUN)}`,
    brands: pickBrands(r, r.between(1, 4)),
  };
}

function planFamily(groupId: string, r: Random, ids: IdentityFactory): FamilyPlan {
  const country = pickCountry(r);
  return { groupId, country, members: [], home: ids.place(country) };
}

/**
 * Decides an adversarial market before writing: hubs; `ringCount` rings of the six kinds; mule
 * bridges between classic rings; honest owners, buildings, franchises, outlets and families; the
 * donors of camouflaged rings; and the group of every store index.
 */
export function planAdversarialMarket(sellers: number, ringCount: number, r: Random, ids: IdentityFactory): MarketPlan {
  const groupOf = new Int32Array(sellers).fill(-1);
  const hubs = planHubs(sellers, r, ids);

  // Sizes first, so that an impossible request fails before any work.
  const kinds = ringKinds(ringCount, r);
  const sizes = kinds.map((kind) => ringSizeOf(kind, r));
  const ownerSizes = groupSizes(sellers, OWNER_STORE_SHARE, 2, 6, r);
  const buildingSizes = groupSizes(sellers, BUILDING_STORE_SHARE, 2, 8, r);
  const franchiseSizes = Array.from({ length: perStore(sellers, FRANCHISES_PER_STORE) }, () => r.between(10, 30));
  const outletSizes = Array.from({ length: perStore(sellers, OUTLETS_PER_STORE) }, () => r.between(3, 8));
  const familySizes = Array.from({ length: perStore(sellers, FAMILIES_PER_STORE) }, () => r.between(2, 4));
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  checkGroupedShare(sellers, ringCount, sum(sizes), sum([...ownerSizes, ...buildingSizes, ...franchiseSizes, ...outletSizes, ...familySizes]));

  const rings = kinds.map((kind, g) => {
    const size = sizes[g] as number;
    const ring = planRing(g, size, kind, SHAPES[kind], groupOf, r, ids);
    if (kind === 'super_fake') ring.testPurchase = { member: r.int(size) };
    return ring;
  });
  // Mule bridges only between classic rings: the other kinds keep exactly the structure they are named for.
  const classic = r.shuffle(kinds.flatMap((kind, g) => (kind === 'classic' ? [g] : [])));
  bridgePairs(rings, classic, classic.length >= 2 ? Math.max(1, Math.round(classic.length * 0.05)) : 0, r, ids);

  let g = ringCount;
  let honest = 0;
  const placed = <T>(size: number, make: (groupId: string) => T): T => {
    const plan = make(honestGroupId(++honest));
    place(groupOf, g++, size, 0, sellers, r);
    return plan;
  };
  const owners = ownerSizes.map((size, k) => {
    honest++;
    const plan = planOwner(k, hubs, r, ids);
    place(groupOf, g++, size, 0, sellers, r);
    return plan;
  });
  const buildings = buildingSizes.map((size) => placed(size, (id) => planBuilding(id, size, r, ids)));
  const franchises = franchiseSizes.map((size) => placed(size, (id) => planFranchise(id, r, ids)));
  const outlets = outletSizes.map((size) => placed(size, (id) => planOutlet(id, r, ids)));
  const families = familySizes.map((size) => placed(size, (id) => planFamily(id, r, ids)));

  const plan: MarketPlan = { sellers, groupOf, rings, owners, buildings, franchises, outlets, families, donors: new Map(), hubs };
  fillMembers(plan);
  for (const ring of rings) if (ring.kind === 'camouflaged') planDonors(plan, ring, r, ids);
  return plan;
}
