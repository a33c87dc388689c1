/**
 * Writes the records of one store at a time — the seller, its listings, payment accounts,
 * addresses and shipping links — following the market plan. Honest solo stores are made on the
 * spot from fresh identifiers (donors of the adversarial preset with the carrier account and
 * photos the plan gave them); members of planted groups draw on their group's identifiers.
 */
import { BRAND_CATALOGUE, COUNTERFEIT_TITLE_SUFFIXES, GENERIC_ITEMS, type BrandEntry } from './catalogue.ts';
import { CARRIERS, type CountryCode } from './geo.ts';
import {
  type Account,
  type CarrierAccount,
  type IdentityFactory,
  type Phone,
  type Place,
  type RenderedAddress,
  renderAccount,
  renderPhone,
  renderPlace,
} from './identities.ts';
import { DAY_MS } from '../../analysis/time.ts';
import { CAMOUFLAGE_PHOTO_SHARE, type DonorPlan, OUTLET_PRICE, SUPER_FAKE_PRICE } from './adversarial.ts';
import {
  MARKET_END_MS,
  MARKET_START_MS,
  type MarketPlan,
  type MemberUse,
  type RingPlan,
  groupAt,
  groupCount,
  honestStoreName,
  personName,
  pickCountry,
  ringStoreName,
} from './plan.ts';
import type { Random } from './random.ts';
import type { RecordSink } from './sink.ts';
import type { RecordKind } from '../records.ts';

export type Sinks = Readonly<Record<RecordKind, RecordSink>>;

const EMAIL_DOMAINS = ['mail.example', 'shopmail.example', 'inbox.example', 'post.example'];

/** Seller ids `S0000001`…, in registration order. */
export function sellerId(index: number): string {
  return `S${String(index + 1).padStart(7, '0')}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `Date#toISOString`, three times faster: a market has ~16 timestamps a store but only a few
 * thousand distinct days, so the date part is formatted once per day and the time by hand.
 */
export class IsoFormatter {
  private readonly days = new Map<number, string>();

  format(instant: number): string {
    const ms = Math.round(instant);
    const day = Math.floor(ms / DAY_MS);
    let prefix = this.days.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      this.days.set(day, prefix);
    }
    let rest = ms - day * DAY_MS;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const sec = Math.floor(rest / 1000);
    return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
  }
}

function money(x: number): number {
  return Math.max(0.01, Math.round(x * 100) / 100);
}

/** One store's identifiers, whichever kind of store it is. */
interface StoreProfile {
  country: CountryCode;
  registeredMs: number;
  storeName: string;
  status: string;
  phone: Phone | undefined;
  accounts: Account[];
  /** [role, place] pairs. */
  addresses: [string, Place][];
  /** What each shipping link uses; `undefined` parts are left out of the record. */
  shipments: { carrier: string; account?: CarrierAccount; phone?: Phone; origin?: Place }[];
  /** Makes one listing of this store. */
  listing: () => ListingDraft;
  listings: number;
}

interface ListingDraft {
  title: string;
  price: number;
  brand?: string;
  category: string;
  image?: string;
  /** Called with the listing's id once written (the truth's test purchases). */
  onListed?: (listingId: string) => void;
}

/** Writes store after store of a planned market into the five sinks; call `writeStore` in index order. */
export class MarketWriter {
  private listingSerial = 0;
  private shipmentSerial = 0;
  private readonly cursor: Int32Array;
  private readonly iso = new IsoFormatter();

  constructor(
    private readonly plan: MarketPlan,
    private readonly r: Random,
    private readonly ids: IdentityFactory,
    private readonly sinks: Sinks,
  ) {
    this.cursor = new Int32Array(groupCount(plan));
  }

