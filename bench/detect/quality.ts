/**
 * Detection quality on generated markets, against the planted truth: ringwatch's rings (flagged
 * only) beside two baselines on the same data — plain connected components over identifiers as
 * typed (exact), and over normalised identifiers — each component of two or more sellers taken as
 * a ring. Shows what normalisation, hub handling, Louvain and scoring each buy.
 *
 *   npx tsx bench/detect/quality.ts --sellers 20000 --seeds 1,2,3,4,5
 *   npx tsx bench/detect/quality.ts --preset adversarial --sellers 20000 --rings 150 --seeds 1 --apply-verdicts
 *
 * `--preset adversarial` generates the adversarial market (docs/detection.md, "Evaluation") and
 * `--rings` sets the planted rings (default: one per 100 stores; one value, or one per size).
 * Each market also gets a per-kind table: ring precision, recall and F1 over flagged rings, and
 * for each ring kind "flagged / found as a community of planted", for each honest group kind
 * "flagged of groups (touched)". `--apply-verdicts` then records the truth's test purchases as
 * brand verdicts (applyTestPurchases, as `ringwatch eval --apply-verdicts`), detects again with
 * the defaults (incrementally) and adds the rows "after verdicts".
 *
 * Not a test: it measures. Results go to bench/RESULTS.md with the command.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { applyTestPurchases } from '../../src/actions/testPurchases.ts';
import { evaluateDetection, type Evaluation, type FoundRing } from '../../src/analysis/evaluate.ts';
import { HONEST_GROUP_KINDS, RING_KINDS, type MarketTruth } from '../../src/analysis/marketTruth.ts';
import { runDetection } from '../../src/analysis/runDetection.ts';
import { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { generateMarket, MARKET_PRESETS, type MarketPreset } from '../../src/ingest/generate.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '20000' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    heap: { type: 'string', default: '4g' },
    rings: { type: 'string' },
    preset: { type: 'string', default: 'classic' },
    'apply-verdicts': { type: 'boolean', default: false },
  },
});
const sizes = values.sellers.split(',').map(Number);
const seeds = values.seeds.split(',').map(Number);
const ringCounts = values.rings?.split(',').map(Number);
if (ringCounts !== undefined && ringCounts.length !== 1 && ringCounts.length !== sizes.length) throw new Error('--rings: one value, or one per --sellers size');
const ringsFor = (sellers: number, i: number): number => ringCounts?.[ringCounts.length === 1 ? 0 : i] ?? Math.round(sellers / 100);
if (!(MARKET_PRESETS as readonly string[]).includes(values.preset)) throw new Error(`--preset: ${MARKET_PRESETS.join(' or ')}`);
const preset = values.preset as MarketPreset;
const applyVerdicts = values['apply-verdicts'];
// A folder of this run's own (its markets and its Neo4j): two runs side by side must not share one.
const work = mkdtempSync(join(tmpdir(), 'ringwatch-bench-quality-'));
const query = (name: string) => readFileSync(fileURLToPath(new URL(`./${name}.cypher`, import.meta.url)), 'utf8');

/** Connected components of sellers linked by any shared identifier (union–find). */
function components(groups: Iterable<string[]>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let y = x; parent.get(y) !== root; ) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  for (const group of groups) {
    for (const s of group) if (!parent.has(s)) parent.set(s, s);
    for (let i = 1; i < group.length; i++) {
      const a = find(group[0]!);
      const b = find(group[i]!);
      if (a !== b) parent.set(a, b);
    }
  }
  const byRoot = new Map<string, string[]>();
  for (const s of parent.keys()) {
    const r = find(s);
    const list = byRoot.get(r);
    if (list) list.push(s);
    else byRoot.set(r, [s]);
  }
  return [...byRoot.values()].filter((c) => c.length > 1);
}

async function baseline(db: Db, name: string): Promise<FoundRing[]> {
  const session = db.driver.session();
  try {
    const result = await session.run(query(name));
    const comps = components(result.records.map((r) => r.get('sellerIds') as string[]));
    return comps.map((sellerIds, i) => ({ ringId: `${name}-${i}`, sellerIds, flagged: true }));
  } finally {
    await session.close();
  }
}

const row = (label: string, e: Evaluation) =>
  `| ${label} | ${e.foundRings} | ${e.ringPrecision.toFixed(3)} | ${e.ringRecall.toFixed(3)} | ${e.ringF1.toFixed(3)} | ${e.sellerPrecision.toFixed(3)} | ${e.sellerRecall.toFixed(3)} | ${e.honestMultiStoreOwnersFlagged}/${e.honestMultiStoreOwners} | ${e.bridgedPairsSeparated}/${e.bridgedPairs} |`;

