/**
 * Turns validated records into the parameter rows of the batch statements in cypher/ingest/:
 * identifiers normalised into node keys, the raw forms kept beside them as evidence.
 */
import { addressKey, type AddressParts } from './normalise/address.ts';
import { normaliseAccountId } from './normalise/account.ts';
import { carrierAccountKey, phoneKey } from './normalise/identifierKeys.ts';
import type { RecordKind, RecordOfKind } from './records.ts';
import { BoundedMemo } from './memo.ts';
import { brandKey } from '../vocabulary.ts';

export type GraphRow = Record<string, string | number | boolean | null>;

/** Where a phone written without a country code is read: the seller's country, when known. */
export type CountryOf = (sellerId: string) => string | undefined;

export { phoneKey };

// 5,000 recent addresses, as for phones (normalise/identifierKeys.ts).
const addressMemo = new BoundedMemo<string>(5_000);

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
      return {
        sellerId: r.seller_id,
        shipmentId: r.shipment_id,
        carrier: r.carrier,
        shippedAt: r.shipped_at ?? null,
        carrierAccountKey: r.carrier_account === undefined ? null : carrierAccountKey(r.carrier, r.carrier_account),
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
