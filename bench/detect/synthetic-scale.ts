/**
 * Scale check of the detection core (projection + Louvain) on a synthetic marketplace of about
 * 1M sellers and 3M seller–identifier links, with planted rings, honest multi-store owners,
 * consolidators shared by honest sellers, and a few hubs (fulfilment centres, payment aggregators).
 * Groups are generated lazily and fed in pages of 10,000, as the database layer would, so that the
 * measured memory is the projection's and not the generator's. Not a test: it prints timings,
 * sizes and, as a sanity check, how many planted rings the community step recovers (flagging is
 * not involved).
 *
 *   /usr/bin/time -v npx tsx bench/detect/synthetic-scale.ts [--sellers 1000000] [--seed 7]
 *       [--resolution 0.003,0.01] [--unit per-weight|louvain] [--export bench/out/edges.tsv]
 *
 * `--export` writes the weighted edge list (`u<TAB>v<TAB>w`, node indices) so that peers
 * (NetworKit, igraph) can be run on the very same projection.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/analysis/rng.ts';
import { SellerGraphBuilder, type IdentifierGroup, type IdentifierKind } from '../../src/analysis/projection.ts';
import { COMMUNITY_DEFAULTS, detectCommunities, hubRingTouches } from '../../src/analysis/communities.ts';
import { evaluateDetection, type MarketTruth } from '../../src/analysis/evaluate.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '7' },
    resolution: { type: 'string', default: String(COMMUNITY_DEFAULTS.resolution) },
    unit: { type: 'string', default: COMMUNITY_DEFAULTS.resolutionUnit },
    export: { type: 'string' },
  },
});
const N = Number(values.sellers);
const seed = Number(values.seed);
const resolutions = values.resolution!.split(',').map(Number);
const resolutionUnit = values.unit as 'per-weight' | 'louvain';

const rng = createRng(seed);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const sellerId = (i: number) => `s${i}`;

/**
 * Market shape (shares of sellers): 1% in planted rings of 4–20 stores (10% of rings bridged to
 * another by a mule payment account), 2% honest multi-store owners of 2–6 stores sharing
 * everything, 25% shipping through consolidators shared by 2–20 sellers (10% of those through two,
 * which links the consolidators into one large component), and hubs: 4 fulfilment centres
 * (1,000–5,000 sellers) and 2 payment aggregators (3,000 sellers each).
 */
