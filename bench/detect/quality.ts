/**
 * Detection quality on generated markets, against the planted truth: ringwatch's rings (flagged
 * only) beside two baselines on the same data — plain connected components over identifiers as
 * typed (exact), and over normalised identifiers — each component of two or more sellers taken as
 * a ring. Shows what normalisation, hub handling, Louvain and scoring each buy.
 *
 *   npx tsx bench/detect/quality.ts --sellers 20000 --seeds 1,2,3,4,5
 *
 * Not a test: it measures. Results go to bench/RESULTS.md with the command.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateDetection, type Evaluation, type FoundRing } from '../../src/analysis/evaluate.ts';
import type { MarketTruth } from '../../src/analysis/marketTruth.ts';
import { runDetection } from '../../src/analysis/runDetection.ts';
import { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { generateMarket } from '../../src/ingest/generate.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '20000' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    heap: { type: 'string', default: '4g' },
  },
});
const sizes = values.sellers.split(',').map(Number);
const seeds = values.seeds.split(',').map(Number);
const work = join(tmpdir(), 'ringwatch-bench-quality');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
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

const home = join(work, 'neo4j');
const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: '4g' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
const lines: string[] = [
  '| market | method | flagged rings | ring precision | ring recall | ring F1 | seller precision | seller recall | honest owners flagged | bridged pairs apart |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
try {
  await migrate(db);
  for (const sellers of sizes) {
    for (const seed of seeds) {
      const dir = join(work, `market-${sellers}-${seed}`);
      const truthFile = join(dir, 'truth.json');
      await generateMarket({ outDir: dir, sellers, rings: Math.round(sellers / 100), seed, truthFile });
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
      const market = `${sellers / 1000}k, seed ${seed}`;
      const results = [
        row(`${market} | ringwatch (flagged rings)`, evaluateDetection(found, truth)),
        row(`${market} | components, exact identifiers`, evaluateDetection(await baseline(db, 'exact-groups'), truth)),
        row(`${market} | components, normalised identifiers`, evaluateDetection(await baseline(db, 'normalised-groups'), truth)),
      ];
      lines.push(...results);
      console.error(`${market}: ingest ${((t1 - t0) / 1000).toFixed(0)} s, detect ${((t2 - t1) / 1000).toFixed(0)} s`);
      console.error(results.join('\n'));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(lines.join('\n'));
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  rmSync(work, { recursive: true, force: true });
}
