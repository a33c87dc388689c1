/**
 * The keys of shared identifier nodes that are more than one normaliser's output: a phone's key
 * (E.164, or its digits when it cannot be read) and a carrier account's key (carrier and account).
 * Ingest (graphRows.ts) builds its rows with these and screening (src/screening/screening.ts)
 * looks applicants up with them, so an applicant's identifier meets exactly the node that ingest
 * made of the same text (docs/ingest.md, "Normalisation").
 */
import { BoundedMemo } from '../memo.ts';
import { normaliseAccountId } from './account.ts';
import { normalisePhone } from './phone.ts';

export interface PhoneKey {
  phoneKey: string | null;
  phoneRaw: string | null;
  phoneNormalised: boolean;
}

/**
 * E.164 when the number can be read; otherwise its digits under a `digits:` prefix, so that the
 * same unreadable number (say, a national number of a seller whose country is not known yet)
 * still meets itself, and nothing the seller wrote is lost. `phoneKey: null` when fewer than six
 * digits are left: that is no phone number.
 */
export function phoneKey(raw: string | undefined, country: string | undefined): PhoneKey {
  if (raw === undefined) return { phoneKey: null, phoneRaw: null, phoneNormalised: false };
  return phoneMemo.get(`${country ?? ''}\u0000${raw}`, () => readPhone(raw, country));
}

// 5,000 recent phones: the ones that come back (a seller's parcels sit together in a file). At
// 50,000 the process held about 90 MB more at its peak for no measurable speed-up on generated
// data (bench/out scratch run: a 20k-seller market ingested four times over against a stub
// database, peak RSS 301 MB at 50,000, 208 MB at 5,000, 202 MB without a memo).
const phoneMemo = new BoundedMemo<PhoneKey>(5_000);

function readPhone(raw: string, country: string | undefined): PhoneKey {
  const e164 = normalisePhone(raw, country);
  if (e164 !== null) return { phoneKey: e164, phoneRaw: raw, phoneNormalised: true };
  const digits = raw.normalize('NFKC').replace(/\D/g, '');
  return { phoneKey: digits.length >= 6 ? `digits:${digits}` : null, phoneRaw: raw, phoneNormalised: false };
}

/**
 * A carrier account's key: the carrier (trimmed, upper case) and the account's significant
 * characters (`SF:00991234`), because an account number means something only with its carrier.
 * `null` when the account has nothing significant.
 */
export function carrierAccountKey(carrier: string, account: string): string | null {
  const significant = normaliseAccountId(account);
  return significant === null ? null : `${carrier.trim().toUpperCase()}:${significant}`;
}
