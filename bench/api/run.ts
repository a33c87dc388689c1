/**
 * API benchmark: ring-list and dossier latency (p50, p99) and throughput through the HTTP API on
 * loopback, against the same reads done directly through the Db executor (the peer: what Neo4j
 * and the Cypher cost without HTTP, auth, validation and audit), side by side in one run on the
 * same disposable managed Neo4j. Prints both and their ratio.
 *
 *   npx tsx bench/api/run.ts [--rings 300] [--seconds 10] [--connections 8] [--max-requests 20000]
 *
 * Traffic goes to 127.0.0.1 only; every phase stops after --seconds or --max-requests, whichever
 * comes first. Not a test: it measures. Results go to bench/RESULTS.md by hand, with the command.
 */
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { Db, int } from '../../src/graph/db.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { createApp } from '../../src/http/app.ts';
import { createApiKey } from '../../src/keys/apiKeys.ts';
import { recordAuditEvent } from '../../src/audit/auditLog.ts';
import { randomBase32 } from '../../src/canonical.ts';
import { API_DEFAULTS } from '../../src/http/config.ts';
import { ANALYST_VIEW, loadDossier } from '../../src/dossier/dossier.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing.ts';
import { closedLoop, formatStats } from '../support/closedLoop.ts';

const { values } = parseArgs({
  options: {
    rings: { type: 'string', default: '300' },
    'sellers-per-ring': { type: 'string', default: '6' },
    'listings-per-seller': { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    'max-requests': { type: 'string', default: '20000' },
    heap: { type: 'string', default: '1g' },
    'page-cache': { type: 'string', default: '512m' },
  },
});
const RINGS = Number(values.rings);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const MAX_REQUESTS = Number(values['max-requests']);

const LOAD = { seconds: SECONDS, connections: CONNECTIONS, maxRequests: MAX_REQUESTS };
const load = (work: (i: number) => Promise<boolean>) => closedLoop(LOAD, work);
const fmt = formatStats;

const work = mkdtempSync(join(tmpdir(), 'ringwatch-bench-api-'));
const home = join(work, 'neo4j');
console.log(`starting a disposable Neo4j in ${home}`);
const info = await startLocalNeo4j({ home, heap: values.heap, pageCache: values['page-cache'] });
const db = new Db({ uri: info.uri, user: info.user, password: info.password }, { maxPoolSize: CONNECTIONS * 2 });
try {
  await migrate(db);
  const rings = Array.from({ length: RINGS }, (_, i) => {
    const ringId = `R-${randomBase32(8)}`;
    return {
      ringId,
      riskScore: Math.round(Math.random() * 1000) / 10,
      brand: ['Acme', 'Zeta', 'Nova'][i % 3] as string,
      sellers: Array.from({ length: Number(values['sellers-per-ring']) }, (_, j) => `S-${i}-${j}`),
    };
  });
  // Seeded 1,000 rings a transaction, so that a 200k-seller market fits in a small heap.
  const seed = readFileSync(new URL('./seed.cypher', import.meta.url), 'utf8');
  const session = db.driver.session();
  for (let start = 0; start < rings.length; start += 1000) {
    await session.executeWrite((tx) => tx.run(seed, { rings: rings.slice(start, start + 1000), listingsPerSeller: int(Number(values['listings-per-seller'])) }));
  }
  await session.run(readFileSync(new URL('./typical-prices.cypher', import.meta.url), 'utf8'));
  await session.close();
  console.log(`seeded ${RINGS} rings × ${values['sellers-per-ring']} sellers × ${values['listings-per-seller']} listings`);

  const { token } = await createApiKey(db, { role: 'analyst', name: 'bench' }, () => new Date());
  const dataDir = join(work, 'data');
  const app = createApp({
    db,
    config: { ...API_DEFAULTS, dataDir, rateLimit: { burst: 1e9, perSecond: 1e9 } },
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    signingKey: loadOrCreateSigningKey(dataDir),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${token}` };
  const ringOf = (i: number) => (rings[i % rings.length] as { ringId: string }).ringId;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers });
    await response.arrayBuffer();
    return response.status === 200;
  };

  // Warm-up: plans cached, JIT warm, pools filled.
  await load(async (i) => get(i % 2 ? '/v1/rings?limit=50' : `/v1/rings/${ringOf(i)}`));

  const meta = { app: 'bench' };
  const results = {
    'ring list (50)': {
      api: await load(() => get('/v1/rings?limit=50')),
      peer: await load(async () => (await db.read('http/rings-list', { flagged: null, minRisk: null, status: null, brandKey: null, afterRisk: null, afterRingId: null, limit: int(51) }, meta)).length > 0),
    },
    dossier: {
      api: await load((i) => get(`/v1/rings/${ringOf(i)}`)),
      peer: await load(async (i) => {
        const dossier = await loadDossier(db, ringOf(i), ANALYST_VIEW, API_DEFAULTS.dossierListingLimit, meta);
        await recordAuditEvent(db, { keyId: 'bench', role: 'analyst', action: 'ring.dossier.read', target: ringOf(i), requestId: 'bench' }, new Date());
        return dossier !== null;
      }),
    },
  };
  server.close();
  console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per phase, at most ${MAX_REQUESTS} requests, 127.0.0.1`);
  for (const [name, { api, peer }] of Object.entries(results)) {
    console.log(`${name}`);
    console.log(`  API (HTTP + auth + validation${name === 'dossier' ? ' + audit' : ''}): ${fmt(api)}`);
    console.log(`  peer (Db executor, same Cypher${name === 'dossier' ? ' + audit' : ''}): ${fmt(peer)}`);
    console.log(`  ratio API/peer: p50 ${(api.p50 / peer.p50).toFixed(2)}×, p99 ${(api.p99 / peer.p99).toFixed(2)}×, throughput ${(api.perSecond / peer.perSecond).toFixed(2)}×`);
  }
} finally {
  await db.close();
  await stopLocalNeo4j(home);
  rmSync(work, { recursive: true, force: true });
}