  /** Writes every record of store `index` (0-based). */
  writeStore(index: number): void {
    const g = this.plan.groupOf[index] as number;
    let profile: StoreProfile;
    if (g < 0) profile = this.soloStore(index, undefined, this.plan.donors.get(index));
    else {
      const ordinal = this.cursor[g] as number;
      this.cursor[g] = ordinal + 1;
      const { list, index: k } = groupAt(this.plan, g);
      switch (list) {
        case 'rings':
          profile = this.ringStore(k, ordinal);
          break;
        case 'owners':
          profile = this.ownerStore(k, ordinal, index);
          break;
        case 'buildings':
          profile = this.neighbourStore(k, ordinal, index);
          break;
        case 'franchises':
          profile = this.franchiseStore(k, ordinal, index);
          break;
        case 'outlets':
          profile = this.outletStore(k, ordinal, index);
          break;
        case 'families':
          profile = this.soloStore(index, this.plan.families[k]?.home);
          break;
      }
    }
    this.emit(sellerId(index), profile);
  }

  // -------------------------------------------------------------------------------------------
  // Kinds of store

  private honestRegistration(index: number): number {
    // Stores are numbered in registration order, spread evenly over the market's history.
    const span = MARKET_END_MS - MARKET_START_MS - 60 * DAY_MS;
    return MARKET_START_MS + ((index + this.r.next()) / this.plan.sellers) * span;
  }

  private honestStatus(): string {
    const x = this.r.next();
    return x < 0.96 ? 'active' : x < 0.985 ? 'suspended' : 'closed';
  }

  /** An honest store of its own; `building` is its home when given (a neighbour's room, a family's home). */
  private soloStore(index: number, building?: Place, donor?: DonorPlan): StoreProfile {
    const r = this.r;
    const hubs = this.plan.hubs;
    const country = building?.country ?? pickCountry(r);
    const phone = this.ids.phone(country);
    const home = building ?? this.ids.place(country);
    const holder = personName(r);
    const accounts: Account[] = [this.ids.account(country, 'bank', holder)];
    if (r.chance(0.35)) accounts.push(r.pick(hubs.aggregators));
    if (r.chance(0.1)) accounts.push(this.ids.account(country, 'wallet', holder));
    if (r.chance(0.08)) accounts.push(this.ids.account(country, 'card', holder));
    const addresses: [string, Place][] = [['registered', home]];
    if (r.chance(0.6)) addresses.push(['return', home]);
    if (r.chance(0.05)) addresses.push(['pickup', home]);
    const warehouse = r.chance(0.25) ? r.pick(hubs.warehouses) : undefined;
    if (warehouse !== undefined) addresses.push(['warehouse', warehouse]);
    const ownCarrier = donor?.carrier ?? (r.chance(0.5) ? this.ids.carrierAccount() : undefined);
    const hubCarrier = r.chance(0.35) ? r.pick(hubs.carriers) : undefined;
    const shipments: StoreProfile['shipments'] = [];
    // A donor ships with its carrier account at least once, so the ring members copying it meet it.
    let lend = donor?.carrier !== undefined;
    for (let k = r.between(1, 3); k > 0; k--) {
      const account = lend ? ownCarrier : ownCarrier !== undefined && hubCarrier !== undefined ? (r.chance(0.5) ? ownCarrier : hubCarrier) : (ownCarrier ?? hubCarrier);
      lend = false;
      const origin = warehouse !== undefined && r.chance(0.6) ? warehouse : r.chance(0.5) ? home : undefined;
      const withPhone = r.chance(0.6) || (account === undefined && origin === undefined);
      shipments.push({
        carrier: account?.carrier ?? r.pick(CARRIERS).name,
        ...(account === undefined ? {} : { account }),
        ...(withPhone ? { phone } : {}),
        ...(origin === undefined ? {} : { origin }),
      });
    }
    const favourites = Array.from({ length: r.between(1, 3) }, () => r.pick(BRAND_CATALOGUE));
    const lentImages = donor?.images ?? [];
    let listed = 0;
    const profile: StoreProfile = {
      country,
      registeredMs: this.honestRegistration(index),
      storeName: honestStoreName(r),
      status: this.honestStatus(),
      phone,
      accounts,
      addresses,
      shipments,
      // A donor's first listings carry the photos camouflaged ring members copy.
      listing:
        lentImages.length === 0
          ? () => this.honestListing(favourites)
          : () => {
              const l = this.honestListing(favourites);
              if (listed < lentImages.length) l.image = lentImages[listed++];
              return l;
            },
      listings: r.count(1, 10, 300),
    };
    profile.listings = Math.max(profile.listings, lentImages.length);
    return profile;
  }

