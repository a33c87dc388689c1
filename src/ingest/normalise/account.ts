/**
 * Payment and carrier account numbers as they are entered ("6222 0212-3456.7890", "de89 3704 …")
 * reduced to their significant characters, so that every way of writing one account meets in one
 * node. Only separators are dropped; every letter and digit stays, including an IBAN's country
 * code and check digits, because two accounts that differ in any of them are two accounts.
 */

/**
 * Separators people put into account numbers: whitespace of any width, dashes of any kind, dots
 * (including the middle dots and ideographic full stop of East Asian input), slashes, and
 * invisible format characters (zero-width spaces, byte-order marks) pasted along with the number.
 */
const SEPARATORS = /[\s\p{Pd}\u2212.\u00b7\u30fb\u3002\/\\\p{Cf}\p{Cc}]/gu;

/**
 * Returns the canonical form of an account identifier — NFKC (full-width to ASCII), separators
 * removed, upper case — or `null` when nothing significant is left.
 */
export function normaliseAccountId(raw: string): string | null {
  const significant = raw.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  return significant === '' ? null : significant;
}