/** Ring kinds as "flagged / found as a community of planted"; honest kinds as "flagged of groups (touched)". */
const kindRow = (label: string, e: Evaluation): string => {
  const rings = new Map(e.ringKinds.map((k) => [k.kind, k]));
  const honest = new Map(e.honestGroupKinds.map((k) => [k.kind, k]));
  const cells = [
    ...RING_KINDS.map((kind) => {
      const k = rings.get(kind);
      return k === undefined ? '–' : `${k.flagged} / ${k.asCommunity} of ${k.planted}`;
    }),
    ...HONEST_GROUP_KINDS.map((kind) => {
      const k = honest.get(kind);
      return k === undefined ? '–' : `${k.flagged} of ${k.groups} (${k.touched})`;
    }),
  ];
  return `| ${label} | ${e.ringPrecision.toFixed(3)} | ${e.ringRecall.toFixed(3)} | ${e.ringF1.toFixed(3)} | ${cells.join(' | ')} |`;
};
const kindLines: string[] = [
  `| market | stage | ring P | ring R | ring F1 | ${RING_KINDS.join(' | ')} | ${HONEST_GROUP_KINDS.join(' | ')} |`,
  `| --- | --- | --- | --- | --- | ${[...RING_KINDS, ...HONEST_GROUP_KINDS].map(() => '---').join(' | ')} |`,
];

const home = join(work, 'neo4j');
const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: '4g' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
const lines: string[] = [
  '| market | method | flagged rings | ring precision | ring recall | ring F1 | seller precision | seller recall | honest owners flagged | bridged pairs apart |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
try {
  await migrate(db);
  for (const [i, sellers] of sizes.entries()) {
    for (const seed of seeds) {
      const dir = join(work, `market-${sellers}-${seed}`);
      const truthFile = join(dir, 'truth.json');
      const rings = ringsFor(sellers, i);
      await generateMarket({ outDir: dir, sellers, rings, seed, truthFile, preset });
      const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as MarketTruth;
      const session = db.driver.session();
      await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
      await session.close();
      const t0 = performance.now();
      await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
      const t1 = performance.now();
      const summary = await runDetection(new Neo4jDetectionStore(db), {});
      const t2 = performance.now();
      const found = summary.rings.map((r) => ({ ringId: r.ringId, sellerIds: r.sellerIds, flagged: r.score.flagged }));
      const market = `${preset === 'classic' ? '' : `${preset} `}${sellers / 1000}k, ${rings} rings, seed ${seed}`;
      const ours = evaluateDetection(found, truth);
      const results = [
        row(`${market} | ringwatch (flagged rings)`, ours),
        row(`${market} | components, exact identifiers`, evaluateDetection(await baseline(db, 'exact-groups'), truth)),
        row(`${market} | components, normalised identifiers`, evaluateDetection(await baseline(db, 'normalised-groups'), truth)),
      ];
      const kinds = [kindRow(`${market} | detection`, ours)];
      let afterVerdicts = '';
      if (applyVerdicts) {
        const store = new Neo4jDetectionStore(db);
        const actor = { keyId: 'bench', role: 'admin', requestId: `bench-${randomUUID()}` };
        const applied = await applyTestPurchases({ db, actor, at: new Date(), meta: { app: 'bench:quality' } }, truth);
        const t3 = performance.now();
        const again = await runDetection(store, {});
        const t4 = performance.now();
        const after = evaluateDetection(await store.exportRings(false), truth);
        results.push(row(`${market} | ringwatch after verdicts (flagged rings)`, after));
        kinds.push(kindRow(`${market} | after ${applied.recorded.length} verdicts (${again.run.mode})`, after));
        afterVerdicts = `; ${applied.recorded.length} verdicts, then ${again.run.mode} detect ${((t4 - t3) / 1000).toFixed(0)} s (${again.run.counts.sellersReclustered} sellers re-clustered)`;
      }
      lines.push(...results);
      kindLines.push(...kinds);
      console.error(`${market}: ingest ${((t1 - t0) / 1000).toFixed(0)} s, detect ${((t2 - t1) / 1000).toFixed(0)} s${afterVerdicts}`);
      console.error([...results, ...kinds].join('\n'));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(lines.join('\n'));
  console.log('');
  console.log('Per kind: ring kinds as "flagged / found as a community of planted" (Jaccard ≥ 0.5); honest groups as "flagged of groups (touched)", flagged = 2 or more stores in one flagged ring, touched = any store in a flagged ring.');
  console.log('');
  console.log(kindLines.join('\n'));
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  rmSync(work, { recursive: true, force: true });
}
