import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateDetection } from '../analysis/evaluate.ts';
import { runDetection } from '../analysis/runDetection.ts';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { generateMarket } from '../ingest/generate.ts';
import { ingestDirectory } from '../ingest/load.ts';
import { say, withDb } from './context.ts';
import { printDetection, topRings } from './detect.ts';
import { printEvaluation, readTruth } from './eval.ts';
import { positiveInt } from './ingest.ts';

const DEMO_DIR = fileURLToPath(new URL('../../.cache/demo/', import.meta.url));

/**
 * `ringwatch demo`: the main job on a fresh machine. Starts the managed Neo4j (fetching it the
 * first time), generates a marketplace with planted rings, loads it, detects and scores rings,
 * and shows the riskiest ones and where to look at them.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description("generate a marketplace, load it into Neo4j, detect rings and show them (the README's first command)")
    .option('--sellers <n>', 'stores in the generated marketplace', positiveInt(1_000_000), 10_000)
    .option('--rings <n>', 'planted rings', positiveInt(100_000), 100)
    .option('--seed <n>', 'generator and Louvain seed', positiveInt(2 ** 31 - 1), 1)
    .action(async (opts: { sellers: number; rings: number; seed: number }) => {
      const marketDir = join(DEMO_DIR, `market-${opts.sellers}-${opts.rings}-${opts.seed}`);
      const truthFile = join(marketDir, 'truth.json');
      if (!existsSync(truthFile)) {
        say(`generating a marketplace of ${opts.sellers} stores with ${opts.rings} planted rings in ${marketDir}`);
        await generateMarket({ outDir: marketDir, sellers: opts.sellers, rings: opts.rings, seed: opts.seed, truthFile });
      }
      await withDb('cli:demo', async ({ neo4j, db }) => {
        say(`Neo4j is ready (${neo4j.source}) at ${neo4j.connection.uri}`);
        say('loading the marketplace (idempotent: a second demo run changes nothing)…');
        const ingest = await ingestDirectory(db, marketDir, { rejectsFile: join(marketDir, 'rejects.ndjson') });
        const records = Object.values(ingest.files).reduce((n, f) => n + f.loaded, 0);
        say(`loaded ${records} records in ${ingest.seconds} s`);
        say('detecting rings…');
        const summary = await runDetection(new Neo4jDetectionStore(db), { communities: { seed: opts.seed } });
        printDetection(summary, topRings(summary, 10));
        const found = summary.rings.map((r) => ({ ringId: r.ringId, sellerIds: r.sellerIds, flagged: r.score.flagged }));
        say('against the planted truth:');
        printEvaluation(evaluateDetection(found, readTruth(truthFile)));
        if (neo4j.browserUrl) {
          say(`\nOpen Neo4j Browser: ${neo4j.browserUrl}  (user neo4j, password ${neo4j.connection.password})`);
          say("  try: MATCH (s:Seller)-[:MEMBER_OF]->(r:Ring {flagged: true}) WITH r LIMIT 1 MATCH p=(r)<-[:MEMBER_OF]-(:Seller)-[]->() RETURN p");
        }
      });
    });
}
