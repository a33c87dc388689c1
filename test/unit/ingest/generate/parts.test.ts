import { describe, expect, it } from 'vitest';
import { IsoFormatter } from '../../../../src/ingest/generate/emit.ts';
import { COUNTRY_CODES, type CountryCode } from '../../../../src/ingest/generate/geo.ts';
import {
  IdentityFactory,
  renderAccount,
  renderPhone,
  renderPlace,
  unitOf,
  type Place,
} from '../../../../src/ingest/generate/identities.ts';
import { assignRingUses } from '../../../../src/ingest/generate/plan.ts';
import { Random, Scatter } from '../../../../src/ingest/generate/random.ts';
import { normaliseAccountId } from '../../../../src/ingest/normalise/account.ts';
import { addressKey } from '../../../../src/ingest/normalise/address.ts';
import { normalisePhone } from '../../../../src/ingest/normalise/phone.ts';
import { validateRecord } from '../../../../src/ingest/records.ts';

describe('generated identifiers', () => {
  const r = new Random(11);
  const ids = new IdentityFactory(r, 50_000);

  it.each(COUNTRY_CODES)('%s phones: every rendering is valid and normalises to the same E.164 number', (country) => {
    for (let i = 0; i < 200; i++) {
      const phone = ids.phone(country);
      const expected = `+${phone.callingCode}${phone.national}`;
      for (let j = 0; j < 8; j++) {
        const raw = renderPhone(phone, r, country);
        expect(normalisePhone(raw, country), raw).toBe(expected);
      }
      // Outside its country a number is never written nationally, so it reads without a default.
      expect(normalisePhone(renderPhone(phone, r, undefined))).toBe(expected);
    }
  });

  it.each(COUNTRY_CODES)('%s accounts: every rendering normalises to the canonical id', (country) => {
    for (let i = 0; i < 100; i++) {
      for (const kind of ['bank', 'card', 'wallet'] as const) {
        const account = ids.account(country, kind, 'Mei Chan');
        expect(normaliseAccountId(account.id)).toBe(account.id);
        for (let j = 0; j < 5; j++) expect(normaliseAccountId(renderAccount(account, r))).toBe(account.id);
      }
    }
  });

  it.each(COUNTRY_CODES)('%s places: every rendering has one key, valid as an address record', (country) => {
    for (let i = 0; i < 150; i++) {
      const place: Place =
        i % 3 === 0 && country !== 'DE'
          ? { ...ids.building(country, r.pick(['building', 'centre', 'tower'] as const)), ...unitOf(country, r.between(1, 40), r.int(20), r) }
          : ids.place(country);
      const key = addressKey(renderPlace(place, r));
      for (let j = 0; j < 10; j++) {
        const rendered = renderPlace(place, r);
        expect(addressKey(rendered), JSON.stringify(rendered)).toBe(key);
        expect(validateRecord('addresses', { seller_id: 'S1', role: 'return', ...rendered }).ok).toBe(true);
      }
    }
  });

  it('never gives two places the same key, nor two phones or accounts the same number', () => {
    const keys = new Set<string>();
    const phones = new Set<string>();
    const accounts = new Set<string>();
    const factory = new IdentityFactory(new Random(3), 20_000);
    const rr = new Random(4);
    for (let i = 0; i < 20_000; i++) {
      const country = COUNTRY_CODES[i % COUNTRY_CODES.length] as CountryCode;
      keys.add(addressKey(renderPlace(factory.place(country), rr)));
      const p = factory.phone(country);
      phones.add(p.callingCode + p.national);
      accounts.add(factory.account(country, 'bank', 'x').id);
    }
    expect(keys.size).toBe(20_000);
    expect(phones.size).toBe(20_000);
    expect(accounts.size).toBe(20_000);
  });
});

describe('Scatter', () => {
  it('is a bijection of [0, m)', () => {
    for (const m of [1, 2, 97, 1000, 4096, 999_999]) {
      const s = new Scatter(m, 12345);
      const seen = new Set<number>();
      for (let i = 0; i < Math.min(m, 50_000); i++) seen.add(s.at(i));
      expect(seen.size).toBe(Math.min(m, 50_000));
    }
  });
});

describe('assignRingUses', () => {
  it('links every ring member to the ring through shared identifiers, partially', () => {
    const r = new Random(5);
    let allShareEverything = 0;
    for (let trial = 0; trial < 300; trial++) {
      const size = r.between(3, 60);
      const pools = { accounts: r.between(1, 4), phones: r.between(1, 4), places: r.between(1, 4), carriers: r.between(1, 3) };
      const uses = assignRingUses(size, pools, r);
      expect(uses).toHaveLength(size);
      // Union–find over members through each identifier.
      const parent = Array.from({ length: size }, (_, i) => i);
      const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x] as number)));
      for (const kind of ['accounts', 'phones', 'places', 'carriers'] as const) {
        for (let item = 0; item < pools[kind]; item++) {
          const users = uses.flatMap((u, m) => (u[kind].includes(item) ? [m] : []));
          for (const m of users.slice(1)) parent[find(m)] = find(users[0] as number);
          if (users.length === size) allShareEverything++;
        }
      }
      expect(new Set(parent.map((_, i) => find(i))).size).toBe(1);
      for (const u of uses) expect(u.accounts.length + u.phones.length + u.places.length + u.carriers.length).toBeGreaterThan(0);
    }
    // Some small rings share an identifier among all members; most identifiers are partial.
    expect(allShareEverything).toBeLessThan(300);
  });
});

describe('IsoFormatter', () => {
  it('formats exactly like Date#toISOString', () => {
    const iso = new IsoFormatter();
    const r = new Random(9);
    for (let i = 0; i < 20_000; i++) {
      const t = Date.UTC(2019, 0, 1) + r.next() * 7 * 365 * 86_400_000;
      expect(iso.format(t)).toBe(new Date(Math.round(t)).toISOString());
    }
  });
});
