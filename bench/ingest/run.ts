/**
 * Ingest benchmark: `ringwatch ingest` against the LOAD CSV peer (load-csv.cypher), side by side
 * in one run, on the same generated CSV files and the same managed Neo4j (emptied in between, same
 * constraints). Prints records/s for both, their ratio, and ringwatch's peak RSS.
 *
 *   npx tsx bench/ingest/run.ts --sellers 100000 [--seed 1] [--keep]
 *
 * Not a test: it measures. Results go to bench/RESULTS.md by hand, with the command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
  },
});
const sellers = Number(values.sellers);
const work = join(tmpdir(), `ringwatch-bench-ingest-${sellers}`);
const market = join(work, 'market');
const home = join(work, 'neo4j');
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

async function clear(db: Db): Promise<void> {
  const session = db.driver.session();
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
console.log(`generating ${sellers} sellers (CSV) in ${market}`);
const generated = await generateMarket({ outDir: market, sellers, rings: Math.max(1, Math.round(sellers / 100)), seed: Number(values.seed), format: 'csv' });
const records = Object.values(generated.files).reduce((a, b) => a + b, 0);
console.log(`${records} records: ${JSON.stringify(generated.files)}`);

const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: values['page-cache'] });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
try {
  await migrate(db);

  // ringwatch, as a user runs it, with peak RSS from /usr/bin/time.
  const env = { ...process.env, NEO4J_URI: info.uri, NEO4J_USER: info.user, NEO4J_PASSWORD: info.password };
  const timed = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'ingest', market, '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (timed.status !== 0) throw new Error(`ringwatch ingest failed: ${timed.stderr}`);
  const summary = JSON.parse(timed.stdout) as { seconds: number; files: Record<string, { read: number; rejected: number; seconds: number }> };
  const peakRssMb = Number(timed.stderr.trim().split('\n').pop()) / 1024;
  const ringwatchGraph = await counts(db);
  await clear(db);

  // The peer, through the same server: CSVs copied into Neo4j's import folder.
  for (const kind of RECORD_KINDS) copyFileSync(join(market, `${kind}.csv`), join(home, 'import', `${kind}.csv`));
  const statements = readFileSync(PEER, 'utf8').split(/^;\s*$/m).map((s) => s.trim()).filter((s) => s.replace(/^\/\/.*$/gm, '').trim());
  const session = db.driver.session();
  const t0 = performance.now();
  const peerFileSeconds: Record<string, number> = {};
  try {
    for (const statement of statements) {
      const started = performance.now();
      await session.run(statement);
      peerFileSeconds[statement.match(/file:\/\/\/(\w+)\.csv/)?.[1] ?? '?'] = Math.round(performance.now() - started) / 1000;
    }
  } finally {
    await session.close();
  }
  const peerSeconds = (performance.now() - t0) / 1000;
  const peerGraph = await counts(db);

  const rw = records / summary.seconds;
  const peer = records / peerSeconds;
  const result = {
    sellers,
    records,
    ringwatch: { seconds: summary.seconds, recordsPerSecond: Math.round(rw), peakRssMb: Math.round(peakRssMb), ...ringwatchGraph },
    loadCsvPeer: { seconds: Math.round(peerSeconds * 100) / 100, recordsPerSecond: Math.round(peer), ...peerGraph },
    ratio: Math.round((rw / peer) * 100) / 100,
    perFileSeconds: Object.fromEntries(
      RECORD_KINDS.map((kind) => [kind, { records: summary.files[kind]?.read ?? 0, ringwatch: summary.files[kind]?.seconds, loadCsvPeer: peerFileSeconds[kind] }]),
    ),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`ringwatch ${Math.round(rw)} rec/s vs LOAD CSV ${Math.round(peer)} rec/s: ratio ${result.ratio}; ringwatch peak RSS ${Math.round(peakRssMb)} MB`);
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  if (!values.keep) execFileSync('rm', ['-rf', work]);
}
