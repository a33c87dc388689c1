/**
 * The delta of bench/detect/incremental.ts: `count` new stores (new ids, ids no generated market
 * uses) with listings and identifiers of their own, in the ingest format (docs/ingest.md, NDJSON),
 * of which `reusers` each reuse one payment account and one sender phone of a member of an
 * existing flagged ring, written as the generated files write them (raw strings). The rest are
 * honest stores that link to no one.
 *
 * Own identifiers are chosen so that they cannot meet a generated one: account and carrier ids
 * with an `XB`/`XW` prefix and a serial, UK mobiles under 079 (the generator draws from 071–078),
 * addresses on a street the generator does not have, random 64-bit image hashes.
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BRAND_CATALOGUE } from '../../src/ingest/generate.ts';
import { normaliseAccountId } from '../../src/ingest/normalise/account.ts';

export interface ExportedRing {
  ring_id: string;
  seller_ids: string[];
  flagged: boolean;
  risk_score: number;
}

export interface Reuser {
  sellerId: string;
  /** The ring member whose identifiers it reuses, and that member's ring in the base run. */
  memberId: string;
  ringId: string;
}

export interface Delta {
  dir: string;
  sellerIds: string[];
  reusers: Reuser[];
  records: number;
}

type Json = Record<string, unknown>;

async function* lines(path: string): AsyncGenerator<Json> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') yield JSON.parse(line) as Json;
}

/** mulberry32: a small seeded generator, so the same market and seed give the same delta. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks one member from each of `reusers` flagged rings (spread over the rings in the order of
 * their first seller id) that has a payment account shared with 2..hubLimit sellers and a sender
 * phone, and reads those raw strings and the member's country from the market files.
 */
async function pickMembers(market: string, rings: ExportedRing[], reusers: number, hubLimit: number) {
  const flagged = rings.filter((r) => r.flagged && r.seller_ids.length >= 3).map((r) => ({ ...r, seller_ids: [...r.seller_ids].sort() }));
  flagged.sort((a, b) => a.seller_ids[0]!.localeCompare(b.seller_ids[0]!));
  // Twice as many candidate rings as needed, evenly spread, in case a ring has no usable member.
  const stride = Math.max(1, Math.floor(flagged.length / (reusers * 2)));
  const candidates = flagged.filter((_, i) => i % stride === 0);
  const wanted = new Set(candidates.flatMap((r) => r.seller_ids));

  const accountSellers = new Map<string, number>();
  const accountsOf = new Map<string, { raw: string; key: string; kind: string }[]>();
  for await (const rec of lines(join(market, 'payment_accounts.ndjson'))) {
    const key = normaliseAccountId(String(rec.account_id));
    if (key === null) continue;
    accountSellers.set(key, (accountSellers.get(key) ?? 0) + 1);
    const seller = String(rec.seller_id);
    if (wanted.has(seller)) accountsOf.set(seller, [...(accountsOf.get(seller) ?? []), { raw: String(rec.account_id), key, kind: String(rec.kind) }]);
  }
  const phoneOf = new Map<string, string>();
  for await (const rec of lines(join(market, 'shipping_links.ndjson'))) {
    const seller = String(rec.seller_id);
    if (wanted.has(seller) && !phoneOf.has(seller) && typeof rec.sender_phone === 'string') phoneOf.set(seller, rec.sender_phone);
  }
  const countryOf = new Map<string, string>();
  for await (const rec of lines(join(market, 'sellers.ndjson'))) {
    if (wanted.has(String(rec.seller_id))) countryOf.set(String(rec.seller_id), String(rec.country ?? 'GB'));
  }

  const picked: { memberId: string; ringId: string; account: string; accountKind: string; phone: string; country: string }[] = [];
  for (const ring of candidates) {
    if (picked.length === reusers) break;
    for (const memberId of ring.seller_ids) {
      const account = (accountsOf.get(memberId) ?? []).find((a) => {
        const n = accountSellers.get(a.key) ?? 0;
        return n >= 2 && n <= hubLimit;
      });
      const phone = phoneOf.get(memberId);
      if (account !== undefined && phone !== undefined) {
        picked.push({ memberId, ringId: ring.ring_id, account: account.raw, accountKind: account.kind, phone, country: countryOf.get(memberId) ?? 'GB' });
        break;
      }
    }
  }
  if (picked.length < reusers) throw new Error(`only ${picked.length} ring members with a shared account and a sender phone; wanted ${reusers}`);
  return picked;
}

