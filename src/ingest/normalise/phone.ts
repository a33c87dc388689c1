/**
 * Phone numbers to E.164, so that every way a seller writes one number meets in one node
 * (docs/ingest.md "Normalisation": `+86`, `0086`, `(+86)`, none, spaces and dashes all meet).
 *
 * Metadata: we import `libphonenumber-js/max` on purpose. The result becomes a shared identifier
 * node, so a string that no operator could have assigned (a typo, `+86 100 0000 0000`, a form
 * filler's placeholder) must give `null` rather than a node that glues unrelated sellers together.
 * `min` metadata only checks leading digits and length and accepts such numbers; `max` checks each
 * country's full number patterns. The price — about 145 kB of metadata loaded once per process and
 * a few microseconds per number — is nothing next to a false link. Metadata is pinned with the
 * package version, so the same input always gives the same key.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/** Characters that may appear in a written phone number besides digits and a leading plus. */
const SEPARATORS = /[\s().\-\/\u2010-\u2015\u2212\u30fc]/gu;
/** A trailing extension ("ext. 12", "x12", "#12", "分机 12"): not part of the E.164 number. */
const EXTENSION = /(?:e?xt\.?|extension|x|#|分机|轉|转)\s*\d{1,6}$/iu;
/** "+44 (0)20 …": the trunk prefix written in brackets after the country code, which E.164 drops. */
const BRACKETED_TRUNK = /^(\+\d{1,3})\s*\(0\)/u;

/**
 * Returns the E.164 form (`+8613800138000`) of a phone number as a seller typed it, or `null` when
 * it is not a valid number. `defaultCountry` (ISO 3166-1 alpha-2, any case) says how to read a
 * number written without an international prefix; without it such a number gives `null`, because
 * `13800138000` alone could belong to any country. An international `00` prefix is understood
 * whatever the default country, as is the default country's own (e.g. `011` for the US).
 */
export function normalisePhone(raw: string, defaultCountry?: string): string | null {
  // NFKC turns full-width digits and the full-width plus (＋８６…) into ASCII.
  let text = raw.normalize('NFKC').trim();
  if (text === '') return null;
  text = text.replace(EXTENSION, '').replace(BRACKETED_TRUNK, '$1');
  const compact = text.replace(SEPARATORS, '');
  // Anything but digits and one leading plus is not a phone number (letters, two numbers, …).
  if (!/^\+?\d{4,20}$/u.test(compact)) return null;

  const country = asCountry(defaultCountry);
  if (compact.startsWith('+')) return e164(compact, undefined);
  if (country !== undefined) {
    const national = e164(compact, country);
    if (national !== null) return national;
  }
  // `00` is the international prefix in most of the world; try it when the default country's own
  // reading failed (or there is no default country), so `0086…` meets `+86…` from any record.
  if (compact.startsWith('00')) return e164(`+${compact.slice(2)}`, undefined);
  return null;
}

function asCountry(code: string | undefined): CountryCode | undefined {
  if (code === undefined) return undefined;
  const upper = code.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

function e164(compact: string, country: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(
    compact,
    country === undefined ? { extract: false } : { defaultCountry: country, extract: false },
  );
  return parsed !== undefined && parsed.isValid() ? parsed.number : null;
}
