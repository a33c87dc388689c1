/**
 * Scale check of the detection core (projection + Louvain) on a synthetic marketplace of about
 * 1M sellers and 3M seller–identifier links, with planted rings, honest multi-store owners,
 * consolidators shared by honest sellers, and a few hubs (fulfilment centres, payment aggregators).
 * Groups are generated lazily (synthetic-market.ts, shared with peers.ts) and fed in pages of
 * 10,000, as the database layer would, so that the measured memory is the projection's and not the
 * generator's. Not a test: it prints timings, sizes and, as a sanity check, how many planted rings
 * the community step recovers (flagging is not involved).
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
import { SellerGraphBuilder } from '../../src/analysis/projection.ts';
import { COMMUNITY_DEFAULTS, detectCommunities } from '../../src/analysis/communities.ts';
import { hubRingTouches } from '../../src/analysis/hubRingTouches.ts';
import { evaluateDetection } from '../../src/analysis/evaluate.ts';
import type { MarketTruth } from '../../src/analysis/marketTruth.ts';
import { feedSyntheticMarket } from './synthetic-market.ts';

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

function mb(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

const truth: MarketTruth = { seed, sellers: N, rings: [], honest_groups: [] };
const builder = new SellerGraphBuilder();
const { groups: groupCount, links, startedAt, endedAt } = feedSyntheticMarket(builder, N, seed, truth);
const feedMs = endedAt - startedAt;
const projection = builder.finish();
console.log(
  `generated ${N.toLocaleString('en')} sellers, ${groupCount.toLocaleString('en')} identifiers, ${links.toLocaleString('en')} links, ${truth.rings.length} planted rings; generating and feeding took ${(feedMs / 1000).toFixed(1)} s`,
);
const s = projection.stats;
console.log(
  `projection: ${s.sellers.toLocaleString('en')} nodes (${s.isolatedSellers.toLocaleString('en')} isolated), ${s.edges.toLocaleString('en')} edges from ${s.pairContributions.toLocaleString('en')} pair contributions, ${s.hubs} hubs (${s.hubLinks.toLocaleString('en')} links left out)`,
);
console.log(`  accumulate ${(projection.timings.accumulateMs / 1000).toFixed(2)} s, sort edges ${(projection.timings.sortEdgesMs / 1000).toFixed(2)} s, heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);

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