  private neighbourStore(b: number, ordinal: number, index: number): StoreProfile {
    const building = this.plan.buildings[b];
    const room = building?.rooms[ordinal];
    if (room === undefined) throw new Error(`building group ${b} has no room ${ordinal}`);
    return this.soloStore(index, room);
  }

  private ownerStore(o: number, ordinal: number, index: number): StoreProfile {
    const r = this.r;
    const owner = this.plan.owners[o];
    if (owner === undefined) throw new Error(`no owner group ${o}`);
    const hubs = this.plan.hubs;
    const warehouse = owner.usesWarehouse === null ? undefined : hubs.warehouses[owner.usesWarehouse];
    const aggregator = owner.usesAggregator === null ? undefined : hubs.aggregators[owner.usesAggregator];
    const addresses: [string, Place][] = [
      ['registered', owner.place],
      ['return', owner.place],
    ];
    if (warehouse !== undefined) addresses.push(['warehouse', warehouse]);
    const shipments: StoreProfile['shipments'] = [];
    for (let k = r.between(1, 3); k > 0; k--) {
      shipments.push({
        carrier: owner.carrier.carrier,
        account: owner.carrier,
        phone: owner.phone,
        origin: warehouse !== undefined && r.chance(0.5) ? warehouse : owner.place,
      });
    }
    return {
      country: owner.country,
      registeredMs: this.honestRegistration(index),
      storeName: ordinal === 0 ? `${owner.storeStem} Store` : `${owner.storeStem} ${r.pick(['Outlet', 'Official', 'Express', 'Home', String(ordinal + 1)])}`,
      status: 'active',
      phone: owner.phone,
      accounts: aggregator === undefined ? owner.accounts : [...owner.accounts, aggregator],
      addresses,
      shipments,
      listing: () => this.honestListing(owner.brands),
      listings: r.count(2, 12, 300),
    };
  }

  private ringStore(g: number, ordinal: number): StoreProfile {
    const r = this.r;
    const ring = this.plan.rings[g];
    const use = ring?.uses[ordinal];
    if (ring === undefined || use === undefined) throw new Error(`ring ${g} has no member ${ordinal}`);
    const hubs = this.plan.hubs;
    const country = ring.country;
    const phones = use.phones.map((k) => ring.phones[k] as Phone);
    const places = use.places.map((k) => ring.places[k] as Place);
    const carriers = use.carriers.map((k) => ring.carriers[k] as CarrierAccount);
    const ownPhone = phones.length === 0 ? this.ids.phone(country) : undefined;
    const accounts = use.accounts.map((k) => ring.accounts[k] as Account);
    if (use.mule !== undefined) accounts.push(use.mule);
    if (r.chance(0.15)) accounts.push(r.pick(hubs.aggregators));
    if (accounts.length === 0 || r.chance(0.2)) accounts.push(this.ids.account(country, 'wallet', personName(r)));
    const home = r.chance(0.3) && places.length > 0 ? (places[0] as Place) : this.ids.place(country);
    const addresses: [string, Place][] = [['registered', home]];
    for (const p of places) addresses.push(['return', p]);
    const warehouse = r.chance(0.15) ? r.pick(hubs.warehouses) : undefined;
    if (warehouse !== undefined) addresses.push(['warehouse', warehouse]);
    const hubCarrier = r.chance(0.2) ? r.pick(hubs.carriers) : undefined;
    const shipments: StoreProfile['shipments'] = [];
    const links = Math.max(phones.length, carriers.length, 1) + r.int(2);
    for (let j = 0; j < links; j++) {
      const account = carriers.length > 0 ? carriers[j % carriers.length] : hubCarrier;
      const phone = phones.length > 0 ? phones[j % phones.length] : r.chance(0.4) ? ownPhone : undefined;
      let origin =
        places.length > 0 && r.chance(0.6) ? places[j % places.length] : warehouse !== undefined && r.chance(0.5) ? warehouse : undefined;
      if (account === undefined && phone === undefined && origin === undefined) origin = home;
      shipments.push({
        carrier: account?.carrier ?? r.pick(CARRIERS).name,
        ...(account === undefined ? {} : { account }),
        ...(phone === undefined ? {} : { phone }),
        ...(origin === undefined ? {} : { origin }),
      });
    }
    // Camouflage: parcels sent with honest stores' carrier accounts, nothing else of the ring's on them.
    for (const account of use.donors?.carriers ?? []) shipments.push({ carrier: account.carrier, account });
    const x = r.next();
    return {
      country,
      registeredMs: ring.burstStartMs + r.uniform(0, ring.burstDays) * DAY_MS,
      storeName: ringStoreName(ring.storeStem, r),
      status: x < 0.8 ? 'active' : x < 0.92 ? 'closed' : 'suspended',
      phone: phones[0] ?? ownPhone,
      accounts,
      addresses,
      shipments,
      listing: this.ringListingOf(ring, use, ordinal),
      listings: Math.max(r.count(3, 12, 300), use.donors?.images.length ?? 0),
    };
  }

