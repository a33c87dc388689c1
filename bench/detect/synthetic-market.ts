/**
 * The synthetic identifier-group market of the detection scale benches (synthetic-scale.ts,
 * peers.ts): about 1M sellers and 3M seller–identifier links at the default size, with planted
 * rings, honest multi-store owners, consolidators shared by honest sellers, and a few hubs.
 * Groups are generated lazily, so a caller can feed them in pages without holding them all.
 * The same (n, seed) gives the same groups in the same order.
 */
import { createRng } from '../../src/analysis/rng.ts';
import type { IdentifierKind } from '../../src/vocabulary.ts';
import type { IdentifierGroup, SellerGraphBuilder } from '../../src/analysis/projection.ts';
import type { MarketTruth } from '../../src/analysis/marketTruth.ts';

const sellerId = (i: number) => `s${i}`;

/**
 * Market shape (shares of sellers): 1% in planted rings of 4–20 stores (10% of rings bridged to
 * another by a mule payment account), 2% honest multi-store owners of 2–6 stores sharing
 * everything, 25% shipping through consolidators shared by 2–20 sellers (10% of those through two,
 * which links the consolidators into one large component), and hubs: 4 fulfilment centres
 * (1,000–5,000 sellers) and 2 payment aggregators (3,000 sellers each).
 */
export function* generateSyntheticMarket(n: number, seed: number, truth: MarketTruth): Generator<IdentifierGroup> {
  const rng = createRng(seed);
  const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const group = (kind: IdentifierKind, key: string, sellerIds: string[]): IdentifierGroup => ({ kind, key, sellerIds });
  let next = 0;
  let keySeq = 0;
  const key = () => `k${keySeq++}`;
  const sample = (members: string[], min: number) => {
    const k = randInt(Math.min(min, members.length), members.length);
    const copy = [...members];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, k);
  };

  // Planted rings.
  const ringSellers = Math.floor(n * 0.01);
  const ringMembers: string[][] = [];
  while (next < ringSellers) {
    const size = randInt(4, 20);
    const members = Array.from({ length: size }, () => sellerId(next++));
    ringMembers.push(members);
    const half = Math.ceil(size / 2);
    for (let p = randInt(1, 3); p > 0; p--) yield group('paymentAccount', key(), sample(members, half));
    for (let p = randInt(1, 2); p > 0; p--) yield group('phone', key(), sample(members, half));
    yield group('address', key(), sample(members, size - 1));
    if (rng() < 0.5) yield group('carrierAccount', key(), sample(members, 2));
    for (const m of members) yield group('paymentAccount', key(), [m]);
    truth.rings.push({ ring_id: `R${truth.rings.length}`, seller_ids: members, brands: [], bridged_with: null });
  }
  for (let r = 0; r + 1 < truth.rings.length; r += 20) {
    const a = truth.rings[r]!;
    const b = truth.rings[r + 1]!;
    a.bridged_with = b.ring_id;
    b.bridged_with = a.ring_id;
    yield group('paymentAccount', key(), [a.seller_ids[0]!, b.seller_ids[0]!]);
  }

  // Honest multi-store owners.
  const ownerEnd = next + Math.floor(n * 0.02);
  while (next < ownerEnd) {
    const size = randInt(2, 6);
    const members = Array.from({ length: size }, () => sellerId(next++));
    yield group('paymentAccount', key(), members);
    yield group('phone', key(), members);
    yield group('address', key(), members);
    truth.honest_groups.push({ group_id: `H${truth.honest_groups.length}`, kind: 'multi_store_owner', seller_ids: members });
  }

  // Everyone else: own payment account and phone.
  while (next < n) {
    const id = sellerId(next++);
    yield group('paymentAccount', key(), [id]);
    yield group('phone', key(), [id]);
  }

  // Shipping origins: 25% of all sellers through consolidators, the rest from their own address.
  const origin: string[][] = [];
  let current: string[] = [];
  let target = randInt(2, 20);
  for (let i = 0; i < n; i++) {
    const id = sellerId(i);
    if (rng() < 0.25) {
      current.push(id);
      if (current.length >= target) {
        origin.push(current);
        current = [];
        target = randInt(2, 20);
      }
    } else {
      yield group('origin', key(), [id]);
    }
  }
  if (current.length) origin.push(current);
  for (const members of origin) {
    for (const m of members) {
      if (rng() < 0.1) origin[Math.floor(rng() * origin.length)]!.push(m);
    }
  }
  for (const members of origin) yield group('origin', key(), [...new Set(members)]);

  // Hubs.
  for (let h = 0; h < 4; h++) yield group('origin', `fulfilment-${h}`, Array.from({ length: randInt(1000, 5000) }, () => sellerId(randInt(0, n - 1))));
  for (let h = 0; h < 2; h++) yield group('paymentAccount', `aggregator-${h}`, Array.from({ length: 3000 }, () => sellerId(randInt(0, n - 1))));

  // Copied product photos: small clusters of 2–5 sellers.
  for (let i = 0; i < n * 0.02; i++) yield group('imageHash', key(), Array.from({ length: randInt(2, 5) }, () => sellerId(randInt(0, n - 1))));
}

/**
 * Generates the market into `builder` in pages of 10,000 groups, as the database side feeds it;
 * returns the counts and the time taken (generation and accumulation together).
 */
export function feedSyntheticMarket(
  builder: SellerGraphBuilder,
  n: number,
  seed: number,
  truth: MarketTruth,
): { groups: number; links: number; startedAt: number; endedAt: number } {
  let page: IdentifierGroup[] = [];
  let groups = 0;
  let links = 0;
  const startedAt = performance.now();
  for (const group of generateSyntheticMarket(n, seed, truth)) {
    page.push(group);
    groups++;
    links += group.sellerIds.length;
    if (page.length === 10_000) {
      builder.addGroups(page);
      page = [];
    }
  }
  builder.addGroups(page);
  return { groups, links, startedAt, endedAt: performance.now() };
}
