import { join } from 'node:path';
import { runDetection } from '../../../src/analysis/runDetection.ts';
import type { Db } from '../../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { DETECTION_TIMES, marketDirs } from './market.ts';

/** Ring ids as detection issued them (random), found by a member; and the three runs, oldest first. */
export interface LoadedMarket {
  rings: { A: string; B: string; C: string; D: string };
  runIds: string[];
}

/**
 * Loads the market's three monthly parts into an empty graph as `ringwatch ingest` and
 * `ringwatch detect` do (src/cli/ingest.ts, src/cli/detect.ts, default options), each detection
 * on its month's clock, and finds each ring by a member.
 */
export async function loadMarket(db: Db): Promise<LoadedMarket> {
  const runIds: string[] = [];
  const dirs = marketDirs();
  for (const [i, dir] of dirs.entries()) {
    const ingest = await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
    const rejected = Object.entries(ingest.files).filter(([, file]) => file.rejected > 0);
    if (rejected.length > 0) throw new Error(`the test market has rejected records (${rejected.map(([kind]) => kind).join(', ')}): see ${ingest.rejectsFile}`);
    const at = new Date(DETECTION_TIMES[i]!);
    const summary = await runDetection(new Neo4jDetectionStore(db), { clock: () => at });
    runIds.push(summary.run.runId);
  }
  return { rings: { A: await ringOf(db, 'S-A1'), B: await ringOf(db, 'S-B1'), C: await ringOf(db, 'S-C1'), D: await ringOf(db, 'S-D1') }, runIds };
}

/** The active ring a seller is a member of, as detection wrote it. */
export async function ringOf(db: Db, sellerId: string): Promise<string> {
  const session = db.driver.session({ database: db.database });
  try {
    const result = await session.run('MATCH (:Seller {sellerId: $sellerId})-[:MEMBER_OF]->(r:Ring {active: true}) RETURN r.ringId AS ringId', { sellerId });
    const ids = result.records.map((r) => String(r.get('ringId')));
    if (ids.length !== 1) throw new Error(`${sellerId} is in ${ids.length} active rings, expected 1`);
    return ids[0]!;
  } finally {
    await session.close();
  }
}
