/**
 * Screening benchmark: latency (p50, p99) and throughput of POST /v1/screenings on loopback
 * against the bare lookup statement (cypher/screenings/lookup.cypher) run through the Neo4j driver
 * with the same, already normalised keys (the peer: what Neo4j and the Cypher cost without HTTP,
 * auth, validation, normalisation and the audit append), side by side in one run on one disposable
 * managed Neo4j, at the same concurrency. A third phase adds the audit append to the peer, to
 * show what one append of its own per request would cost (the API group-commits them,
 * src/audit/groupCommit.ts), and a last one, a diagnostic, runs the API with the append skipped.
 *
 *   npx tsx bench/screening/run.ts [--rings 33000] [--sellers-per-ring 6] [--seconds 15] [--connections 16]
 *
 * The market and the requests are bench/support/screeningMarket.ts's, which bench/api seeds too.
 * Traffic goes to 127.0.0.1 only. Not a test: it measures. Results go to bench/RESULTS.md by hand, with the command.
 */
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { recordAuditEvent } from '../../src/audit/auditLog.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing.ts';
import { Db } from '../../src/graph/db.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { createApp } from '../../src/http/app.ts';
import { API_DEFAULTS } from '../../src/http/config.ts';
import { createApiKey } from '../../src/keys/apiKeys.ts';
import { lookupParameters, screeningKeys } from '../../src/screening/screening.ts';
import { CYPHER_VOCABULARY } from '../../src/vocabulary.ts';
import { closedLoop, formatStats, type Stats } from '../support/closedLoop.ts';
import { bareLookupOf, HUBS, screeningRequests, seedScreeningMarket } from '../support/screeningMarket.ts';

const { values } = parseArgs({
  options: {
    rings: { type: 'string', default: '33000' },
    'sellers-per-ring': { type: 'string', default: '6' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '16' },
    'max-requests': { type: 'string', default: '200000' },
    heap: { type: 'string', default: '2g' },
    'page-cache': { type: 'string', default: '1g' },
  },
});
const RINGS = Number(values.rings);
const PER_RING = Number(values['sellers-per-ring']);
const CONNECTIONS = Number(values.connections);
const LOAD = { seconds: Number(values.seconds), connections: CONNECTIONS, maxRequests: Number(values['max-requests']) };
const work = mkdtempSync(join(tmpdir(), 'ringwatch-bench-screening-'));
const home = join(work, 'neo4j');
console.log(`starting a disposable Neo4j in ${home}`);
const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: values['page-cache'] });
const db = new Db({ uri: info.uri, user: info.user, password: info.password }, { maxPoolSize: CONNECTIONS * 2 });
try {
  await migrate(db);
  const seedStarted = performance.now();
  const { nodes } = await seedScreeningMarket(db, RINGS, PER_RING);
  console.log(`seeded ${RINGS} rings × ${PER_RING} sellers (${RINGS * PER_RING} sellers, ${nodes} nodes) and ${HUBS} hubs in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  // 5,000 distinct requests, used in turn; the peer gets each one's keys made beforehand.
  const requests = screeningRequests(5000, RINGS);
  const bodies = requests.map((r) => JSON.stringify(r));
  const params = requests.map((r) => ({ ...lookupParameters(screeningKeys(r).keys), vocabulary: CYPHER_VOCABULARY }));

  const { token } = await createApiKey(db, { role: 'screening', name: 'bench' }, () => new Date());
  const dataDir = join(work, 'data');
  const app = createApp({
    db,
    config: { ...API_DEFAULTS, dataDir, rateLimit: { burst: 1e9, perSecond: 1e9 } },
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    signingKey: loadOrCreateSigningKey(dataDir),
  });
  // Diagnostic only, never a setting of the service: the same app over a Db whose audit appends
  // are skipped, to show how much of a screening's time is the wait for the audit head.
  const skipAudit = new Proxy(db, {
    get(target, property) {
      if (property === 'writeTx') {
        return (work: Parameters<Db['writeTx']>[0], meta?: Parameters<Db['writeTx']>[1]) => (meta?.app.startsWith('audit:') ? Promise.resolve({}) : target.writeTx(work, meta));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const unaudited = createApp({
    db: skipAudit,
    config: { ...API_DEFAULTS, dataDir, rateLimit: { burst: 1e9, perSecond: 1e9 } },
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    signingKey: loadOrCreateSigningKey(dataDir),
  });
  const listen = async (fetchOf: typeof app.fetch) => {
    const server = serve({ fetch: fetchOf, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const { server, base } = await listen(app.fetch);
  const { server: unauditedServer, base: unauditedBase } = await listen(unaudited.fetch);
  const decisions: Record<string, number> = {};
  const screenAt = (at: string) => async (i: number) => {
    const response = await fetch(`${at}/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: bodies[i % bodies.length] });
    const answer = (await response.json()) as { decision: string };
    decisions[answer.decision] = (decisions[answer.decision] ?? 0) + 1;
    return response.status === 200;
  };
  const screen = screenAt(base);
  const bareLookup = bareLookupOf(db, requests);

  // Warm-up of every path a phase takes (plans cached, both JITs warm, pools filled, the page cache
  // read in): a first run with 5 s of mixed warm-up measured the first API phase at a third of the
  // throughput of the same phase run last.
  await closedLoop({ ...LOAD, seconds: 10 }, screen);
  await closedLoop({ ...LOAD, seconds: 5 }, bareLookup);
  for (const key of Object.keys(decisions)) delete decisions[key];

  const results: [string, Stats][] = [];
  results.push(['API: POST /v1/screenings (HTTP, key lookup, validation, normalisation, lookup, audit append)', await closedLoop(LOAD, screen)]);
  const answered = { ...decisions };
  results.push(['peer: the bare lookup statement through the driver', await closedLoop(LOAD, bareLookup)]);
  results.push(['peer + audit: the lookup through Db, then the audit append', await closedLoop(LOAD, async (i) => {
    await db.read('screenings/lookup', { keys: params[i % params.length]?.keys }, { app: 'bench' });
    await recordAuditEvent(db, { keyId: 'bench', role: 'screening', action: 'screening.check', target: 'screening', requestId: `bench-${i}` }, new Date());
    return true;
  })]);
  // The API once more, last: on a shared machine the load of others drifts, and this shows how much.
  results.push(['API again, last', await closedLoop(LOAD, screen)]);
  results.push(['diagnostic: the API with its audit append skipped', await closedLoop(LOAD, screenAt(unauditedBase))]);
  server.close();
  unauditedServer.close();

  console.log(`\n${CONNECTIONS} connections, ${LOAD.seconds} s per phase, 127.0.0.1; API decisions: ${JSON.stringify(answered)}`);
  for (const [name, stats] of results) console.log(`  ${name}: ${formatStats(stats)}`);
  const [first, peer, audited, last] = results.map(([, s]) => s) as [Stats, Stats, Stats, Stats];
  for (const [pass, api] of [['first', first], ['last', last]] as const) {
    console.log(`  ratio API (${pass})/peer: p50 ${(api.p50 / peer.p50).toFixed(2)}×, p99 ${(api.p99 / peer.p99).toFixed(2)}×, throughput ${(api.perSecond / peer.perSecond).toFixed(3)}×`);
    console.log(`  ratio API (${pass})/(peer + audit): p50 ${(api.p50 / audited.p50).toFixed(2)}×, throughput ${(api.perSecond / audited.perSecond).toFixed(2)}×`);
  }
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  rmSync(work, { recursive: true, force: true });
}
