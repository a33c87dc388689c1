/**
 * Ingest benchmark: `ringwatch ingest` against the LOAD CSV peer (load-csv.cypher), side by side
 * in one run, on the same generated CSV files and the same managed Neo4j build and settings, each
 * loader into a fresh store of its own (same constraints). Prints records/s for both, their ratio,
 * per-file seconds, and ringwatch's peak RSS and CPU seconds.
 *
 *   npx tsx bench/ingest/run.ts --sellers 100000 [--seed 1] [--keep] [--reuse] [--only ringwatch|load-csv]
 *
 * --keep leaves the generated market (and stores) in the work folder; --reuse loads a market kept
 * there by an earlier run instead of generating it again; --only runs one loader, for trying a
 * change (the ratio needs both).
 *
 * Not a test: it measures. Results go to bench/RESULTS.md by hand, with the command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Db } from '../../src/graph/db.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { generateMarket } from '../../src/ingest/generate.ts';
import { RECORD_KINDS } from '../../src/ingest/records.ts';

const { values } = parseArgs({
  options: {
    sellers: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    heap: { type: 'string', default: '4g' },
    'page-cache': { type: 'string', default: '4g' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const sellers = Number(values.sellers);
const work = join(tmpdir(), `ringwatch-bench-ingest-${sellers}`);
const market = join(work, 'market');
const CLI = fileURLToPath(new URL('../../bin/ringwatch.js', import.meta.url));
const PEER = fileURLToPath(new URL('./load-csv.cypher', import.meta.url));

async function counts(db: Db): Promise<{ nodes: number; relationships: number }> {
  const session = db.driver.session();
  try {
    const n = await session.run('MATCH (n) RETURN count(n) AS n');
    const r = await session.run('MATCH ()-[r]->() RETURN count(r) AS n');
    return { nodes: n.records[0]!.get('n').toNumber(), relationships: r.records[0]!.get('n').toNumber() };
  } finally {
    await session.close();
  }
}

/** Starts a fresh managed Neo4j with the project's constraints, runs `work` against it, stops it. */
async function withFreshNeo4j<T>(name: string, task: (db: Db, info: { uri: string; user: string; password: string; home: string }) => Promise<T>): Promise<T> {
  const home = join(work, `neo4j-${name}`);
  const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: values['page-cache'] });
  const db = new Db({ uri: info.uri, user: info.user, password: info.password });
  try {
    await migrate(db);
    return await task(db, { ...info, home });
  } finally {
    await db.close();
    await stopLocalNeo4j(home);
  }
}

// A market kept by an earlier run (--keep) is reused with --reuse; its record counts are beside it.
const countsFile = join(work, 'market.json');
let files: Record<string, number>;
if (values.reuse && existsSync(countsFile)) {
  files = JSON.parse(readFileSync(countsFile, 'utf8')) as Record<string, number>;
  for (const name of readdirSync(work)) if (name.startsWith('neo4j-')) rmSync(join(work, name), { recursive: true, force: true });
  console.log(`reusing the market in ${market}`);
} else {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  console.log(`generating ${sellers} sellers (CSV) in ${market}`);
  const generated = await generateMarket({ outDir: market, sellers, rings: Math.max(1, Math.round(sellers / 100)), seed: Number(values.seed), format: 'csv' });
  files = generated.files;
  writeFileSync(countsFile, JSON.stringify(files));
}
const records = Object.values(files).reduce((a, b) => a + b, 0);
console.log(`${records} records: ${JSON.stringify(files)}`);
const runs = (loader: string) => values.only === undefined || values.only === loader;

try {
  // Each loader gets a fresh store of its own on the same Neo4j build and settings: emptying one
  // store between them was not fair (the second ran on a warm JVM) and, at 1M sellers, failed
  // (deleting a hub with its hundreds of thousands of relationships exceeds the transaction memory pool).

  // ringwatch, as a user runs it, with peak RSS and CPU seconds (the client's share of the two
  // cores it shares with Neo4j) from /usr/bin/time.
  const ringwatch = !runs('ringwatch') ? undefined : await withFreshNeo4j('ringwatch', async (db, info) => {
    const env = { ...process.env, NEO4J_URI: info.uri, NEO4J_USER: info.user, NEO4J_PASSWORD: info.password };
    const timed = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, CLI, 'ingest', market, '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (timed.status !== 0) throw new Error(`ringwatch ingest failed: ${timed.stderr}`);
    const summary = JSON.parse(timed.stdout) as { seconds: number; files: Record<string, { read: number; rejected: number; seconds: number }> };
    const [maxRssKb, userSeconds, systemSeconds] = timed.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    const graph = await counts(db);
    const result = { seconds: summary.seconds, recordsPerSecond: Math.round(records / summary.seconds), peakRssMb: Math.round(maxRssKb / 1024), cpuSeconds: Math.round(userSeconds + systemSeconds), ...graph, files: summary.files, loadAverage: loadavg() };
    console.log(`ringwatch: ${JSON.stringify(result)}`);
    return result;
  });

  // The peer, through its own store: CSVs copied into that Neo4j's import folder.
  const peer = !runs('load-csv') ? undefined : await withFreshNeo4j('load-csv', async (db, info) => {
    for (const kind of RECORD_KINDS) copyFileSync(join(market, `${kind}.csv`), join(info.home, 'import', `${kind}.csv`));
    const statements = readFileSync(PEER, 'utf8').split(/^;\s*$/m).map((s) => s.trim()).filter((s) => s.replace(/^\/\/.*$/gm, '').trim());
    const session = db.driver.session();
    const t0 = performance.now();
    const fileSeconds: Record<string, number> = {};
    try {
      for (const statement of statements) {
        const started = performance.now();
        await session.run(statement);
        fileSeconds[statement.match(/file:\/\/\/(\w+)\.csv/)?.[1] ?? '?'] = Math.round(performance.now() - started) / 1000;
      }
    } finally {
      await session.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    const graph = await counts(db);
    const result = { seconds: Math.round(seconds * 100) / 100, recordsPerSecond: Math.round(records / seconds), ...graph, fileSeconds, loadAverage: loadavg() };
    console.log(`load-csv peer: ${JSON.stringify(result)}`);
    return result;
  });

  // The side-by-side table, when both loaders ran.
  if (ringwatch !== undefined && peer !== undefined) {
    const result = {
      sellers,
      records,
      ringwatch: { seconds: ringwatch.seconds, recordsPerSecond: ringwatch.recordsPerSecond, peakRssMb: ringwatch.peakRssMb, cpuSeconds: ringwatch.cpuSeconds, nodes: ringwatch.nodes, relationships: ringwatch.relationships },
      loadCsvPeer: { seconds: peer.seconds, recordsPerSecond: peer.recordsPerSecond, nodes: peer.nodes, relationships: peer.relationships },
      ratio: Math.round((ringwatch.recordsPerSecond / peer.recordsPerSecond) * 100) / 100,
      perFileSeconds: Object.fromEntries(
        RECORD_KINDS.map((kind) => [kind, { records: ringwatch.files[kind]?.read ?? 0, ringwatch: ringwatch.files[kind]?.seconds, loadCsvPeer: peer.fileSeconds[kind] }]),
      ),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`ringwatch ${ringwatch.recordsPerSecond} rec/s vs LOAD CSV ${peer.recordsPerSecond} rec/s: ratio ${result.ratio}; ringwatch peak RSS ${ringwatch.peakRssMb} MB`);
  }
} finally {
  if (!values.keep) execFileSync('rm', ['-rf', work]);
}
