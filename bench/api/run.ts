/**
 * API benchmark (docs/api.md, "Speed of the API"): dossiers, the ring list and screenings through
 * the HTTP API on loopback, each phase beside its peer in the same run on the same disposable
 * managed Neo4j at the same concurrency:
 * - dossier `GET /v1/rings/{ringId}` (random ring ids) against the same read as one Cypher
 *   statement (cypher/http/ring-dossier.cypher) POSTed to Neo4j's own HTTP endpoint;
 * - ring list `GET /v1/rings?limit=50` against cypher/http/rings-list.cypher through that endpoint;
 * - screening `POST /v1/screenings` against the bare identifier lookup
 *   (cypher/screenings/lookup.cypher, keys made beforehand) through the driver.
 * The API is the real `ringwatch serve` from dist/ (a process of its own, logging as it does by
 * default). The API and Neo4j's endpoint are driven by wrk (a process of its own, bench/api/wrk.lua); the
 * driver peer by the closed loop of bench/support/closedLoop.ts. After the dossier phase the
 * bench checks that the `ring.dossier.read` audit events added equal the dossiers served.
 *
 *   npx tsx bench/api/run.ts [--rings 33000] [--sellers-per-ring 6] [--listings-per-seller 5]
 *                            [--seconds 15] [--connections 16] [--threads 2] [--heap 2g] [--page-cache 1g]
 *                            [--only dossier,list,screening] [--cpu-profile DIR]
 *
 * Needs wrk on the PATH (`apt-get install wrk`). The market is bench/support/screeningMarket.ts's
 * (33,000 rings × 6 = 198,000 sellers by default) with listings (bench/api/seed.cypher). Traffic
 * goes to 127.0.0.1 only; every phase ends after --seconds. The rate limit is raised for the run
 * (the limiter still runs). Not a test: it measures. Results go to bench/RESULTS.md by hand, with
 * the command.
 */
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { verifyAuditChain } from '../../src/audit/auditLog.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing.ts';
import { cypher } from '../../src/graph/cypher.ts';
import { Db, int } from '../../src/graph/db.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { API_DEFAULTS } from '../../src/http/config.ts';
import { createApiKey } from '../../src/keys/apiKeys.ts';
import { CYPHER_VOCABULARY } from '../../src/vocabulary.ts';
import { distStaleness } from '../../scripts/dist-state.js';
import { logLines, startServe } from '../../test/support/serveProcess.ts';
import { closedLoop, type Stats } from '../support/closedLoop.ts';
import { bareLookupOf, screeningRequests, seedScreeningMarket } from '../support/screeningMarket.ts';

