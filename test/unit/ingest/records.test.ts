import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  RECORD_KINDS,
  fromCsvRow,
  parseIso8601,
  validateRecord,
  type RecordKind,
} from '../../../src/ingest/records.ts';

const VALID: Record<RecordKind, Record<string, unknown>> = {
  sellers: { seller_id: 'S0000001', store_name: 'Lux Outlet 88' },
  listings: { listing_id: 'L00000001', seller_id: 'S0000001', title: 'Velmont Paris Tote', price: 420, currency: 'USD' },
  payment_accounts: { seller_id: 'S0000001', account_id: '6222 0212 3456 7890 123', kind: 'bank' },
  addresses: { seller_id: 'S0000001', role: 'return', line1: 'Room 1203, 88 Nathan Road', city: 'Kowloon', country: 'HK' },
  shipping_links: { seller_id: 'S0000001', shipment_id: 'SH1', carrier: 'Dragon Post', sender_phone: '+86 138 0013 8000' },
};

function reasonOf(kind: RecordKind, value: unknown): string {
  const result = validateRecord(kind, value);
  if (result.ok) throw new Error(`expected ${kind} ${JSON.stringify(value)} to be rejected`);
  return result.reason;
}

function recordOf(kind: RecordKind, value: unknown): Record<string, unknown> {
  const result = validateRecord(kind, value);
  if (!result.ok) throw new Error(`expected ${kind} to be accepted, got: ${result.reason}`);
  return result.record as Record<string, unknown>;
}

