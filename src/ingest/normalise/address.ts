/**
 * A canonical key for a postal address, so that the same place written many ways meets in one
 * node while two places never do (docs/ingest.md "Normalisation").
 *
 * What is forgiven: case, punctuation, spacing, full-width characters (NFKC), Latin accents,
 * `ß`/`ss`, ordinals (`12th`), leading zeros (`Flat 03` is `Flat 3`), common abbreviations
 * (Rd/Road, St/Street, Rm/Room/Unit/Flat, Bldg/Blk/Block/Building, Fl/Floor/F, No./#/Number,
 * Dist/District, Ind/Industrial, …), `12/F` for the 12th floor, Chinese unit suffixes (`1203室`,
 * `12楼`, `B座`, `88号`), the order of the unit parts (`Rm 1203, 12/F` = `12/F, Rm 1203`), commas, and
 * where the line1/line2 split falls.
 *
 * What is never forgiven: any number. Every digit run stays in the key, and a unit designator keeps
 * its value (`room:1203`), so `Room 1203` never meets `Room 1230`, and two rooms of one building
 * are two keys. Numbers joined by `-` or `/` stay one value (`12-03`), not `1203`.
 *
 * Deliberately left out of the key: `region` and `postal_code`. Sellers fill them in
 * inconsistently (present on one form, missing on the next; "Guangdong", "GD", "Guangdong
 * Province"), so keeping them would split one place into several nodes; street, number, units,
 * city and country already pin the place down. The cost is that the same street address in two
 * same-named cities of one country meets — rare, and a shared address is among the weaker links
 * the projection weighs.
 */

/** The structured address of an ingest record (`addresses`, or a shipping link's `origin`). */
export interface AddressParts {
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postal_code?: string | undefined;
  country: string;
}

type UnitClass = 'room' | 'floor' | 'block' | 'tower' | 'shop';

/** Words that introduce a unit value: `Room 1203`, `Blk B`, `Floor 12`. */
const PREFIX_UNIT: ReadonlyMap<string, UnitClass> = new Map<string, UnitClass>([
  ...(['rm', 'room', 'unit', 'flat', 'apt', 'apartment', 'suite', 'ste'] as const).map(
    (w) => [w, 'room'] as const,
  ),
  ...(['f', 'fl', 'flr', 'floor'] as const).map((w) => [w, 'floor'] as const),
  ...(['blk', 'block', 'bldg', 'bld', 'bldng', 'building'] as const).map((w) => [w, 'block'] as const),
  ...(['twr', 'tower'] as const).map((w) => [w, 'tower'] as const),
  ['shop', 'shop'],
]);

/** Words that follow their value: `12 Floor`, `1203室`, `12楼`, `B座`. */
const SUFFIX_UNIT: ReadonlyMap<string, UnitClass> = new Map<string, UnitClass>([
  ...(['f', 'fl', 'flr', 'floor', '楼', '樓', '层', '層'] as const).map((w) => [w, 'floor'] as const),
  ['室', 'room'],
  ...(['座', '栋', '棟', '幢'] as const).map((w) => [w, 'block'] as const),
]);

/** Markers meaning "the number is": `No. 88`, `#88`, `Nr. 88`, `88号`. They add nothing. */
const NUMBER_MARKERS: ReadonlySet<string> = new Set(['no', 'nr', 'num', 'number', '#', '号', '號']);