const { values } = parseArgs({
  options: {
    rings: { type: 'string', default: '33000' },
    'sellers-per-ring': { type: 'string', default: '6' },
    'listings-per-seller': { type: 'string', default: '5' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    heap: { type: 'string', default: '2g' },
    'page-cache': { type: 'string', default: '1g' },
    only: { type: 'string' },
    'cpu-profile': { type: 'string' },
  },
});
/** Phases to run (`--only dossier,list,screening`); all by default. */
const PHASES = new Set((values.only ?? 'dossier,list,screening').split(',').map((p) => p.trim()));
const RINGS = Number(values.rings);
const PER_RING = Number(values['sellers-per-ring']);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const THREADS = Number(values.threads);
const BRANDS = ['Acme', 'Zeta', 'Nova'];

// The driver peer runs in this process, under tsx, which turns source maps on: every result the
// driver makes would pay a source-mapped stack trace (it captures one per result), which neither
// the compiled service nor a plain driver client pays.
process.setSourceMapsEnabled(false);

const run = promisify(execFile);
const stale = distStaleness(fileURLToPath(new URL('../..', import.meta.url)));
if (stale !== null) throw new Error(`${stale}: run npm run build first, so that the bench measures the compiled service`);
const work = mkdtempSync(join(tmpdir(), 'ringwatch-bench-api-'));
const home = join(work, 'neo4j');

interface WrkLoad {
  url: string;
  method: 'GET' | 'POST';
  /** Request lines, one picked at random per request: paths for GET, bodies for POST. */
  lines: string[];
  authorization: string;
  seconds: number;
}

/** Drives `url` with wrk for `seconds` and answers its counts and latencies (wrk.lua's last line). */
async function wrk({ url, method, lines, authorization, seconds }: WrkLoad): Promise<Stats> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the bench targets 127.0.0.1 only, not ${url}`);
  const file = join(work, `lines-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const { stdout } = await run('wrk', ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--timeout', '10s', '-s', new URL('./wrk.lua', import.meta.url).pathname, url], {
    env: { ...process.env, RW_LINES: file, RW_METHOD: method, RW_PATH: new URL(url).pathname, RW_AUTH: authorization },
    maxBuffer: 1 << 20,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk gave no summary: ${stdout}`);
  const w = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  const errors = (w.connectErrors ?? 0) + (w.readErrors ?? 0) + (w.writeErrors ?? 0) + (w.statusErrors ?? 0) + (w.timeouts ?? 0);
  return { requests: w.requests ?? 0, errors, p50: (w.p50Us ?? 0) / 1000, p99: (w.p99Us ?? 0) / 1000, perSecond: (w.requests ?? 0) / ((w.durationUs ?? 1) / 1e6) };
}

console.log(`starting a disposable Neo4j in ${home}`);
const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: values['page-cache'] });
const db = new Db({ uri: info.uri, user: info.user, password: info.password }, { maxPoolSize: CONNECTIONS * 2 });
try {
  await migrate(db);
  const seedStarted = performance.now();
  const { rings, nodes } = await seedScreeningMarket(db, RINGS, PER_RING);
  const session = db.driver.session();
  const listingsSeed = readFileSync(new URL('./seed.cypher', import.meta.url), 'utf8');
  const withBrands = rings.map((ring, i) => ({ ringId: ring.ringId, brand: BRANDS[i % BRANDS.length] as string }));
  for (let start = 0; start < withBrands.length; start += 1000) {
    await session.executeWrite((tx) => tx.run(listingsSeed, { rings: withBrands.slice(start, start + 1000), listingsPerSeller: int(Number(values['listings-per-seller'])) }));
  }
  await session.run(readFileSync(new URL('./typical-prices.cypher', import.meta.url), 'utf8'));
  await session.close();
  console.log(`seeded ${RINGS} rings × ${PER_RING} sellers (${RINGS * PER_RING} sellers, ${nodes} nodes before listings) × ${values['listings-per-seller']} listings in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

  const analyst = (await createApiKey(db, { role: 'analyst', name: 'bench' }, () => new Date())).token;
  const screener = (await createApiKey(db, { role: 'screening', name: 'bench' }, () => new Date())).token;
  // The service as it ships: `node bin/ringwatch.js serve` from dist/, its default logging (a
  // line per request on stderr), the rate limit raised by its environment (the limiter still runs).
  const profileDir = values['cpu-profile'];
  const service = await startServe({
    ...process.env,
    NEO4J_URI: info.uri,
    NEO4J_USER: info.user,
    NEO4J_PASSWORD: info.password,
    RINGWATCH_DATA_DIR: join(work, 'data'),
    RINGWATCH_RATE_LIMIT_BURST: '1000000',
    RINGWATCH_RATE_LIMIT_PER_SECOND: '1000000',
  }, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  // A bench that fails part-way leaves no service running behind it.
  process.once('exit', () => service.child.kill('SIGKILL'));
  if (/running src\/ through tsx/.test(service.stderr())) throw new Error('src/ changed after the build: the service runs through tsx, not as it ships; run npm run build');
  const api = service.base;
  // Reads answered 200, from the service's own request log lines, to hold against the audit events.
  const answered = (route: string) => logLines(service.stderr()).filter((l) => l.msg === 'request' && l.route === route && l.status === 200).length;
  const served = { dossiers: () => answered('/v1/rings/:ringId'), screenings: () => answered('/v1/screenings') };
  const neo4jHttp = `${new URL(info.browserUrl).origin}/db/neo4j/tx/commit`;
  const neo4jAuth = `Basic ${Buffer.from(`${info.user}:${info.password}`).toString('base64')}`;
  const bearer = (token: string) => `Bearer ${token}`;

  const ringIds = rings.map((r) => r.ringId);
  const dossierPaths = ringIds.map((id) => `/v1/rings/${id}`);
  const statementBody = (statement: string, parameters: Record<string, unknown>) => JSON.stringify({ statements: [{ statement, parameters: { vocabulary: CYPHER_VOCABULARY, ...parameters } }] });
  // 5,000 ring ids for the endpoint (each body carries the whole statement).
  const dossierBodies = Array.from({ length: Math.min(5000, ringIds.length) }, (_, i) =>
    statementBody(cypher('http/ring-dossier'), { ringId: ringIds[(i * 7919) % ringIds.length], brandKey: null, internal: true, limit: API_DEFAULTS.dossierListingLimit }),
  );
  const listBody = statementBody(cypher('http/rings-list'), { flagged: null, minRisk: null, status: null, brandKey: null, afterRisk: null, afterRingId: null, limit: 51 });
  const requests = screeningRequests(5000, RINGS);
  const screeningBodies = requests.map((r) => JSON.stringify(r));
  const bareLookup = bareLookupOf(db, requests, 'autoCommit');
  const bareLookupManaged = bareLookupOf(db, requests, 'managed');

  // Both sides answer what they should before anything is timed.
  const sample = await fetch(neo4jHttp, { method: 'POST', headers: { authorization: neo4jAuth, 'content-type': 'application/json' }, body: dossierBodies[0] });
  const sampleAnswer = (await sample.json()) as { results: { data: unknown[] }[]; errors: unknown[] };
  if (sample.status !== 200 || sampleAnswer.errors.length > 0 || sampleAnswer.results[0]?.data.length !== 1) throw new Error(`the peer's dossier statement failed: ${JSON.stringify(sampleAnswer).slice(0, 500)}`);
  const apiSample = await fetch(`${api}${dossierPaths[0]}`, { headers: { authorization: bearer(analyst) } });
  if (apiSample.status !== 200) throw new Error(`the API's dossier failed: ${apiSample.status} ${await apiSample.text()}`);

  const dossierApi = { url: `${api}/v1/rings/x`, method: 'GET' as const, lines: dossierPaths, authorization: bearer(analyst) };
  const dossierPeer = { url: neo4jHttp, method: 'POST' as const, lines: dossierBodies, authorization: neo4jAuth };
  const listApi = { url: `${api}/v1/rings?limit=50`, method: 'GET' as const, lines: ['/v1/rings?limit=50'], authorization: bearer(analyst) };
  const listPeer = { url: neo4jHttp, method: 'POST' as const, lines: [listBody], authorization: neo4jAuth };
  const screeningApi = { url: `${api}/v1/screenings`, method: 'POST' as const, lines: screeningBodies, authorization: bearer(screener) };

  // Warm-up of every path (plans cached, JITs warm, pools filled, the page cache read in).
  console.log('warming up');
  for (const load of [dossierApi, dossierPeer, listApi, listPeer, screeningApi]) await wrk({ ...load, seconds: 5 });
  for (const lookup of [bareLookup, bareLookupManaged]) await closedLoop({ seconds: 5, connections: CONNECTIONS, maxRequests: 1e9 }, lookup);

  const countStatement = readFileSync(new URL('./audit-count.cypher', import.meta.url), 'utf8');
  const auditCount = async (action: string) => {
    const s = db.driver.session();
    try {
      return Number((await s.run(countStatement, { action })).records[0]?.get('events'));
    } finally {
      await s.close();
    }
  };
  // Requests wrk abandoned at the end of a phase are still answered (and audited): wait until the
  // count of answered reads stops moving.
  const settled = async () => {
    let last = -1;
    for (let i = 0; i < 100; i++) {
      const now = served.dossiers() + served.screenings();
      if (now === last) return;
      last = now;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const load = { seconds: SECONDS };
  /** An API phase under wrk; its window (the monotonic clock in µs, which the service's CPU profile uses too) is printed for profile-summary.ts --between. */
  const apiPhase = async (name: string, wrkLoad: WrkLoad): Promise<Stats> => {
    const [from, fromWall] = [process.hrtime.bigint() / 1000n, new Date().toISOString()];
    const stats = await wrk(wrkLoad);
    console.log(`phase ${name}: --between ${from}:${process.hrtime.bigint() / 1000n} (${fromWall} to ${new Date().toISOString()})`);
    return stats;
  };
  const rows: { scenario: string; api: Stats; peer: Stats; peerName: string }[] = [];

  /** An API phase with the audit events of `action` it added and the reads it was answered (counted once nothing is in flight). */
  const auditedPhase = async (wrkLoad: WrkLoad, action: string, answered: () => number) => {
    await settled();
    const [eventsBefore, answeredBefore] = [await auditCount(action), answered()];
    const stats = await apiPhase(action, wrkLoad);
    await settled();
    return { stats, events: (await auditCount(action)) - eventsBefore, answered: answered() - answeredBefore };
  };

  const none = { answered: 0, events: 0 };
  let dossiers = none;
  if (PHASES.has('dossier')) {
    const phase = await auditedPhase({ ...dossierApi, ...load }, 'ring.dossier.read', served.dossiers);
    dossiers = phase;
    rows.push({ scenario: 'dossier `GET /v1/rings/{ringId}`', api: phase.stats, peer: await wrk({ ...dossierPeer, ...load }), peerName: 'ring-dossier.cypher via Neo4j HTTP' });
  }
  if (PHASES.has('list')) {
    rows.push({ scenario: 'ring list `GET /v1/rings?limit=50`', api: await apiPhase('list', { ...listApi, ...load }), peer: await wrk({ ...listPeer, ...load }), peerName: 'rings-list.cypher via Neo4j HTTP' });
  }
  let screenings = none;
  if (PHASES.has('screening')) {
    const phase = await auditedPhase({ ...screeningApi, ...load }, 'screening.check', served.screenings);
    screenings = phase;
    const peerLoad = { ...load, connections: CONNECTIONS, maxRequests: 1e9 };
    rows.push({ scenario: 'screening `POST /v1/screenings`', api: phase.stats, peer: await closedLoop(peerLoad, bareLookup), peerName: 'lookup.cypher via the driver, auto-commit' });
    rows.push({ scenario: 'screening (same API phase)', api: phase.stats, peer: await closedLoop(peerLoad, bareLookupManaged), peerName: 'lookup.cypher via the driver, executeRead' });
  }
  // SIGTERM: a graceful stop, which also writes the CPU profile when one was asked for.
  service.child.kill('SIGTERM');
  await service.exited;
  if (profileDir) console.log(`CPU profile of the service in ${profileDir} (npx tsx bench/api/profile-summary.ts FILE)`);

  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(`\n${RINGS * PER_RING} sellers, ${CONNECTIONS} connections (wrk -t${THREADS}), ${SECONDS} s per phase, 127.0.0.1\n`);
  console.log('| scenario | API req/s | API p50 | API p99 | API errors | peer | peer req/s | peer p50 | peer p99 | req/s API/peer (goal ≥ 0.5) | p99 API/peer (goal ≤ 2) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { scenario, api: a, peer: p, peerName } of rows) {
    console.log(`| ${scenario} | ${a.perSecond.toFixed(0)} | ${ms(a.p50)} ms | ${ms(a.p99)} ms | ${a.errors} | ${peerName} | ${p.perSecond.toFixed(0)} | ${ms(p.p50)} ms | ${ms(p.p99)} ms | ${(a.perSecond / p.perSecond).toFixed(2)} | ${(a.p99 / p.p99).toFixed(2)} |`);
  }
  console.log(`\ndossiers served ${dossiers.answered}, ring.dossier.read events written ${dossiers.events}: ${dossiers.answered === dossiers.events ? 'equal' : 'DIFFERENT'}`);
  console.log(`screenings served ${screenings.answered}, screening.check events written ${screenings.events}: ${screenings.answered === screenings.events ? 'equal' : 'DIFFERENT'}`);
  // The service signs checkpoints with the key in its data directory.
  const verify = await verifyAuditChain(db, { trustedKey: createPublicKey(loadOrCreateSigningKey(join(work, 'data')).privateKey) });
  console.log(`audit chain: ${verify.ok ? 'intact' : `BROKEN at ${JSON.stringify(verify.firstBreak)}`}, ${verify.events} events${verify.warnings.length > 0 ? `; ${verify.warnings.join('; ')}` : ''}`);
  if (dossiers.answered !== dossiers.events || screenings.answered !== screenings.events || !verify.ok) process.exitCode = 1;
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  // A failed check keeps the store to look into (`ringwatch neo4j start --home …`).
  if (process.exitCode === 1) console.log(`kept ${work} for a look`);
  else rmSync(work, { recursive: true, force: true });
}