export async function buildDelta(options: { market: string; dir: string; rings: ExportedRing[]; count: number; reusers: number; hubLimit: number; seed: number }): Promise<Delta> {
  const { dir, count } = options;
  const members = await pickMembers(options.market, options.rings, options.reusers, options.hubLimit);
  const rnd = random(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const hex = () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0') + Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0');
  const out = { sellers: [] as Json[], listings: [] as Json[], payment_accounts: [] as Json[], addresses: [] as Json[], shipping_links: [] as Json[] };
  const sellerIds: string[] = [];
  const reusers: Reuser[] = [];
  const registeredAt = '2026-12-01T09:00:00.000Z';

  for (let i = 0; i < count; i++) {
    const n = String(i + 1).padStart(6, '0');
    const sellerId = `SX${n}`;
    sellerIds.push(sellerId);
    // The reusers are spread through the delta, one every count/reusers stores.
    const reuse = i % Math.floor(count / members.length) === 0 ? members[reusers.length] : undefined;
    if (reuse !== undefined) reusers.push({ sellerId, memberId: reuse.memberId, ringId: reuse.ringId });
    const ownPhone = `+44 79${n.slice(0, 2)} ${n.slice(2)}${String(i % 100).padStart(2, '0')}`;
    const phone = reuse?.phone ?? ownPhone;
    const country = reuse?.country ?? 'GB';
    out.sellers.push({ seller_id: sellerId, store_name: `Bench Delta Store ${n}`, registered_at: registeredAt, country, email: `delta.${n}@bench.example`, phone, status: 'active' });
    out.payment_accounts.push({ seller_id: sellerId, account_id: reuse?.account ?? `XW${n}00${n}`, kind: reuse?.accountKind ?? 'wallet' });
    const address = { line1: `${i + 1} Benchmark Row`, city: 'London', postal_code: 'E1 6AN', country: 'GB' };
    out.addresses.push({ seller_id: sellerId, role: 'registered', ...address });
    for (let k = 0; k < 10; k++) {
      const brand = pick(BRAND_CATALOGUE);
      // A reuser sells fakes (10–35 % of the brand's price), the others at ±20 %.
      const factor = reuse === undefined ? 0.8 + rnd() * 0.4 : 0.1 + rnd() * 0.25;
      out.listings.push({
        listing_id: `LX${n}${k}`,
        seller_id: sellerId,
        title: `${brand.name} ${pick(brand.products)}`,
        price: Math.round(brand.typicalPrice * factor * 100) / 100,
        currency: 'USD',
        brand: brand.name,
        category: brand.category,
        listed_at: registeredAt,
        image_hash: hex(),
      });
    }
    for (let k = 0; k < 2; k++) {
      out.shipping_links.push({
        seller_id: sellerId,
        shipment_id: `SHX${n}${k}`,
        carrier: 'Transit One',
        carrier_account: `XB${n}`,
        sender_phone: phone,
        ...(reuse === undefined ? { origin: address } : {}),
        shipped_at: '2026-12-02T10:00:00.000Z',
      });
    }
  }
  mkdirSync(dir, { recursive: true });
  let records = 0;
  for (const [kind, rows] of Object.entries(out)) {
    writeFileSync(join(dir, `${kind}.ndjson`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    records += rows.length;
  }
  return { dir, sellerIds, reusers, records };
}