/** Abbreviation → canonical word, for every word that is not a unit value. */
const WORDS: ReadonlyMap<string, string> = (() => {
  const groups: Record<string, readonly string[]> = {
    road: ['rd', 'road'],
    street: ['st', 'str', 'street', 'strasse'],
    avenue: ['av', 'ave', 'avn', 'avenue'],
    boulevard: ['blvd', 'boulevard'],
    drive: ['dr', 'drv', 'drive'],
    lane: ['ln', 'lane'],
    court: ['ct', 'crt', 'court'],
    place: ['pl', 'place'],
    square: ['sq', 'square'],
    terrace: ['tce', 'terr', 'terrace'],
    crescent: ['cres', 'crescent'],
    highway: ['hwy', 'highway'],
    parkway: ['pkwy', 'parkway'],
    centre: ['ctr', 'cntr', 'center', 'centre'],
    district: ['dist', 'dstr', 'district'],
    industrial: ['ind', 'indl', 'indus', 'industrial'],
    estate: ['est', 'estate'],
    garden: ['gdn', 'garden'],
    gardens: ['gdns', 'gardens'],
    mount: ['mt', 'mount'],
    plaza: ['plz', 'plaza'],
    park: ['pk', 'park'],
    village: ['vlg', 'village'],
    province: ['prov', 'province'],
    north: ['n', 'north'],
    south: ['s', 'south'],
    east: ['e', 'east'],
    west: ['w', 'west'],
    room: ['rm', 'room', 'unit', 'flat', 'apt', 'apartment', 'suite', 'ste'],
    floor: ['f', 'fl', 'flr', 'floor'],
    block: ['blk', 'block', 'bldg', 'bld', 'bldng', 'building'],
    tower: ['twr', 'tower'],
  };
  const map = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(groups)) {
    for (const variant of variants) map.set(variant, canonical);
  }
  return map;
})();

/** A token that can be the value of a unit: it starts with a digit, or is one letter, or a letter and digits (`b2`). */
function isUnitValue(token: string | undefined): token is string {
  return token !== undefined && /^(?:\p{N}|[a-z]$|[a-z]\d+[a-z]?$)/u.test(token);
}

/**
 * Lower-cased, accent-free, ASCII-punctuated text with separators normalised so that the
 * tokeniser sees every variant of one address alike.
 */
function canonicalText(text: string): string {
  // Most addresses are plain ASCII, which the Unicode steps (width, accents, scripts, Chinese unit
  // characters) leave as they are: skipping them makes a key a fifth cheaper (generated addresses,
  // 6 % of them not ASCII: 10.6 → 8.4 µs each, the same keys).
  if (ASCII.test(text)) return asciiSteps(text.toLowerCase());
  return unicodeSplits(
    asciiSteps(
      text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/ß/gu, 'ss')
        // Accents go from Latin letters only: in Japanese, が and か are different sounds.
        .normalize('NFD')
        .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
        .normalize('NFC'),
    ),
  );
}

const ASCII = /^[\x00-\x7f]*$/;

