import type { Db } from '../../../src/graph/db.ts';
import { ingestAndDetect, ringOf, writeParts } from '../../support/pipeline.ts';
import { DETECTION_TIMES, MARKET_PARTS, UNKNOWN_RING } from './market.ts';

/** Ring ids as detection issued them (random), found by a member; and the three runs, oldest first. */
export interface LoadedMarket {
  rings: { A: string; B: string; C: string; D: string };
  runIds: string[];
}

let dirs: string[] | undefined;

/**
 * Loads the market's three monthly parts (market.ts) into an empty graph through the real ingest
 * and detection, each detection on its month's clock, and finds each ring by a member.
 */
export async function loadMarket(db: Db): Promise<LoadedMarket> {
  dirs ??= writeParts(MARKET_PARTS, 'ringwatch-http-market-'); // once per process: ingest only reads them
  // January's run is full (the first), February's incremental (A5 joins ring A, ring B appears),
  // March's full, as a nightly full run: every ring is seen again and typical prices are taken anew.
  const runIds = await ingestAndDetect(db, dirs.map((dir, i) => ({ dir, detectAt: DETECTION_TIMES[i]!, full: i === 2 })));
  const rings = { A: await ringOf(db, 'S-A1'), B: await ringOf(db, 'S-B1'), C: await ringOf(db, 'S-C1'), D: await ringOf(db, 'S-D1') };
  if (Object.values(rings).includes(UNKNOWN_RING)) throw new Error(`detection issued ${UNKNOWN_RING}, which the suites use as a ring that does not exist`);
  return { rings, runIds };
}
