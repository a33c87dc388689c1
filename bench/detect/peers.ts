/**
 * ringwatch's detection core beside peer community-detection engines, in one run on the same data.
 *
 *   bash bench/detect/setup-peers.sh            # once: bench/.venv with NetworKit, igraph, networkx
 *   npx tsx bench/detect/peers.ts [--sellers 1000000] [--seed 1] [--resolution 0.001]
 *       [--networkx on|off] [--networkx-timeout 900] [--out bench/out/peers]
 *
 * 1. Generates the synthetic identifier-group market of synthetic-scale.ts (synthetic-market.ts)
 *    and times ringwatch's steps separately: SellerGraphBuilder accumulation, finish() (edge sort),
 *    and detectCommunities, whose own timings give the graphology graph build apart from Louvain
 *    and the bridge cuts + connectivity splits, with this process's peak RSS
 *    (process.resourceUsage().maxRSS) right after.
 * 2. Exports the projected weighted edge list (node indices, weights) in the binary format of
 *    peers/common.py, and ringwatch's final partition (int32 label per node).
 * 3. Runs each peer as a child process under `/usr/bin/time -f '%e %M'` — NetworKit PLM
 *    (refine=False, as the reference; refine=True; and refine=False on one thread), igraph
 *    community_multilevel and networkx louvain_communities — with the same Louvain γ that
 *    detectCommunities gave graphology (`louvainResolution`). Each peer times its graph load and its
 *    community step separately; the quality of every partition (modularity at γ = 1, the objective
 *    at γ, communities, planted rings recovered) is computed afterwards by the same code for all.
 *    A second detectCommunities run without bridge cuts (after the measurement) shows how much of
 *    the modularity difference is Louvain's and how much the post-processing's.
 * 4. Prints a table: engine, community time, ratio to NetworKit PLM's time, modularity, communities.
 *
 * Not a test: it measures. Results go to bench/detect/RESULTS-peers.md with the command.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SellerGraphBuilder, type EdgeArrays } from '../../src/analysis/projection.ts';
import { COMMUNITY_DEFAULTS, detectCommunities } from '../../src/analysis/communities.ts';
import { evaluateDetection } from '../../src/analysis/evaluate.ts';
import type { MarketTruth } from '../../src/analysis/marketTruth.ts';
import { feedSyntheticMarket } from './synthetic-market.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    resolution: { type: 'string', default: String(COMMUNITY_DEFAULTS.resolution) },
    networkx: { type: 'string', default: 'on' },
    'networkx-timeout': { type: 'string', default: '900' },
    'peer-timeout': { type: 'string', default: '1800' },
    out: { type: 'string', default: 'bench/out/peers' },
  },
});
const N = Number(values.sellers);
const seed = Number(values.seed);
const resolution = Number(values.resolution);
const here = fileURLToPath(new URL('.', import.meta.url));
const python = resolve(here, '../.venv/bin/python');
const peersDir = join(here, 'peers');
const outDir = resolve(values.out!);
mkdirSync(outDir, { recursive: true });
const tag = `${N}-seed${seed}`;
const edgesFile = join(outDir, `edges-${tag}.bin`);
const labelsFile = (engine: string) => join(outDir, `labels-${engine}-${tag}.bin`);

if (!existsSync(python)) {
  console.error(`${python} not found: run  bash bench/detect/setup-peers.sh  first`);
  process.exit(1);
}

const s = (ms: number) => ms / 1000;
const fmt = (x: number, digits = 2) => x.toFixed(digits);
const gib = (kib: number) => kib / 2 ** 20;
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

// Garbage-collection pauses, attributed to the phases below by start time (entries arrive
// asynchronously; all have arrived by the time the summary is printed).
const gcPauses: Array<{ start: number; duration: number }> = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });
const gcMs = (from: number, to: number) => gcPauses.reduce((sum, g) => (g.start >= from && g.start < to ? sum + g.duration : sum), 0);

const uptimeBefore = uptime();
console.log(`uptime before: ${uptimeBefore}`);

// ---------------------------------------------------------------------------------------------
// 1. ringwatch: projection and communities, in this process.

const truth: MarketTruth = { seed, sellers: N, rings: [], honest_groups: [] };
const builder = new SellerGraphBuilder();
const { groups, links, startedAt: tFeed, endedAt: tFeedEnd } = feedSyntheticMarket(builder, N, seed, truth);
const feedMs = tFeedEnd - tFeed;
let projection: ReturnType<SellerGraphBuilder['finish']> | null = builder.finish();
const tFinishEnd = performance.now();
const rssAfterProjectionKiB = process.resourceUsage().maxRSS;
const stats = projection.stats;
const { accumulateMs, sortEdgesMs } = projection.timings;
const sellerIds = projection.sellerIds;
const edgeArrays = projection.edgeArrays;
console.log(
  `market: ${N.toLocaleString('en')} sellers, ${groups.toLocaleString('en')} identifiers, ${links.toLocaleString('en')} links, ${truth.rings.length} planted rings (generating + feeding ${fmt(s(feedMs))} s, of which accumulation ${fmt(s(accumulateMs))} s)`,
);
console.log(
  `projection: ${stats.sellers.toLocaleString('en')} nodes (${stats.isolatedSellers.toLocaleString('en')} isolated), ${stats.edges.toLocaleString('en')} edges, ${stats.hubs} hubs; finish() (edge sort) ${fmt(s(sortEdgesMs))} s`,
);

const tDetect = performance.now();
let detection: ReturnType<typeof detectCommunities> | null = detectCommunities(projection, { resolution, seed });
const tDetectEnd = performance.now();
const rssAfterCommunitiesKiB = process.resourceUsage().maxRSS;
const gamma = detection.louvainResolution;
const t = detection.timings;
console.log(
  `communities: Louvain γ ${gamma} (resolution ${resolution} per unit weight × 2m), ${detection.communities.length.toLocaleString('en')} rings, ${detection.singletons.toLocaleString('en')} singletons, modularity ${fmt(detection.modularity, 4)}; prepare ${fmt(s(t.prepareMs))} s, graphology graph build ${fmt(s(t.buildGraphMs))} s, louvain ${fmt(s(t.louvainMs))} s, refine ${fmt(s(t.refineMs))} s (${detection.refinedMoves} moves), split ${fmt(s(t.splitMs))} s, total ${fmt(s(t.totalMs))} s`,
);
console.log(`peak RSS: ${fmt(gib(rssAfterProjectionKiB))} GiB after projection, ${fmt(gib(rssAfterCommunitiesKiB))} GiB after communities`);

// ringwatch's final partition as one label per node (rings first, then each singleton alone).
const ringwatchLabels = new Int32Array(sellerIds.length).fill(-1);
detection.communities.forEach((ring, r) => {
  for (const id of ring) ringwatchLabels[projection!.indexOf(id)!] = r;
});
let nextLabel = detection.communities.length;
for (let u = 0; u < ringwatchLabels.length; u++) if (ringwatchLabels[u] === -1) ringwatchLabels[u] = nextLabel++;
const ringwatchFound = detection.communities.map((sellers, i) => ({ ringId: `F${i}`, sellerIds: sellers, flagged: true }));
const ringwatchEval = evaluateDetection(ringwatchFound, truth, { flaggedOnly: false });
const ringwatch = {
  engine: 'ringwatch (graphology Louvain + splits)',
  // The graphology build is the counterpart of the peers' load (file → their graph), reported in
  // that column; communities is what follows it, as for the peers.
  loadSeconds: s(t.buildGraphMs),
  communitySeconds: s(t.totalMs - t.buildGraphMs),
  louvainSeconds: s(t.louvainMs),
  modularity: detection.modularity,
  objective: detection.objective,
  refinedMoves: detection.refinedMoves,
  communities: detection.communities.length,
  communitiesTotal: detection.communities.length + detection.singletons,
  louvainCommunities: detection.louvainCommunities,
  levels: detection.levels,
  bridgesCut: detection.bridgesCut,
  disconnectedCommunities: detection.disconnectedCommunities,
  ringRecall: ringwatchEval.ringRecall,
  matchedRings: ringwatchEval.matchedRings,
};
// The same Louvain without bridge cuts (bridgeMinSide 0; connectivity splits stay), after the
// measurement above, to tell Louvain's own modularity from the post-processing's effect on it.
const noCuts = detectCommunities(projection, { resolution, seed, bridgeMinSide: 0 });
const ringwatchNoCuts = {
  communitySeconds: s(noCuts.timings.totalMs - noCuts.timings.buildGraphMs),
  louvainSeconds: s(noCuts.timings.louvainMs),
  modularity: noCuts.modularity,
  objective: noCuts.objective,
  communities: noCuts.communities.length,
  disconnectedCommunities: noCuts.disconnectedCommunities,
  matchedRings: evaluateDetection(
    noCuts.communities.map((sellers, i) => ({ ringId: `F${i}`, sellerIds: sellers, flagged: true })),
    truth,
    { flaggedOnly: false },
  ).matchedRings,
};
console.log(`communities without bridge cuts: modularity ${fmt(ringwatchNoCuts.modularity, 4)}, ${ringwatchNoCuts.communities} rings, Louvain ${fmt(ringwatchNoCuts.louvainSeconds)} s`);

// Let the graph, the Louvain index and the rings go before the peers run (this process stays alive).
detection = null;
projection = null;

// ---------------------------------------------------------------------------------------------
// 2. Export the edge list and ringwatch's partition.

const tExport = performance.now();
writeEdgeList(edgesFile, sellerIds.length, edgeArrays);
const exportMs = performance.now() - tExport;
writeFileSync(labelsFile('ringwatch'), new Uint8Array(ringwatchLabels.buffer));
console.log(`edge list: ${edgesFile} (${fmt(s(exportMs))} s)`);

// ---------------------------------------------------------------------------------------------
// 3. Peers, one child process at a time.

interface PeerResult {
  engine: string;
  label: string;
  ok: boolean;
  error?: string;
  wallSeconds?: number;
  timeMaxRssKiB?: number;
  loadSeconds?: number;
  communitySeconds?: number;
  peakRssKiB?: number;
  modularity?: number;
  qualityAtGamma?: number;
  communities?: number;
  communitiesTotal?: number;
  largestCommunity?: number;
  disconnectedCommunities?: number;
  threads?: number;
  version?: string;
  ringRecall?: number;
  matchedRings?: number;
  [key: string]: unknown;
}

function runPython(script: string, args: string[], timeoutSeconds: number): Promise<{ code: number | null; stdout: string; stderr: string; time: string; timedOut: boolean }> {
  const timeFile = join(outDir, `time-${process.pid}.txt`);
  writeFileSync(timeFile, '');
  return new Promise((done) => {
    // Own process group, so that a timeout can end /usr/bin/time and the Python process under it.
    const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, python, join(peersDir, script), ...args], {
      cwd: peersDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const time = readFileSync(timeFile, 'utf8').trim();
      rmSync(timeFile, { force: true });
      done({ code, stdout, stderr, time, timedOut });
    });
  });
}

async function runPeer(label: string, script: string, args: string[], timeoutSeconds: number): Promise<PeerResult> {
  const engine = label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const labelsOut = labelsFile(engine);
  console.log(`running ${label} …`);
  const r = await runPython(script, [edgesFile, '--gamma', String(gamma), '--seed', String(seed), '--labels-out', labelsOut, ...args], timeoutSeconds);
  const timeLine = r.time.split('\n').at(-1) ?? '';
  const [wall, maxRss] = timeLine.split(' ').map(Number);
  if (r.timedOut) return { engine, label, ok: false, error: `did not finish within ${timeoutSeconds} s (killed)` };
  if (r.code !== 0) return { engine, label, ok: false, error: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as PeerResult;
  const bytes = readFileSync(labelsOut);
  const labels = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(labels.buffer).set(bytes);
  const e = evaluateDetection(ringsFromLabels(labels), truth, { flaggedOnly: false });
  const result: PeerResult = { ...json, engine, label, ok: true, wallSeconds: wall, timeMaxRssKiB: maxRss, ringRecall: e.ringRecall, matchedRings: e.matchedRings };
  console.log(`  load ${fmt(result.loadSeconds!)} s, communities ${fmt(result.communitySeconds!)} s, modularity ${fmt(result.modularity!, 4)}, ${result.communities} communities; wall ${wall} s, peak RSS ${fmt(gib(maxRss!))} GiB`);
  return result;
}

function ringsFromLabels(labels: Int32Array) {
  const members = new Map<number, string[]>();
  for (let u = 0; u < labels.length; u++) {
    const l = labels[u]!;
    let list = members.get(l);
    if (!list) members.set(l, (list = []));
    list.push(sellerIds[u]!);
  }
  return [...members.values()].filter((m) => m.length >= 2).map((sellers, i) => ({ ringId: `P${i}`, sellerIds: sellers, flagged: true }));
}

// Cross-check: ringwatch's partition judged by the same Python code as the peers, and by NetworKit.
const check = await runPython('evaluate_partition.py', [edgesFile, labelsFile('ringwatch'), '--gamma', String(gamma)], Number(values['peer-timeout']));
const ringwatchCheck = check.code === 0 ? (JSON.parse(check.stdout.trim().split('\n').at(-1)!) as Record<string, number>) : null;
console.log(
  ringwatchCheck
    ? `ringwatch partition re-evaluated in Python: modularity ${fmt(ringwatchCheck.modularity!, 6)} (NetworKit ${fmt(ringwatchCheck.modularityNetworKit!, 6)}, ringwatch ${fmt(ringwatch.modularity, 6)}), objective at γ ${fmt(ringwatchCheck.qualityAtGamma!, 6)}, ${ringwatchCheck.disconnectedCommunities} disconnected communities`
    : `evaluate_partition.py failed: ${check.stderr}`,
);

const peerTimeout = Number(values['peer-timeout']);
const peers: PeerResult[] = [];
peers.push(await runPeer('NetworKit PLM', 'networkit_plm.py', [], peerTimeout));
peers.push(await runPeer('NetworKit PLM refine', 'networkit_plm.py', ['--refine'], peerTimeout));
peers.push(await runPeer('NetworKit PLM 1 thread', 'networkit_plm.py', ['--threads', '1'], peerTimeout));
peers.push(await runPeer('igraph multilevel', 'igraph_multilevel.py', [], peerTimeout));
if (values.networkx === 'on') {
  peers.push(await runPeer('networkx louvain', 'networkx_louvain.py', [], Number(values['networkx-timeout'])));
} else {
  peers.push({ engine: 'networkx-louvain', label: 'networkx louvain', ok: false, error: 'not run (--networkx off)' });
}

const uptimeAfter = uptime();
console.log(`uptime after: ${uptimeAfter}`);

// ---------------------------------------------------------------------------------------------
// 4. Table.

const reference = peers[0]!;
const refSeconds = reference.ok ? reference.communitySeconds! : NaN;
const rows: string[] = [];
rows.push('| engine | threads | load s | communities s | ratio to NetworKit PLM | modularity (γ=1) | objective at γ | communities (≥2) | largest | disconnected | planted rings recovered | peak RSS GiB |');
rows.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
rows.push(
  `| ${ringwatch.engine} | 1 | ${fmt(ringwatch.loadSeconds)}¹ | ${fmt(ringwatch.communitySeconds)} (Louvain ${fmt(ringwatch.louvainSeconds)}) | ${fmt(ringwatch.communitySeconds / refSeconds)} | ${fmt(ringwatch.modularity, 4)} | ${ringwatchCheck ? fmt(ringwatchCheck.qualityAtGamma!, 4) : '?'} | ${ringwatch.communities.toLocaleString('en')} | ${ringwatchCheck?.largestCommunity ?? '?'} | 0 | ${ringwatch.matchedRings}/${truth.rings.length} | ${fmt(gib(rssAfterCommunitiesKiB))}² |`,
);
rows.push(
  `| ringwatch, no bridge cuts (bridgeMinSide 0) | 1 | | ${fmt(ringwatchNoCuts.communitySeconds)} (Louvain ${fmt(ringwatchNoCuts.louvainSeconds)}) | ${fmt(ringwatchNoCuts.communitySeconds / refSeconds)} | ${fmt(ringwatchNoCuts.modularity, 4)} | ${fmt(ringwatchNoCuts.objective, 4)} | ${ringwatchNoCuts.communities.toLocaleString('en')} | | 0 | ${ringwatchNoCuts.matchedRings}/${truth.rings.length} | |`,
);
for (const p of peers) {
  if (!p.ok) {
    rows.push(`| ${p.label} | | | ${p.error} | | | | | | | | |`);
    continue;
  }
  rows.push(
    `| ${p.label} ${p.version} | ${p.threads} | ${fmt(p.loadSeconds!)} | ${fmt(p.communitySeconds!)} | ${fmt(p.communitySeconds! / refSeconds)} | ${fmt(p.modularity!, 4)} | ${fmt(p.qualityAtGamma!, 4)} | ${p.communities!.toLocaleString('en')} | ${p.largestCommunity} | ${p.disconnectedCommunities} | ${p.matchedRings}/${truth.rings.length} | ${fmt(gib(p.peakRssKiB!))} (${fmt(gib(p.timeMaxRssKiB!))}) |`,
  );
}
const projectionSeconds = s(accumulateMs + sortEdgesMs);
// Everything detectCommunities does, the graphology build included: what the 60 s goal counts.
const detectSeconds = s(t.totalMs);
const tBuild = tDetect + t.prepareMs;
const tLouvain = tBuild + t.buildGraphMs;
const tSplit = tLouvain + t.louvainMs + t.refineMs;
const gc = {
  feedMs: gcMs(tFeed, tFeedEnd),
  finishMs: gcMs(tFeedEnd, tFinishEnd),
  prepareMs: gcMs(tDetect, tBuild),
  buildGraphMs: gcMs(tBuild, tLouvain),
  louvainMs: gcMs(tLouvain, tSplit),
  splitMs: gcMs(tSplit, tDetectEnd),
};
const buildShare = t.buildGraphMs / (accumulateMs + sortEdgesMs + t.totalMs);
gcObserver.disconnect();
const summary = [
  `sellers ${N.toLocaleString('en')}, seed ${seed}; projection ${stats.edges.toLocaleString('en')} edges; Louvain γ = ${gamma} (resolution ${resolution} × 2m, 2m = ${fmt(gamma / resolution, 1)})`,
  '',
  ...rows,
  '',
  `¹ ringwatch's "load" is building the graphology graph Louvain runs on (inside detectCommunities); the peers' is reading the binary edge list and building their graph. ² process.resourceUsage().maxRSS of the whole bench process (generator, projection, graph, Louvain). Peers: RSS right after the community step (and /usr/bin/time %M of the whole script, quality computation included).`,
  '',
  `ringwatch projection: accumulation ${fmt(s(accumulateMs))} s, finish() (edge sort) ${fmt(s(sortEdgesMs))} s; generating the synthetic groups and feeding them took ${fmt(s(feedMs))} s in all (accumulation included)`,
  `ringwatch communities: prepare ${fmt(s(t.prepareMs))} s, graphology graph build ${fmt(s(t.buildGraphMs))} s (${fmt(100 * buildShare, 0)} % of projection + communities), Louvain ${fmt(s(t.louvainMs))} s, refinement ${fmt(s(t.refineMs))} s, bridge cuts + splits + statistics ${fmt(s(t.splitMs))} s; ${ringwatch.levels} levels; ${ringwatch.louvainCommunities.toLocaleString('en')} Louvain communities, ${ringwatch.bridgesCut} bridges cut, ${ringwatch.disconnectedCommunities} disconnected communities split`,
  `ringwatch GC pauses: generating + accumulation ${fmt(s(gc.feedMs))} s, finish() ${fmt(s(gc.finishMs))} s, prepare ${fmt(s(gc.prepareMs))} s, graph build ${fmt(s(gc.buildGraphMs))} s, Louvain ${fmt(s(gc.louvainMs))} s, bridge cuts + splits ${fmt(s(gc.splitMs))} s`,
  `ringwatch peak RSS: ${fmt(gib(rssAfterProjectionKiB))} GiB after projection, ${fmt(gib(rssAfterCommunitiesKiB))} GiB after communities`,
  `goal projection + communities ≤ 60 s: ${fmt(projectionSeconds + detectSeconds)} s (projection ${fmt(projectionSeconds)} + communities with the graph build ${fmt(detectSeconds)}) → ${projectionSeconds + detectSeconds <= 60 ? 'met' : 'NOT met'}; with generation: ${fmt(s(feedMs - accumulateMs) + projectionSeconds + detectSeconds)} s`,
  `graphology graph build: ${fmt(s(t.buildGraphMs))} s = ${fmt(100 * buildShare, 0)} % of projection + communities → ${buildShare < 0.5 ? 'does not dominate' : 'DOMINATES'}`,
  `goal peak RSS ≤ 4 GiB: ${fmt(gib(rssAfterCommunitiesKiB))} GiB → ${gib(rssAfterCommunitiesKiB) <= 4 ? 'met' : 'NOT met'}`,
  // Quality is compared on the objective every engine maximised (modularity at the same γ), and on
  // Louvain's own partition: the bridge cuts that follow lower modularity on purpose (two rings
  // joined by a mule account are worth more to modularity as one community).
  `goal communities ≤ 3× NetworKit PLM at ≥ its modularity: ${fmt(ringwatch.communitySeconds / refSeconds)}× (${fmt(ringwatch.communitySeconds)} s vs ${fmt(refSeconds)} s); objective at γ, Louvain + refinement before bridge cuts ${fmt(ringwatchNoCuts.objective, 6)} vs ${reference.ok ? fmt(reference.qualityAtGamma!, 6) : '?'} (after the cuts ${fmt(ringwatch.objective, 6)}; γ = 1: ${fmt(ringwatchNoCuts.modularity, 6)} vs ${reference.ok ? fmt(reference.modularity!, 6) : '?'}) → ${ringwatch.communitySeconds / refSeconds <= 3 && reference.ok && ringwatchNoCuts.objective >= reference.qualityAtGamma! ? 'met' : 'NOT met'}`,
  `load average: before ${loadavgOf(uptimeBefore)}, after ${loadavgOf(uptimeAfter)}`,
  `uptime before: ${uptimeBefore}`,
  `uptime after:  ${uptimeAfter}`,
];
console.log(`\n${summary.join('\n')}`);
const resultsFile = join(outDir, `results-${tag}.json`);
writeFileSync(
  resultsFile,
  JSON.stringify(
    {
      sellers: N,
      seed,
      resolution,
      gamma,
      stats,
      groups,
      links,
      plantedRings: truth.rings.length,
      timings: { feedMs, accumulateMs, sortEdgesMs, exportMs, communities: t, gc },
      rssKiB: { afterProjection: rssAfterProjectionKiB, afterCommunities: rssAfterCommunitiesKiB, atEnd: process.resourceUsage().maxRSS },
      ringwatch: { ...ringwatch, check: ringwatchCheck },
      ringwatchNoCuts,
      peers,
      uptimeBefore,
      uptimeAfter,
      loadavgAtEnd: loadavg(),
      table: summary.join('\n'),
    },
    null,
    2,
  ),
);
console.log(`\nresults: ${resultsFile}`);

// ---------------------------------------------------------------------------------------------

function loadavgOf(line: string): string {
  return line.match(/load average:\s*(.*)$/)?.[1] ?? '?';
}

/** Writes the binary edge list read by peers/common.py (see there for the format). */
function writeEdgeList(path: string, nodes: number, edges: EdgeArrays): void {
  const m = edges.count;
  const header = Buffer.alloc(24);
  header.write('RWEDGES1', 0, 'latin1');
  header.writeBigInt64LE(BigInt(nodes), 8);
  header.writeBigInt64LE(BigInt(m), 16);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    // Little-endian host (x86-64, arm64): the typed arrays' bytes are the file's.
    for (const array of [edges.source.subarray(0, m), edges.target.subarray(0, m), edges.weight.subarray(0, m)]) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let off = 0; off < bytes.length; off += 1 << 28) writeSync(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 28))));
    }
  } finally {
    closeSync(fd);
  }
}
