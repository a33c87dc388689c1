/**
 * The identifiers of the synthetic market — phones, payment accounts, carrier accounts, places
 * and image hashes — and the messy ways sellers write them.
 *
 * Each identifier is created once, in canonical form, from a counter scattered by a bijection
 * (`Scatter`), so two identifiers never collide by accident and nothing has to remember which
 * values are taken: memory stays constant however many sellers there are. Each *use* of an
 * identifier in a record is rendered afresh with random formatting (spaces, dashes, case,
 * abbreviations, full-width characters, line splits) that the ingest normalisers must undo.
 */
import { Random, Scatter, hex8, mix32 } from './random.ts';
import {
  AGGREGATOR_NAME,
  BUILDING_NAMES,
  CARD_ISSUERS,
  CARRIERS,
  COUNTRIES,
  WALLET_PROVIDERS,
  type City,
  type CountryCode,
  type Street,
} from './geo.ts';

// ---------------------------------------------------------------------------------------------
// Identifier shapes

export interface Phone {
  readonly country: CountryCode;
  readonly callingCode: string;
  /** The national significant number, digits only (no trunk prefix). */
  readonly national: string;
}

export type AccountKind = 'bank' | 'card' | 'wallet' | 'other';

export interface Account {
  readonly kind: AccountKind;
  /** Canonical characters, which `normaliseAccountId` gives back from every rendering. */
  readonly id: string;
  readonly institution: string;
  readonly holder: string;
  /** How the id is grouped when printed: IBANs in fours, US routing + account, … */
  readonly layout: 'digits' | 'iban' | 'routing' | 'code';
}

export interface CarrierAccount {
  readonly carrier: string;
  readonly id: string;
}

export interface Place {
  readonly country: CountryCode;
  readonly city: City;
  readonly street: Street;
  readonly number: number;
  /** US street direction ("West"), part of the street name. */
  readonly direction?: 'North' | 'South' | 'East' | 'West';
  /** Unit: room value as rendered after its word (`1203`, `4B`, `3`), if any. */
  readonly room?: string;
  /** Shown only when the room alone does not say it (HK letter flats) or by the seller's habit. */
  readonly floor?: number;
  readonly block?: string;
  /** A named building or centre the unit is in. */
  readonly building?: { name: string; word: 'building' | 'centre' | 'tower' };
  readonly area?: { name: string; kind: 'district' | 'industrial' | 'plain' };
}

/** What a rendered address looks like in a record (`addresses` row or shipping `origin`). */
export interface RenderedAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code?: string;
  country: string;
}

// ---------------------------------------------------------------------------------------------
// Creation

const US_EXCHANGES: readonly number[] = (() => {
  const out: number[] = [];
  for (let x = 200; x <= 999; x++) if (x !== 555 && x % 100 !== 11) out.push(x);
  return out;
})();

const FLOORS = 40;
const UNITS_PER_FLOOR = 20;

/**
 * Makes identifiers that are unique across the whole market. One factory per generated market;
 * its counters are its only state.
 */
export class IdentityFactory {
  private readonly phoneCounters = new Map<CountryCode, number>();
  private readonly placeCounters = new Map<CountryCode, number>();
  private readonly buildingCounters = new Map<CountryCode, number>();
  private accountCounter = 0;
  private carrierCounter = 0;
  private imageCounter = 0;
  private readonly phoneScatter = new Map<CountryCode, Scatter>();
  private readonly accountScatter: Scatter;
  private readonly placeScatter = new Map<CountryCode, Scatter>();
  private readonly buildingScatter = new Map<CountryCode, Scatter>();
  private readonly numbersPerStreet = new Map<CountryCode, number>();

  constructor(
    private readonly rnd: Random,
    /** Upper bound on identifiers of one kind per country (sellers + planted extras). */
    capacity: number,
  ) {
    this.accountScatter = new Scatter(100_000_000, rnd.int(1e6));
    for (const code of Object.keys(COUNTRIES) as CountryCode[]) {
      const country = COUNTRIES[code];
      const phoneSpace = code === 'US' ? US_EXCHANGES.length * 10_000 : 10 ** country.phone.suffixDigits;
      this.phoneScatter.set(code, new Scatter(phoneSpace, rnd.int(1e6)));
      const rooms = country.style === 'german' ? 1 : FLOORS * UNITS_PER_FLOOR;
      const perNumber = country.cities.length * country.streets.length * rooms;
      const numbers = Math.max(999, Math.ceil(capacity / perNumber));
      this.numbersPerStreet.set(code, numbers);
      this.placeScatter.set(code, new Scatter(perNumber * numbers, rnd.int(1e6)));
      const buildings = country.cities.length * country.streets.length * 999 * BUILDING_NAMES.length;
      this.buildingScatter.set(code, new Scatter(buildings, rnd.int(1e6)));
    }
  }