/** The steps that matter to ASCII text too, on lower-cased text. */
function asciiSteps(text: string): string {
  return (
    text
      // "Queen's Road" is "Queens Road", "Chang'an" is "Changan".
      .replace(/['\u2019\u2018`\u00b4]/gu, '')
      // "12th", "1st", "22nd", "3rd" → the number itself.
      .replace(/(\p{N})(?:st|nd|rd|th)\b/gu, '$1')
      // "12/F", "12 / F", "G/F", "Ground Floor" (Hong Kong floors) → "12f", "gf"
      .replace(/\bground\s*(?:floor|flr|fl|f)\b/gu, 'gf')
      .replace(/\b([0-9]+|g|lg|ug)\s*\/\s*f\b/gu, '$1f')
      // "Hauptstr." → "Hauptstrasse": German street names are one compound word.
      .replace(/(\p{L}{2,})str\b\.?/gu, '$1strasse')
      // "B-2", "12-A" → "b2", "12a"; "12-03", "12 / 03" → "12-03" (one value, joined)
      .replace(/(?<=\p{L})[-/](?=\p{N})|(?<=\p{N})[-/](?=\p{L})/gu, '')
      .replace(/(?<=\p{N})\s*[-/]\s*(?=\p{N})/gu, '-')
  );
}

/** The steps that only change text with letters of other scripts than Latin. */
function unicodeSplits(text: string): string {
  return (
    text
      // Split digits from non-Latin letters ("科技园路88号1203室") and Latin from non-Latin.
      .replace(/(?<=\p{N})(?=[^\P{L}\p{Script=Latin}])|(?<=[^\P{L}\p{Script=Latin}])(?=\p{N})/gu, ' ')
      .replace(/(?<=\p{Script=Latin})(?=[^\P{L}\p{Script=Latin}])|(?<=[^\P{L}\p{Script=Latin}])(?=\p{Script=Latin})/gu, ' ')
      // Split the unit suffix characters off the word they close: "B座" → "B 座".
      .replace(/([室楼樓层層座栋棟幢号號])/gu, ' $1 ')
  );
}

const GLUED_PREFIX =
  /^(rm|room|unit|flat|apt|ste|suite|blk|bldg|block|fl|flr|floor|no|nr|twr|tower|shop)(\p{N}[\p{L}\p{N}-]*)$/u;

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const match of canonicalText(text).matchAll(/#|[\p{L}\p{M}\p{N}]+(?:-\p{N}+)*/gu)) {
    let token = match[0];
    // Leading zeros carry no meaning in a number: "Flat 03" is "Flat 3", "12-03" is "12-3".
    token = token.replace(/(?<!\p{N})0+(?=\p{N})/gu, '');
    const glued = GLUED_PREFIX.exec(token);
    if (glued?.[1] !== undefined && glued[2] !== undefined) out.push(glued[1], glued[2]);
    else out.push(token);
  }
  return out;
}

/** Unit classes whose word also ends building names ("Wing On Building", "Golden Tower"). */
const NAME_SUFFIX_CLASSES: ReadonlySet<UnitClass> = new Set<UnitClass>(['block', 'tower']);

/**
 * Reads tokens left to right into street words (in order) and unit designators (unordered).
 * Commas are ignored on purpose: sellers drop and add them freely, so no reading may depend on
 * them. Two ambiguities are settled the same way every time instead:
 * - a value before a floor word is that floor ("12th Floor 88 Keji Rd" is floor 12, not floor 88);
 * - a block or tower word right after a name word ends the name ("Wing On Building 88 …") and
 *   only otherwise introduces a unit ("Block B, Room 5").
 */
function parseLines(toks: readonly string[]): { words: string[]; units: string[] } {
  const words: string[] = [];
  const units: string[] = [];
  let afterNameWord = false;
  let i = 0;
  while (i < toks.length) {
    const token = toks[i] as string;
    const next = toks[i + 1];
    const prefix = PREFIX_UNIT.get(token);
    if (prefix !== undefined && !(afterNameWord && NAME_SUFFIX_CLASSES.has(prefix))) {
      // "Room 1203", "Room No. 1203", "Block #B"
      if (isUnitValue(next)) {
        units.push(`${prefix}:${next}`);
        afterNameWord = false;
        i += 2;
        continue;
      }
      const afterMarker = toks[i + 2];
      if (next !== undefined && NUMBER_MARKERS.has(next) && isUnitValue(afterMarker)) {
        units.push(`${prefix}:${afterMarker}`);
        afterNameWord = false;
        i += 3;
        continue;
      }
    }
    if (NUMBER_MARKERS.has(token) && (isUnitValue(next) || token === '#')) {
      i += 1;
      continue;
    }
    if (isUnitValue(token) && next !== undefined) {
      // "12 Floor", "1203 室", "B 座"
      const suffix = SUFFIX_UNIT.get(next);
      if (suffix !== undefined) {
        units.push(`${suffix}:${token}`);
        afterNameWord = false;
        i += 2;
        continue;
      }
    }
    // "12f", "gf": a Hong Kong floor written without its slash.
    const floor = /^(\p{N}+|g|lg|ug)f$/u.exec(token);
    if (floor?.[1] !== undefined) {
      units.push(`floor:${floor[1]}`);
      afterNameWord = false;
      i += 1;
      continue;
    }
    words.push(WORDS.get(token) ?? token);
    afterNameWord = !isUnitValue(token);
    i += 1;
  }
  return { words, units };
}

/**
 * Returns the canonical key of an address: country, city, the street words in order and the unit
 * designators in a fixed order, e.g. `HK|kowloon|golden dragon 88 nathan road|floor:12 room:1203`.
 */
export function addressKey(a: AddressParts): string {
  const country = a.country.normalize('NFKC').trim().toUpperCase();
  const city = tokens(a.city)
    .map((t) => WORDS.get(t) ?? t)
    .join(' ');
  const lines = [a.line1, a.line2 ?? ''].join(' , ');
  const { words, units } = parseLines(tokens(lines));
  units.sort();
  return `${country}|${city}|${words.join(' ')}|${units.join(' ')}`;
}