  /** An honest franchise's store: the franchise's account, phone, address, carrier and photos. */
  private franchiseStore(k: number, ordinal: number, index: number): StoreProfile {
    const r = this.r;
    const f = this.plan.franchises[k];
    if (f === undefined) throw new Error(`no franchise group ${k}`);
    const shipments: StoreProfile['shipments'] = [];
    for (let j = r.between(1, 3); j > 0; j--) shipments.push({ carrier: f.carrier.carrier, account: f.carrier, phone: f.phone, origin: f.place });
    return {
      country: f.country,
      registeredMs: this.honestRegistration(index),
      storeName: `${f.storeStem} ${ordinal === 0 ? 'Flagship' : r.pick(['Official Store', 'Authorised Store', 'Store'])} ${ordinal + 1}`,
      status: 'active',
      phone: f.phone,
      accounts: [f.account],
      addresses: [
        ['registered', f.place],
        ['return', f.place],
      ],
      shipments,
      listing: () => this.retailListing(f.brands, f.images),
      listings: r.count(3, 15, 300),
    };
  }

  /** An honest outlet store: its own account, phone and home; the outlet's warehouse and carrier account. */
  private outletStore(k: number, ordinal: number, index: number): StoreProfile {
    const r = this.r;
    const o = this.plan.outlets[k];
    if (o === undefined) throw new Error(`no outlet group ${k}`);
    const phone = this.ids.phone(o.country);
    const accounts = [this.ids.account(o.country, 'bank', personName(r))];
    const addresses: [string, Place][] = [
      ['registered', this.ids.place(o.country)],
      ['warehouse', o.warehouse],
    ];
    if (r.chance(0.5)) addresses.push(['return', o.warehouse]);
    const shipments: StoreProfile['shipments'] = [];
    for (let j = r.between(1, 3); j > 0; j--) {
      shipments.push({ carrier: o.carrier.carrier, account: o.carrier, origin: o.warehouse, ...(r.chance(0.6) ? { phone } : {}) });
    }
    return {
      country: o.country,
      registeredMs: this.honestRegistration(index),
      storeName: `${o.storeStem} Outlet ${ordinal + 1}`,
      status: 'active',
      phone,
      accounts,
      addresses,
      shipments,
      listing: () => this.outletListing(o.brands),
      listings: r.count(3, 12, 300),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Listings

  private honestListing(favourites: readonly BrandEntry[]): ListingDraft {
    const r = this.r;
    if (r.chance(0.5)) return this.genericListing();
    const brand = r.pick(favourites);
    const x = r.next();
    const image = x < 0.3 ? r.pick(this.plan.hubs.stockImages.get(brand.name) ?? []) : x < 0.8 ? this.ids.imageHash() : undefined;
    return {
      title: `${brand.name} ${r.pick(brand.products)}`,
      price: money(brand.typicalPrice * r.uniform(0.75, 1.25)),
      brand: brand.name,
      category: brand.category,
      ...(image === undefined ? {} : { image }),
    };
  }

  private genericListing(): ListingDraft {
    const r = this.r;
    const item = r.pick(GENERIC_ITEMS);
    return {
      title: item.title,
      price: money(item.typicalPrice * r.uniform(0.75, 1.25)),
      category: item.category,
      ...(r.chance(0.6) ? { image: this.ids.imageHash() } : {}),
    };
  }

  /** 85% counterfeits at 10–35% of the brand's price; the rest priced normally, to blend in. */
  private ringListing(brands: readonly BrandEntry[], images: ReadonlyMap<string, string[]>): ListingDraft {
    const r = this.r;
    if (!r.chance(0.85)) return r.chance(0.5) ? this.genericListing() : this.honestListing(brands);
    const brand = r.pick(brands);
    const image = this.ringImage(brand, images);
    return {
      title: `${brand.name} ${r.pick(brand.products)}${r.pick(COUNTERFEIT_TITLE_SUFFIXES)}`,
      price: money(brand.typicalPrice * r.uniform(0.1, 0.35)),
      brand: brand.name,
      category: brand.category,
      ...(image === undefined ? {} : { image }),
    };
  }

  /** A ring listing's photo: often one of the ring's own (a fresh one for rings that share none). */
  private ringImage(brand: BrandEntry, images: ReadonlyMap<string, string[]>): string | undefined {
    const r = this.r;
    const x = r.next();
    const own = images.get(brand.name) ?? [];
    return x < 0.4 ? (own.length > 0 ? r.pick(own) : this.ids.imageHash()) : x < 0.85 ? this.ids.imageHash() : undefined;
  }

  /** How the members of each kind of ring make their listings. */
  private ringListingOf(ring: RingPlan, use: MemberUse, ordinal: number): () => ListingDraft {
    const r = this.r;
    switch (ring.kind) {
      case 'super_fake': {
        const purchase = ring.testPurchase;
        let pending = purchase !== undefined && purchase.member === ordinal && purchase.listing === undefined;
        return () => {
          const l = this.superFakeListing(ring.brands, ring.images, pending);
          if (pending && purchase !== undefined && l.brand !== undefined) {
            const brand = l.brand;
            l.onListed = (listingId) => {
              purchase.listing = { listingId, brand };
            };
            pending = false;
          }
          return l;
        };
      }
      case 'camouflaged': {
        // The first listings show one photo of each store copied, so that every store copied is met;
        // after that most listings carry one of their photos.
        const donors = use.donors?.images ?? [];
        const copied = donors.flat();
        let listed = 0;
        return () => {
          const l = this.ringListing(ring.brands, ring.images);
          if (listed < donors.length) l.image = (donors[listed++] as string[])[0];
          else if (copied.length > 0 && r.chance(CAMOUFLAGE_PHOTO_SHARE)) l.image = r.pick(copied);
          return l;
        };
      }
      default:
        return () => this.ringListing(ring.brands, ring.images);
    }
  }

  /** Super fakes: 85% brand goods at 55–90% of the list price, titled like the genuine article; `branded` forces one. */
  private superFakeListing(brands: readonly BrandEntry[], images: ReadonlyMap<string, string[]>, branded: boolean): ListingDraft {
    const r = this.r;
    if (!branded && !r.chance(0.85)) return r.chance(0.5) ? this.genericListing() : this.honestListing(brands);
    const brand = r.pick(brands);
    const image = this.ringImage(brand, images);
    return {
      title: `${brand.name} ${r.pick(brand.products)}`,
      price: money(brand.typicalPrice * r.uniform(SUPER_FAKE_PRICE[0], SUPER_FAKE_PRICE[1])),
      brand: brand.name,
      category: brand.category,
      ...(image === undefined ? {} : { image }),
    };
  }

  /** A franchise's genuine goods at list price (normal jitter of 2%), mostly with its own photos. */
  private retailListing(brands: readonly BrandEntry[], images: ReadonlyMap<string, string[]>): ListingDraft {
    const r = this.r;
    const brand = r.pick(brands);
    const x = r.next();
    const own = images.get(brand.name) ?? [];
    const image = x < 0.7 && own.length > 0 ? r.pick(own) : x < 0.9 ? r.pick(this.plan.hubs.stockImages.get(brand.name) ?? []) : undefined;
    return {
      title: `${brand.name} ${r.pick(brand.products)}`,
      price: money(brand.typicalPrice * Math.min(1.1, Math.max(0.9, 1 + 0.02 * r.normal()))),
      brand: brand.name,
      category: brand.category,
      ...(image === undefined ? {} : { image }),
    };
  }

  /** An outlet's genuine goods at 60–85% of list (15% unbranded goods). */
  private outletListing(brands: readonly BrandEntry[]): ListingDraft {
    const r = this.r;
    if (!r.chance(0.85)) return this.genericListing();
    const brand = r.pick(brands);
    const x = r.next();
    const image = x < 0.4 ? r.pick(this.plan.hubs.stockImages.get(brand.name) ?? []) : x < 0.85 ? this.ids.imageHash() : undefined;
    return {
      title: `${brand.name} ${r.pick(brand.products)}`,
      price: money(brand.typicalPrice * r.uniform(OUTLET_PRICE[0], OUTLET_PRICE[1])),
      brand: brand.name,
      category: brand.category,
      ...(image === undefined ? {} : { image }),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Records

  private emit(id: string, p: StoreProfile): void {
    const r = this.r;
    const s = this.sinks;
    const showCountry = r.chance(0.97);
    const home = showCountry ? p.country : undefined;
    const e = r.next();
    const email = e < 0.03 ? null : e < 0.05 ? '' : `${p.storeName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${id.slice(-4)}@${r.pick(EMAIL_DOMAINS)}`;
    s.sellers.write({
      seller_id: id,
      store_name: p.storeName,
      registered_at: this.iso.format(p.registeredMs),
      country: home ?? (r.chance(0.5) ? null : ''),
      email,
      ...(p.phone !== undefined && r.chance(0.95) ? { phone: renderPhone(p.phone, r, home) } : {}),
      status: p.status,
      // An export's own column, which ingest must ignore rather than reject.
      ...(r.chance(0.1) ? { rating: Math.round(r.uniform(30, 50)) / 10 } : {}),
    });

    for (let k = 0; k < p.listings; k++) {
      const l = p.listing();
      const listingId = `L${String(++this.listingSerial).padStart(8, '0')}`;
      l.onListed?.(listingId);
      s.listings.write({
        listing_id: listingId,
        seller_id: id,
        title: l.title,
        price: l.price,
        currency: 'USD',
        ...(l.brand === undefined ? {} : { brand: l.brand }),
        category: l.category,
        listed_at: this.iso.format(p.registeredMs + r.next() * (MARKET_END_MS - p.registeredMs)),
        ...(l.image === undefined ? {} : { image_hash: l.image }),
      });
    }

    for (const a of p.accounts) {
      s.payment_accounts.write({
        seller_id: id,
        account_id: renderAccount(a, r),
        kind: a.kind,
        ...(r.chance(0.7) ? { holder_name: a.holder } : {}),
        ...(r.chance(0.6) ? { institution: a.institution } : {}),
      });
    }

    for (const [role, place] of p.addresses) {
      s.addresses.write({ seller_id: id, role, ...renderPlace(place, r) });
    }

    for (const sh of p.shipments) {
      const origin: RenderedAddress | undefined = sh.origin === undefined ? undefined : renderPlace(sh.origin, r);
      s.shipping_links.write({
        seller_id: id,
        shipment_id: `SH${String(++this.shipmentSerial).padStart(9, '0')}`,
        carrier: sh.carrier,
        ...(sh.account === undefined ? {} : { carrier_account: renderAccount(sh.account, r) }),
        // Written nationally only where the record itself says which country it is in.
        ...(sh.phone === undefined ? {} : { sender_phone: renderPhone(sh.phone, r, sh.origin?.country) }),
        ...(origin === undefined ? {} : { origin }),
        shipped_at: this.iso.format(p.registeredMs + r.next() * (MARKET_END_MS - p.registeredMs)),
      });
    }
  }
}