  phone(country: CountryCode): Phone {
    const plan = COUNTRIES[country].phone;
    const serial = next(this.phoneCounters, country);
    const prefixIndex = serial % plan.prefixes.length;
    const prefix = plan.prefixes[prefixIndex] as string;
    // Shifting by a per-prefix offset keeps (prefix, rest) unique while numbers under different
    // prefixes stop sharing their digits.
    const scatter = this.phoneScatter.get(country) as Scatter;
    const m = scatter.m;
    const value = scatter.at((Math.floor(serial / plan.prefixes.length) + (mix32(prefixIndex) % m)) % m);
    let rest: string;
    if (country === 'US') {
      // Area code + a valid exchange + four digits.
      rest = String(US_EXCHANGES[Math.floor(value / 10_000)]) + String(value % 10_000).padStart(4, '0');
    } else {
      rest = String(value % 10 ** plan.suffixDigits).padStart(plan.suffixDigits, '0');
    }
    return { country, callingCode: plan.callingCode, national: prefix + rest };
  }

  /** A bank account of the country, an own card or an own wallet. */
  account(country: CountryCode, kind: 'bank' | 'card' | 'wallet', holder: string): Account {
    const core = String(this.accountScatter.at(this.accountCounter++)).padStart(8, '0');
    const r = this.rnd;
    if (kind === 'card') {
      const body = `4${r.digits(6)}${core}`;
      return { kind, id: body + luhnDigit(body), institution: r.pick(CARD_ISSUERS), holder, layout: 'digits' };
    }
    if (kind === 'wallet') {
      const id = `W${(mix32(Number(core)) >>> 0).toString(36).toUpperCase()}${core.slice(-4)}`;
      return { kind, id, institution: r.pick(WALLET_PROVIDERS), holder, layout: 'code' };
    }
    const institution = r.pick(COUNTRIES[country].banks);
    switch (country) {
      case 'CN':
        return { kind, id: `62${r.digits(4)}${core}${r.digits(5)}`, institution, holder, layout: 'digits' };
      case 'HK':
        return { kind, id: `${r.digits(3)}${r.digits(3)}${core}`, institution, holder, layout: 'digits' };
      case 'US':
        return { kind, id: `0${r.digits(8)}${r.digits(2)}${core}`, institution, holder, layout: 'routing' };
      case 'GB': {
        const bban = `${r.pick(['NWBK', 'BARC', 'LOYD', 'MIDL'])}${r.digits(6)}${core}`;
        return { kind, id: iban('GB', bban), institution, holder, layout: 'iban' };
      }
      case 'DE':
        return { kind, id: iban('DE', `${r.digits(8)}00${core}`), institution, holder, layout: 'iban' };
      case 'IN':
        return { kind, id: `${r.digits(4)}${core}`, institution, holder, layout: 'digits' };
    }
  }

  /** A payment aggregator's collection wallet, shared by thousands of sellers. */
  aggregatorWallet(): Account {
    const core = String(this.accountScatter.at(this.accountCounter++)).padStart(8, '0');
    return { kind: 'wallet', id: `AGG${core}`, institution: AGGREGATOR_NAME, holder: AGGREGATOR_NAME, layout: 'code' };
  }

  carrierAccount(carrier?: (typeof CARRIERS)[number]): CarrierAccount {
    const c = carrier ?? this.rnd.pick(CARRIERS);
    const core = String(this.accountScatter.at(this.accountCounter++)).padStart(8, '0');
    return { carrier: c.name, id: `${c.prefix}${String(this.carrierCounter++ % 10)}${core}` };
  }

  /** 64-bit perceptual-hash-like hex string, unique per call. */
  imageHash(): string {
    return hex8(mix32(this.imageCounter++)) + hex8(Math.floor(this.rnd.next() * 0x1_0000_0000));
  }

