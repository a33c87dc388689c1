import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateDetection } from '../analysis/evaluate.ts';
import { runDetection } from '../analysis/runDetection.ts';
import { int } from '../graph/db.ts';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { createApiKey } from '../keys/apiKeys.ts';
import { loadApiConfig } from '../http/config.ts';
import { loadOrCreateSigningKey } from '../evidence/signing.ts';
import { runServer } from '../http/server.ts';
import { generateMarket } from '../ingest/generate.ts';
import { createLogger } from '../log.ts';
import { ingestDirectory } from '../ingest/load.ts';
import { PROJECT_ROOT } from '../projectRoot.ts';
import { say, withDb } from './context.ts';
import { printDetection, topRings } from './detect.ts';
import { showLiveLoop } from './demoLive.ts';
import { printEvaluation, readTruth } from './eval.ts';
import { positiveInt } from './options.ts';

const DEMO_DIR = join(PROJECT_ROOT, '.cache', 'demo');
/** The demo's own managed Neo4j, so that its marketplace never mixes with other data. */
const DEMO_NEO4J_HOME = join(DEMO_DIR, 'neo4j');

/**
 * `ringwatch demo`: the main job on a fresh machine. Starts the managed Neo4j (fetching it the
 * first time), generates a marketplace with planted rings, loads it, detects and scores rings,
 * shows the riskiest ones, closes the riskiest and shows its stores caught reopening (demoLive.ts),
 * and serves the API with a fresh analyst key until Ctrl-C.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description("generate a marketplace, load it into Neo4j, detect rings and show them (the README's first command)")
    .option('--sellers <n>', 'stores in the generated marketplace', positiveInt(1_000_000), 10_000)
    .option('--rings <n>', 'planted rings', positiveInt(100_000), 100)
    .option('--seed <n>', 'generator and Louvain seed', positiveInt(2 ** 31 - 1), 1)
    .option('--port <port>', 'port of the API', positiveInt(65_535), 8080)
    .option('--no-serve', 'stop after detection instead of serving the API')
    .action(async (opts: { sellers: number; rings: number; seed: number; port: number; serve: boolean }) => {
      const marketDir = join(DEMO_DIR, `market-${opts.sellers}-${opts.rings}-${opts.seed}`);
      const truthFile = join(marketDir, 'truth.json');
      if (!existsSync(truthFile)) {
        say(`generating a marketplace of ${opts.sellers} stores with ${opts.rings} planted rings in ${marketDir}`);
        await generateMarket({ outDir: marketDir, sellers: opts.sellers, rings: opts.rings, seed: opts.seed, truthFile });
      }
      await withDb('cli:demo', async ({ neo4j, db, config }) => {
        say(`Neo4j is ready (${neo4j.source}) at ${neo4j.connection.uri}`);
        say('loading the marketplace (idempotent: a second demo run changes nothing)…');
        const ingest = await ingestDirectory(db, marketDir, { rejectsFile: join(marketDir, 'rejects.ndjson') });
        const records = Object.values(ingest.files).reduce((n, f) => n + f.loaded, 0);
        say(`loaded ${records} records in ${ingest.seconds} s`);
        say('detecting rings…');
        // Full, so that a second demo run (nothing changed) still shows and evaluates every ring.
        const summary = await runDetection(new Neo4jDetectionStore(db), { communities: { seed: opts.seed }, full: true });
        printDetection(summary, topRings(summary, 10));
        const found = summary.rings.map((r) => ({ ringId: r.ringId, sellerIds: r.sellerIds, flagged: r.score.flagged }));
        say('against the planted truth:');
        printEvaluation(evaluateDetection(found, readTruth(truthFile)));
        await showLiveLoop(db, { marketDir, summary, seed: opts.seed });
        if (neo4j.browserUrl) {
          say(`\nNeo4j Browser: ${neo4j.browserUrl}  (user neo4j, password ${neo4j.connection.password})`);
          say('  try: MATCH p=(r:Ring {flagged: true})<-[:MEMBER_OF]-(:Seller)-[:PAYS_INTO|SENDS_FROM_PHONE|USES_ADDRESS]->() RETURN p LIMIT 200');
        }
        if (!opts.serve) return;

        const api = loadApiConfig();
        api.port = opts.port;
        const key = await createApiKey(db, { role: 'analyst', name: `demo ${new Date().toISOString()}` }, () => new Date());
        const top = topRings(summary, 1)[0];
        // The viewer opens the ring its list ranks first now, after the live loop above changed rings.
        const [listed] = await db.read('http/rings-list', { flagged: null, minRisk: null, status: null, brandKey: null, afterRisk: null, afterRingId: null, limit: int(1) }, { app: 'cli:demo' });
        const viewerRing = listed ? String(listed.ringId) : top?.ringId;
        await runServer({
          db,
          config: api,
          logger: createLogger({ level: config.logLevel ?? 'warn' }),
          signingKey: loadOrCreateSigningKey(api.dataDir),
          onListening: ({ port }) => {
            const base = `http://127.0.0.1:${port}`;
            say(`\nringwatch API on ${base} (docs ${base}/docs); an analyst key for you (shown once):`);
            say(`  export RINGWATCH_TOKEN=${key.token}`);
            say(`  curl -s -H "Authorization: Bearer $RINGWATCH_TOKEN" '${base}/v1/rings?flagged=true&limit=5'`);
            if (top) say(`  curl -s -H "Authorization: Bearer $RINGWATCH_TOKEN" ${base}/v1/rings/${top.ringId}`);
            say(`  curl -s ${base}/v1/transparency`);
            // The key rides in the fragment, which the browser never sends; the page takes it out at once.
            if (viewerRing) say(`the ring viewer, on the riskiest ring (open it in a browser on this machine):\n  ${base}/viewer/#/rings/${viewerRing}&key=${key.token}`);
            say(`the Neo4j Browser guide: :play http://localhost:${port}/guide  (in Neo4j Browser)`);
            say(`Ctrl-C stops the API; Neo4j keeps running until: node bin/ringwatch.js neo4j stop --home ${DEMO_NEO4J_HOME}`);
          },
        });
      }, { managedHome: DEMO_NEO4J_HOME });
    });
}