function* generateMarket(n: number, truth: MarketTruth): Generator<IdentifierGroup> {
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
    for (let p = randInt(1, 3); p > 0; p--) yield group('payment_account', key(), sample(members, half));
    for (let p = randInt(1, 2); p > 0; p--) yield group('phone', key(), sample(members, half));
    yield group('address', key(), sample(members, size - 1));
    if (rng() < 0.5) yield group('carrier_account', key(), sample(members, 2));
    for (const m of members) yield group('payment_account', key(), [m]);
    truth.rings.push({ ring_id: `R${truth.rings.length}`, seller_ids: members, bridged_with: null });
  }
  for (let r = 0; r + 1 < truth.rings.length; r += 20) {
    const a = truth.rings[r]!;
    const b = truth.rings[r + 1]!;
    a.bridged_with = b.ring_id;
    b.bridged_with = a.ring_id;
    yield group('payment_account', key(), [a.seller_ids[0]!, b.seller_ids[0]!]);
  }

  // Honest multi-store owners.
  const ownerEnd = next + Math.floor(n * 0.02);
  while (next < ownerEnd) {
    const size = randInt(2, 6);
    const members = Array.from({ length: size }, () => sellerId(next++));
    yield group('payment_account', key(), members);
    yield group('phone', key(), members);
    yield group('address', key(), members);
    truth.honest_groups.push({ group_id: `H${truth.honest_groups.length}`, kind: 'multi_store_owner', seller_ids: members });
  }

  // Everyone else: own payment account and phone.
  while (next < n) {
    const id = sellerId(next++);
    yield group('payment_account', key(), [id]);
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
  for (let h = 0; h < 2; h++) yield group('payment_account', `aggregator-${h}`, Array.from({ length: 3000 }, () => sellerId(randInt(0, n - 1))));

  // Copied product photos: small clusters of 2–5 sellers.
  for (let i = 0; i < n * 0.02; i++) yield group('image_hash', key(), Array.from({ length: randInt(2, 5) }, () => sellerId(randInt(0, n - 1))));
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

const truth: MarketTruth = { rings: [], honest_groups: [] };
const builder = new SellerGraphBuilder();
let page: IdentifierGroup[] = [];
let groupCount = 0;
let links = 0;
const tFeed = performance.now();
for (const group of generateMarket(N, truth)) {
  page.push(group);
  groupCount++;
  links += group.sellerIds.length;
  if (page.length === 10_000) {
    builder.addGroups(page);
    page = [];
  }
}
builder.addGroups(page);
page = [];
const feedMs = performance.now() - tFeed;
const projection = builder.finish();
console.log(
  `generated ${N.toLocaleString('en')} sellers, ${groupCount.toLocaleString('en')} identifiers, ${links.toLocaleString('en')} links, ${truth.rings.length} planted rings; generating and feeding took ${(feedMs / 1000).toFixed(1)} s`,
);
const s = projection.stats;
console.log(
  `projection: ${s.sellers.toLocaleString('en')} nodes (${s.isolatedSellers.toLocaleString('en')} isolated), ${s.edges.toLocaleString('en')} edges from ${s.pairContributions.toLocaleString('en')} pair contributions, ${s.hubs} hubs (${s.hubLinks.toLocaleString('en')} links left out)`,
);
console.log(`  accumulate ${(projection.timings.accumulateMs / 1000).toFixed(2)} s, build graph ${(projection.timings.buildGraphMs / 1000).toFixed(2)} s, heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);

if (values.export) {
  await mkdir(dirname(values.export), { recursive: true });
  const out = createWriteStream(values.export);
  for (const [u, v, w] of projection.edges()) {
    if (!out.write(`${u}\t${v}\t${w}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  console.log(`  edge list written to ${values.export}`);
}

for (const resolution of resolutions) {
  const detection = detectCommunities(projection, { resolution, seed, resolutionUnit });
  const t = detection.timings;
  const sizes = detection.communities.map((c) => c.length);
  console.log(
    `communities (resolution ${resolution} ${resolutionUnit}, Louvain γ ${detection.louvainResolution.toFixed(2)}): ${detection.communities.length.toLocaleString('en')} rings (largest ${sizes[0] ?? 0}), ${detection.singletons.toLocaleString('en')} singletons; ${detection.components.toLocaleString('en')} components (largest ${detection.largestComponent.toLocaleString('en')}); ${detection.disconnectedCommunities} disconnected communities split; modularity ${detection.modularity.toFixed(4)}; ${detection.levels} levels`,
  );
  console.log(`  prepare ${(t.prepareMs / 1000).toFixed(2)} s, louvain ${(t.louvainMs / 1000).toFixed(2)} s, split ${(t.splitMs / 1000).toFixed(2)} s, total ${(t.totalMs / 1000).toFixed(2)} s; rss ${mb(process.memoryUsage().rss)}`);
  const found = detection.communities.map((sellerIds, i) => ({ ringId: `F${i}`, sellerIds, flagged: true }));
  const e = evaluateDetection(found, truth, { flaggedOnly: false });
  console.log(
    `  planted rings recovered (Jaccard ≥ 0.5): ${e.matchedRings}/${e.plantedRings} (recall ${e.ringRecall.toFixed(3)}), bridged pairs separated ${e.bridgedPairsSeparated}/${e.bridgedPairs}`,
  );
  const touches = hubRingTouches(projection, detection.communities);
  console.log(`  hubs touch ${touches.map((h) => `${h.key}: ${h.rings.length} rings`).join(', ')}`);
}