  /** An address of its own: no other place from this factory has the same street, number and room. */
  place(country: CountryCode): Place {
    const c = COUNTRIES[country];
    const r = this.rnd;
    const serial = next(this.placeCounters, country);
    let v = (this.placeScatter.get(country) as Scatter).at(serial);
    const rooms = c.style === 'german' ? 1 : FLOORS * UNITS_PER_FLOOR;
    const roomIndex = v % rooms;
    v = Math.floor(v / rooms);
    const city = c.cities[v % c.cities.length] as City;
    v = Math.floor(v / c.cities.length);
    const street = c.streets[v % c.streets.length] as Street;
    const number = 1 + Math.floor(v / c.streets.length);
    const area = c.areas.length > 0 && r.chance(0.8) ? r.pick(c.areas) : undefined;
    const base = { country, city, street, number, ...(area === undefined ? {} : { area }) };
    if (c.style === 'german') return base;
    const floor = 1 + Math.floor(roomIndex / UNITS_PER_FLOOR);
    const unit = roomIndex % UNITS_PER_FLOOR;
    return { ...base, ...unitOf(country, floor, unit, r), ...(country === 'US' && r.chance(0.3) ? { direction: r.pick(['North', 'South', 'East', 'West'] as const) } : {}) };
  }

  /**
   * A named building (no unit yet) for `roomsOf`: several businesses in one building, or a
   * fulfilment centre. Named buildings never coincide with `place()` addresses, whose keys
   * carry no building name.
   */
  building(country: CountryCode, word: 'building' | 'centre' | 'tower'): Place {
    const c = COUNTRIES[country];
    const serial = next(this.buildingCounters, country);
    let v = (this.buildingScatter.get(country) as Scatter).at(serial);
    const name = BUILDING_NAMES[v % BUILDING_NAMES.length] as string;
    v = Math.floor(v / BUILDING_NAMES.length);
    const city = c.cities[v % c.cities.length] as City;
    v = Math.floor(v / c.cities.length);
    const street = c.streets[v % c.streets.length] as Street;
    const number = 1 + Math.floor(v / c.streets.length);
    const area = c.areas.length > 0 && this.rnd.chance(0.8) ? this.rnd.pick(c.areas) : undefined;
    return {
      country,
      city,
      street,
      number,
      building: { name: word === 'centre' ? `${name} Logistics` : name, word },
      ...(area === undefined ? {} : { area }),
    };
  }
}

function next(counters: Map<CountryCode, number>, country: CountryCode): number {
  const n = counters.get(country) ?? 0;
  counters.set(country, n + 1);
  return n;
}

/** The room (and floor, where the room does not imply it) of unit `unit` on `floor`. */
export function unitOf(
  country: CountryCode,
  floor: number,
  unit: number,
  r: Random,
): { room: string; floor?: number } {
  const showFloor = r.chance(0.5);
  switch (country) {
    case 'HK':
      // Hong Kong flats are lettered per floor ("Flat B, 12/F"), so the floor is always written.
      if (unit < 8) return { room: String.fromCharCode(65 + unit), floor };
      return { room: String(floor * 100 + unit), ...(showFloor ? { floor } : {}) };
    case 'US':
      if (unit < 8) return { room: `${floor}${String.fromCharCode(65 + unit)}` };
      return { room: String(floor * 100 + unit) };
    case 'GB':
      return { room: String(floor * UNITS_PER_FLOOR + unit + 1) };
    default:
      return { room: String(floor * 100 + unit + 1), ...(showFloor ? { floor } : {}) };
  }
}

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** An IBAN with correct ISO 13616 check digits (mod 97 over the rearranged number). */
function iban(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of digits) rem = (rem * 10 + Number(ch)) % 97;
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

// ---------------------------------------------------------------------------------------------
// Rendering: the same identifier, written the way a seller happens to write it this time

const FULL_WIDTH_OFFSET = 0xfee0;

/** ASCII to full-width forms, as typed with an East Asian input method. */
export function fullWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += ch === ' ' ? '\u3000' : code > 0x20 && code < 0x7f ? String.fromCharCode(code + FULL_WIDTH_OFFSET) : ch;
  }
  return out;
}

