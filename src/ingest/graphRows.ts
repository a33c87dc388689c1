/**
 * Turns validated records into the parameter rows of the batch statements in cypher/ingest/:
 * identifiers normalised into node keys, the raw forms kept beside them as evidence.
 */
import { addressKey, type AddressParts } from './normalise/address.ts';
import { normaliseAccountId } from './normalise/account.ts';
import { normalisePhone } from './normalise/phone.ts';
import type { RecordKind, RecordOfKind } from './records.ts';
import { BoundedMemo } from './memo.ts';
import { brandKey } from '../vocabulary.ts';

export type GraphRow = Record<string, string | number | boolean | null>;

/** Where a phone written without a country code is read: the seller's country, when known. */
export type CountryOf = (sellerId: string) => string | undefined;

interface PhoneKey {
  phoneKey: string | null;
  phoneRaw: string | null;
  phoneNormalised: boolean;
}

/**
 * E.164 when the number can be read; otherwise its digits under a `digits:` prefix, so that the
 * same unreadable number (say, a national number of a seller whose country is not known yet)
 * still meets itself, and nothing the seller wrote is lost.
 */
export function phoneKey(raw: string | undefined, country: string | undefined): PhoneKey {
  if (raw === undefined) return { phoneKey: null, phoneRaw: null, phoneNormalised: false };
  return phoneMemo.get(`${country ?? ''}\u0000${raw}`, () => readPhone(raw, country));
}

// 5,000 recent identifiers each: the ones that come back (a seller's parcels sit together in a
// file). At 50,000 the process held about 90 MB more at its peak for no measurable speed-up on
// generated data (bench/out scratch run: a 20k-seller market ingested four times over against a
// stub database, peak RSS 301 MB at 50,000, 208 MB at 5,000, 202 MB without a memo).
const phoneMemo = new BoundedMemo<PhoneKey>(5_000);
const addressMemo = new BoundedMemo<string>(5_000);

function readPhone(raw: string, country: string | undefined): PhoneKey {
  const e164 = normalisePhone(raw, country);
  if (e164 !== null) return { phoneKey: e164, phoneRaw: raw, phoneNormalised: true };
  const digits = raw.normalize('NFKC').replace(/\D/g, '');
  return { phoneKey: digits.length >= 6 ? `digits:${digits}` : null, phoneRaw: raw, phoneNormalised: false };
}

/** The canonical key of an address (normalise/address.ts), memoised on its parts. */
function addressKeyOf(a: AddressParts): string {
  const parts = `${a.line1}\u0000${a.line2 ?? ''}\u0000${a.city}\u0000${a.country}`;
  return addressMemo.get(parts, () => addressKey(a));
}

function rawAddress(a: AddressParts): string {
  return [a.line1, a.line2, a.city, a.region, a.postal_code, a.country].filter((part) => part !== undefined && part !== '').join(', ');
}

/** The brand as a key: case and spacing do not make another brand. */

export function toGraphRow<K extends RecordKind>(kind: K, record: RecordOfKind[K], countryOf: CountryOf): GraphRow {
  switch (kind) {
    case 'sellers': {
      const r = record as RecordOfKind['sellers'];
      return {
        sellerId: r.seller_id,
        storeName: r.store_name,
        registeredAt: r.registered_at ?? null,
        country: r.country ?? null,
        email: r.email ?? null,
        status: r.status ?? null,
        ...phoneKey(r.phone, r.country),
      };
    }
    case 'listings': {
      const r = record as RecordOfKind['listings'];
      return {
        listingId: r.listing_id,
        sellerId: r.seller_id,
        title: r.title,
        price: r.price,
        currency: r.currency,
        brand: r.brand ?? null,
        brandKey: brandKey(r.brand),
        category: r.category ?? null,
        listedAt: r.listed_at ?? null,
        imageHash: r.image_hash?.toLowerCase() ?? null,
      };
    }
    case 'payment_accounts': {
      const r = record as RecordOfKind['payment_accounts'];
      return {
        sellerId: r.seller_id,
        // The schema has already refused an account id with no significant characters.
        accountKey: normaliseAccountId(r.account_id)!,
        raw: r.account_id,
        kind: r.kind,
        holderName: r.holder_name ?? null,
        institution: r.institution ?? null,
      };
    }
    case 'addresses': {
      const r = record as RecordOfKind['addresses'];
      return { sellerId: r.seller_id, role: r.role, addressKey: addressKeyOf(r), raw: rawAddress(r), city: r.city, country: r.country };
    }
    case 'shipping_links': {
      const r = record as RecordOfKind['shipping_links'];
      const account = r.carrier_account === undefined ? null : normaliseAccountId(r.carrier_account);
      return {
        sellerId: r.seller_id,
        shipmentId: r.shipment_id,
        carrier: r.carrier,
        shippedAt: r.shipped_at ?? null,
        // A carrier account number means something only with its carrier.
        carrierAccountKey: account === null ? null : `${r.carrier.trim().toUpperCase()}:${account}`,
        carrierAccountRaw: r.carrier_account ?? null,
        ...phoneKey(r.sender_phone, countryOf(r.seller_id) ?? r.origin?.country),
        originKey: r.origin ? addressKeyOf(r.origin) : null,
        originRaw: r.origin ? rawAddress(r.origin) : null,
        originCity: r.origin?.city ?? null,
        originCountry: r.origin?.country ?? null,
      };
    }
  }
  throw new Error(`unknown record kind ${String(kind)}`);
}