describe('validateRecord accepts', () => {
  it.each(RECORD_KINDS)('a minimal %s record', (kind) => {
    expect(validateRecord(kind, VALID[kind]).ok).toBe(true);
  });

  it('every optional field absent, null or "" as "not given"', () => {
    for (const empty of [undefined, null, '', '   ']) {
      const seller = recordOf('sellers', { ...VALID.sellers, registered_at: empty, country: empty, email: empty, phone: empty, status: empty });
      expect(seller).toEqual({ seller_id: 'S0000001', store_name: 'Lux Outlet 88' });
      const listing = recordOf('listings', { ...VALID.listings, brand: empty, category: empty, listed_at: empty, image_hash: empty });
      expect(listing.brand).toBeUndefined();
      const link = recordOf('shipping_links', { ...VALID.shipping_links, carrier_account: empty, origin: empty, shipped_at: empty });
      expect(link.origin).toBeUndefined();
    }
  });

  it('unknown extra fields, stripping them', () => {
    const seller = recordOf('sellers', { ...VALID.sellers, rating: 4.5, internal: { x: 1 } });
    expect(seller).not.toHaveProperty('rating');
    expect(seller).not.toHaveProperty('internal');
    const link = recordOf('shipping_links', { ...VALID.shipping_links, origin: { line1: '1 Keji Rd', city: 'Shenzhen', country: 'CN', role: 'return', geo: [1, 2] } });
    expect(link.origin).toEqual({ line1: '1 Keji Rd', city: 'Shenzhen', country: 'CN' });
  });

  it('prices as numbers or decimal strings, including 0', () => {
    expect(recordOf('listings', { ...VALID.listings, price: 0 }).price).toBe(0);
    expect(recordOf('listings', { ...VALID.listings, price: '12.50' }).price).toBe(12.5);
    expect(recordOf('listings', { ...VALID.listings, price: ' 1e3 ' }).price).toBe(1000);
    expect(recordOf('listings', { ...VALID.listings, price: '.5' }).price).toBe(0.5);
  });

  it('codes in any case, enums in any case, text trimmed', () => {
    const seller = recordOf('sellers', { ...VALID.sellers, seller_id: ' S1 ', country: 'cn' });
    expect(seller).toMatchObject({ seller_id: 'S1', country: 'CN' });
    expect(recordOf('listings', { ...VALID.listings, currency: 'usd' }).currency).toBe('USD');
    expect(recordOf('payment_accounts', { ...VALID.payment_accounts, kind: 'Wallet' }).kind).toBe('wallet');
    expect(recordOf('addresses', { ...VALID.addresses, role: 'RETURN', country: 'hk' })).toMatchObject({ role: 'return', country: 'HK' });
  });

  it('account ids as entered, spaces and dashes included', () => {
    expect(recordOf('payment_accounts', { ...VALID.payment_accounts, account_id: 'de89-3704 0044' }).account_id).toBe('de89-3704 0044');
  });

  it.each([
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T08:00:00Z', '2024-03-01T08:00:00.000Z'],
    ['2024-03-01T08:00:00+08:00', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T08:00:00.123456-0500', '2024-03-01T13:00:00.123Z'],
    ['2024-03-01 08:00', '2024-03-01T08:00:00.000Z'],
    ['2024-02-29T23:59:59+01', '2024-02-29T22:59:59.000Z'],
  ])('timestamp %s as %s (no offset means UTC)', (raw, expected) => {
    expect(recordOf('sellers', { ...VALID.sellers, registered_at: raw }).registered_at).toBe(expected);
  });

  it('a shipping link with only an origin, or only a carrier account', () => {
    const base = { seller_id: 'S1', shipment_id: 'X', carrier: 'Dragon Post' };
    expect(validateRecord('shipping_links', { ...base, origin: { line1: '1 Keji Rd', city: 'Shenzhen', country: 'cn' } }).ok).toBe(true);
    expect(validateRecord('shipping_links', { ...base, carrier_account: 'DP-0755-1234' }).ok).toBe(true);
  });
});

describe('validateRecord rejects, naming the field', () => {
  it.each<[string, RecordKind, Record<string, unknown> | unknown, string]>([
    ['not an object', 'sellers', ['S1'], 'record: must be a JSON object'],
    ['null', 'sellers', null, 'record: must be a JSON object'],
    ['a string', 'listings', 'L1,S1', 'record: must be a JSON object'],
    ['a missing required field', 'sellers', { store_name: 'x' }, 'seller_id: is required'],
    ['a null required field', 'sellers', { seller_id: null, store_name: 'x' }, 'seller_id: is required'],
    ['an empty required field', 'sellers', { seller_id: '  ', store_name: 'x' }, 'seller_id: is required'],
    ['a number for text', 'sellers', { seller_id: 'S1', store_name: 42 }, 'store_name: must be a string'],
    ['an id over 200 characters', 'sellers', { seller_id: 'S'.repeat(201), store_name: 'x' }, 'seller_id: must be at most 200 characters'],
    ['an id with a control character', 'sellers', { seller_id: 'S\u00001', store_name: 'x' }, 'seller_id: must not contain control characters'],
    ['an id with a newline', 'listings', { ...VALID.listings, listing_id: 'L1\nL2' }, 'listing_id: must not contain control characters'],
    ['text over its limit', 'listings', { ...VALID.listings, title: 'x'.repeat(1001) }, 'title: must be at most 1000 characters'],
    ['a three-letter country', 'sellers', { ...VALID.sellers, country: 'CHN' }, 'country: must be an ISO 3166-1 alpha-2 code (2 letters)'],
    ['a country with a digit', 'addresses', { ...VALID.addresses, country: 'H1' }, 'country: must be an ISO 3166-1 alpha-2 code (2 letters)'],
    ['a currency symbol', 'listings', { ...VALID.listings, currency: '$' }, 'currency: must be an ISO 4217 code (3 letters)'],
    ['a missing currency', 'listings', { ...VALID.listings, currency: '' }, 'currency: is required'],
    ['a price in words', 'listings', { ...VALID.listings, price: 'abc' }, 'price: must be a number'],
    ['a price with a decimal comma', 'listings', { ...VALID.listings, price: '12,50' }, 'price: must be a number'],
    ['a price with a currency sign', 'listings', { ...VALID.listings, price: '$12' }, 'price: must be a number'],
    ['a boolean price', 'listings', { ...VALID.listings, price: true }, 'price: must be a number'],
    ['a negative price', 'listings', { ...VALID.listings, price: -0.01 }, 'price: must be ≥ 0'],
    ['a negative price string', 'listings', { ...VALID.listings, price: '-5' }, 'price: must be ≥ 0'],
    ['an infinite price', 'listings', { ...VALID.listings, price: '1e400' }, 'price: must be a finite number'],
    ['NaN', 'listings', { ...VALID.listings, price: Number.NaN }, 'price: must be a finite number'],
    ['a missing price', 'listings', { ...VALID.listings, price: null }, 'price: is required'],
    ['a date in words', 'sellers', { ...VALID.sellers, registered_at: 'yesterday' }, 'registered_at: must be an ISO 8601 date or date-time'],
    ['30 February', 'listings', { ...VALID.listings, listed_at: '2024-02-30' }, 'listed_at: must be an ISO 8601 date or date-time'],
    ['month 13', 'sellers', { ...VALID.sellers, registered_at: '2024-13-01' }, 'registered_at: must be an ISO 8601 date or date-time'],
    ['hour 25', 'shipping_links', { ...VALID.shipping_links, shipped_at: '2024-01-01T25:00:00Z' }, 'shipped_at: must be an ISO 8601 date or date-time'],
    ['a US-style date', 'sellers', { ...VALID.sellers, registered_at: '03/01/2024' }, 'registered_at: must be an ISO 8601 date or date-time'],
    ['a numeric timestamp', 'sellers', { ...VALID.sellers, registered_at: 1709251200000 }, 'registered_at: must be an ISO 8601 date or date-time'],
    ['an unknown account kind', 'payment_accounts', { ...VALID.payment_accounts, kind: 'crypto' }, 'kind: must be one of bank, card, wallet, other'],
    ['a missing account kind', 'payment_accounts', { ...VALID.payment_accounts, kind: undefined }, 'kind: is required'],
    ['an account id of separators only', 'payment_accounts', { ...VALID.payment_accounts, account_id: '- - -' }, 'account_id: must contain letters or digits'],
    ['an unknown address role', 'addresses', { ...VALID.addresses, role: 'home' }, 'role: must be one of registered, return, pickup, warehouse'],
    ['an address without city', 'addresses', { ...VALID.addresses, city: '' }, 'city: is required'],
    ['a shipping link with no identifier', 'shipping_links', { seller_id: 'S1', shipment_id: 'X', carrier: 'Dragon Post', carrier_account: '' }, 'record: needs at least one of carrier_account, sender_phone, origin'],
    ['an origin that is a string', 'shipping_links', { ...VALID.shipping_links, origin: 'Shenzhen' }, 'origin: must be an address object'],
    ['an origin without city and country', 'shipping_links', { ...VALID.shipping_links, origin: { line1: '1 Keji Rd' } }, 'origin.city: is required; origin.country: is required'],
  ])('%s', (_name, kind, value, reason) => {
    expect(reasonOf(kind, value)).toBe(reason);
  });

  it('names every failing field in one sentence', () => {
    expect(reasonOf('listings', { listing_id: 'L1', title: 'Bag', price: -1, currency: 'dollars' })).toBe(
      'seller_id: is required; price: must be ≥ 0; currency: must be an ISO 4217 code (3 letters)',
    );
  });
});

describe('fromCsvRow', () => {
  it('folds origin_* columns into origin and leaves validation to validateRecord', () => {
    const row = {
      seller_id: 'S1',
      shipment_id: 'SH1',
      carrier: 'Dragon Post',
      carrier_account: '',
      sender_phone: '',
      origin_line1: 'Room 5, 1 Keji Rd',
      origin_line2: '',
      origin_city: 'Shenzhen',
      origin_region: 'Guangdong',
      origin_postal_code: '',
      origin_country: 'cn',
      shipped_at: '2024-03-01',
    };
    const value = fromCsvRow('shipping_links', row);
    expect(value).not.toHaveProperty('origin_line1');
    expect(value.origin).toMatchObject({ line1: 'Room 5, 1 Keji Rd', city: 'Shenzhen', region: 'Guangdong', country: 'cn' });
    expect(recordOf('shipping_links', value).origin).toEqual({ line1: 'Room 5, 1 Keji Rd', city: 'Shenzhen', region: 'Guangdong', country: 'CN' });
  });

  it('leaves origin out when every origin_* column is empty', () => {
    const value = fromCsvRow('shipping_links', { seller_id: 'S1', shipment_id: 'SH1', carrier: 'DP', carrier_account: 'DP-1', origin_line1: '', origin_city: '', origin_country: '' });
    expect(value).not.toHaveProperty('origin');
    expect(validateRecord('shipping_links', value).ok).toBe(true);
  });

  it('a partly filled origin is kept, so the missing parts are reported', () => {
    const value = fromCsvRow('shipping_links', { seller_id: 'S1', shipment_id: 'SH1', carrier: 'DP', origin_line1: '1 Keji Rd', origin_city: '', origin_country: '' });
    expect(reasonOf('shipping_links', value)).toBe('origin.city: is required; origin.country: is required');
  });

  it('turns a decimal price into a number and leaves a bad one for the schema', () => {
    expect(fromCsvRow('listings', { price: '19.90' }).price).toBe(19.9);
    expect(fromCsvRow('listings', { price: 'abc' }).price).toBe('abc');
    expect(reasonOf('listings', fromCsvRow('listings', { ...VALID.listings, price: 'abc' } as Record<string, string>))).toBe('price: must be a number');
  });

  it('does not touch origin_* columns of other kinds', () => {
    expect(fromCsvRow('addresses', { origin_line1: 'x' })).toEqual({ origin_line1: 'x' });
  });

  it('CSV columns cover every field of the contract', () => {
    expect(CSV_COLUMNS.shipping_links).toContain('origin_postal_code');
    expect(CSV_COLUMNS.listings.slice(0, 5)).toEqual(['listing_id', 'seller_id', 'title', 'price', 'currency']);
  });
});

describe('parseIso8601', () => {
  it('reads offsets and rejects impossible dates', () => {
    expect(parseIso8601('2024-03-01T00:00:00Z')).toBe(Date.UTC(2024, 2, 1));
    expect(parseIso8601('2023-02-29')).toBeUndefined();
    expect(parseIso8601('2024-03-01T00:60:00Z')).toBeUndefined();
    expect(parseIso8601('2024-03-01T00:00:00+24:00')).toBeUndefined();
  });
});