function group(text: string, size: number, sep: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.join(sep);
}

/**
 * A phone as a seller writes it. `homeCountry` is the country of the record it appears in (the
 * seller's country, or the shipping origin's): only when it is the phone's own country may the
 * number be written nationally, since that is the only case a reader can resolve.
 */
export function renderPhone(p: Phone, r: Random, homeCountry: string | undefined): string {
  const cc = p.callingCode;
  const n = p.national;
  const spaced =
    p.country === 'CN'
      ? `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`
      : p.country === 'US'
        ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`
        : p.country === 'HK'
          ? `${n.slice(0, 4)} ${n.slice(4)}`
          : `${n.slice(0, 4)} ${n.slice(4)}`;
  const national = (): string => {
    const trunk = COUNTRIES[p.country].phone.trunk;
    if (p.country === 'US') {
      return r.chance(0.5) ? `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}` : `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
    }
    return r.chance(0.5) ? `${trunk}${spaced}` : `${trunk}${n}`;
  };
  const form = r.int(homeCountry === p.country ? 6 : 5);
  let out: string;
  switch (form) {
    case 0:
      out = `+${cc} ${spaced}`;
      break;
    case 1:
      out = `00${cc}-${spaced.replaceAll(' ', '-')}`;
      break;
    case 2:
      out = `(+${cc})${n}`;
      break;
    case 3:
      out = `+${cc}${n}`;
      break;
    case 4:
      out = COUNTRIES[p.country].phone.trunk === '0' ? `+${cc} (0)${spaced}` : `+${cc}-${spaced.replaceAll(' ', '-')}`;
      break;
    default:
      out = national();
  }
  return r.chance(0.04) ? fullWidth(out) : out;
}

/** An account id with random grouping, separators, case and stray spaces. */
export function renderAccount(a: { id: string; layout?: Account['layout'] }, r: Random): string {
  const id = a.id;
  let out: string;
  const sep = r.pick([' ', '-', '', ' ', '.']);
  switch (a.layout) {
    case 'iban':
      out = r.chance(0.6) ? group(id, 4, ' ') : group(id, 4, sep);
      break;
    case 'routing':
      out = `${id.slice(0, 9)}${r.pick([' ', '-', ' / ', ''])}${group(id.slice(9), 4, sep)}`;
      break;
    case 'code':
      out = r.chance(0.5) ? id : group(id, r.pick([3, 4]), sep);
      break;
    default:
      out = r.chance(0.3) ? id : group(id, 4, sep);
  }
  const caseForm = r.int(3);
  if (caseForm === 1) out = out.toLowerCase();
  else if (caseForm === 2) out = [...out].map((ch) => (r.chance(0.5) ? ch.toLowerCase() : ch)).join('');
  if (r.chance(0.1)) out = ` ${out}  `;
  return r.chance(0.04) ? fullWidth(out) : out;
}

const ROOM_WORDS_ASIA = ['Room', 'Rm', 'Rm.', 'RM', 'Unit', 'Flat', 'ROOM'];
const ROOM_WORDS_US = ['Apt', 'Apt.', 'Apartment', 'Unit', 'Suite', 'Ste'];
const ROOM_WORDS_GB = ['Flat', 'Flat', 'Apartment', 'Unit'];
const BLOCK_WORDS = ['Block', 'Blk', 'Blk.', 'Bldg', 'Building', 'BLOCK'];
const BUILDING_WORDS = {
  building: ['Building', 'Bldg', 'Bldg.', 'Bld'],
  centre: ['Centre', 'Center', 'Ctr', 'Ctr.'],
  tower: ['Tower', 'Twr', 'Twr.'],
};
const STREET_WORDS: Record<string, readonly string[]> = {
  road: ['Road', 'Rd', 'Rd.', 'ROAD'],
  street: ['Street', 'St', 'St.', 'Str'],
  avenue: ['Avenue', 'Ave', 'Ave.', 'Av.'],
  boulevard: ['Boulevard', 'Blvd', 'Blvd.'],
  lane: ['Lane', 'Ln', 'Ln.'],
  drive: ['Drive', 'Dr', 'Dr.'],
  none: [''],
};
const DE_STREET_SUFFIXES = ['straße', 'strasse', 'str.', 'Str.', 'STRASSE'];
const AREA_WORDS = {
  district: ['District', 'Dist.', 'Dist', 'DISTRICT'],
  industrial: ['Industrial Park', 'Ind. Park', 'Ind Park', 'Industrial Pk'],
  plain: [''],
};

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function floorText(floor: number, r: Random): string {
  return r.pick([`${floor}/F`, `${floor}F`, `Floor ${floor}`, `${ordinal(floor)} Floor`, `Fl. ${floor}`, `FL ${floor}`, `${floor}/f`]);
}

function numberText(n: number, r: Random): string {
  return r.pick([`${n}`, `${n}`, `No. ${n}`, `No.${n}`, `#${n}`, `NO ${n}`]);
}

function streetText(p: Place, r: Random): string {
  const words = STREET_WORDS[p.street.type] ?? [''];
  const type = r.pick(words);
  const dir = p.direction === undefined ? '' : `${r.chance(0.5) ? p.direction : p.direction[0]} `;
  return `${dir}${p.street.name}${type === '' ? '' : ` ${type}`}`;
}

/** The address parts in reading order; unit parts (which the key sorts) may come in any order. */
function segments(p: Place, r: Random): string[] {
  const style = COUNTRIES[p.country].style;
  if (style === 'german') {
    return [`${p.street.name}${r.pick(DE_STREET_SUFFIXES)} ${p.number}`];
  }
  const units: string[] = [];
  if (p.room !== undefined) {
    const words = p.country === 'US' ? ROOM_WORDS_US : p.country === 'GB' ? ROOM_WORDS_GB : ROOM_WORDS_ASIA;
    units.push(`${r.pick(words)} ${p.room}`);
  }
  if (p.floor !== undefined) units.push(floorText(p.floor, r));
  if (p.block !== undefined) units.push(`${r.pick(BLOCK_WORDS)} ${p.block}`);
  r.shuffle(units);
  const building = p.building === undefined ? [] : [`${p.building.name} ${r.pick(BUILDING_WORDS[p.building.word])}`];
  const area =
    p.area === undefined
      ? []
      : [`${p.area.name}${p.area.kind === 'plain' ? '' : ` ${r.pick(AREA_WORDS[p.area.kind])}`}`];
  if (style === 'western') {
    const street = `${p.number} ${streetText(p, r)}`;
    // Western units come before the building or after the street: "Flat 3, Albion Court, 12 High St".
    return r.chance(0.5) ? [...units, ...building, street, ...area] : [...building, street, ...units, ...area];
  }
  return [...units, ...building, `${numberText(p.number, r)} ${streetText(p, r)}`, ...area];
}

function recase(text: string, form: number): string {
  return form === 1 ? text.toUpperCase() : form === 2 ? text.toLowerCase() : text;
}

/**
 * The place written as one seller writes it this time: abbreviations, case, commas, spacing,
 * line split and sometimes full-width characters vary; the region and postal code come and go.
 * Every rendering of one place has the same `addressKey`, and no rendering meets another place.
 */
export function renderPlace(p: Place, r: Random): RenderedAddress {
  const parts = segments(p, r);
  const sep = r.pick([', ', ', ', ',', ' ', ' , ', ',  ']);
  const split = parts.length > 1 && r.chance(0.5) ? 1 + r.int(parts.length - 1) : parts.length;
  const caseForm = r.weightedIndex([6, 1, 1]);
  let line1 = recase(parts.slice(0, split).join(sep), caseForm);
  let line2 = split < parts.length ? recase(parts.slice(split).join(sep), caseForm) : undefined;
  let city = p.city.variants === undefined ? p.city.name : r.pick(p.city.variants);
  city = recase(city, caseForm);
  if (r.chance(0.04)) {
    line1 = fullWidth(line1);
    if (line2 !== undefined) line2 = fullWidth(line2);
    city = fullWidth(city);
  }
  const region = p.city.region !== undefined && r.chance(0.7) ? p.city.region : undefined;
  const postal = p.city.postal !== undefined && r.chance(0.7) ? p.city.postal : undefined;
  return {
    line1,
    ...(line2 === undefined ? {} : { line2 }),
    city,
    ...(region === undefined ? {} : { region }),
    ...(postal === undefined ? {} : { postal_code: postal }),
    country: p.country,
  };
}
