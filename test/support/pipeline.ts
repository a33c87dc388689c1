import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDetection } from '../../src/analysis/runDetection.ts';
import type { Db } from '../../src/graph/db.ts';
import { Neo4jDetectionStore } from '../../src/graph/detectionStore.ts';
import { ingestDirectory } from '../../src/ingest/load.ts';
import type { RecordKind } from '../../src/ingest/records.ts';

/**
 * Test markets through the real pipeline: records in the ingest format (docs/ingest.md, "Files"),
 * delivered in parts, each part loaded by `ingestDirectory` and followed by a `runDetection` on
 * its own clock, as `ringwatch ingest` and `ringwatch detect` with their defaults would.
 */

export type IngestRecord = Record<string, unknown>;
/** One delivery of marketplace files: the records of each kind it holds. */
export type MarketPart = Partial<Record<RecordKind, IngestRecord[]>>;

/** Writes each part as a directory of `<kind>.ndjson` files; returns the directories in order. */
export function writeParts(parts: readonly MarketPart[], prefix = 'ringwatch-market-'): string[] {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return parts.map((part, i) => {
    const dir = mkdtempSync(join(root, `part-${i + 1}-`));
    for (const [kind, records] of Object.entries(part)) {
      if (records && records.length > 0) writeFileSync(join(dir, `${kind}.ndjson`), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
    return dir;
  });
}

/**
 * Ingests each directory, then detects with the clock at its time (a ring's firstSeen and its
 * events carry that time): incrementally after the first, unless the part asks for a full run. Throws if ingest rejects any record: a test market must load whole.
 * Returns the run ids, oldest first.
 */
export async function ingestAndDetect(db: Db, parts: readonly { dir: string; detectAt: string; full?: boolean }[]): Promise<string[]> {
  const runIds: string[] = [];
  for (const { dir, detectAt, full } of parts) {
    const ingest = await ingestDirectory(db, dir, { rejectsFile: join(dir, 'rejects.ndjson') });
    const rejected = Object.entries(ingest.files).filter(([, file]) => file.rejected > 0);
    if (rejected.length > 0) throw new Error(`the test market has rejected records (${rejected.map(([kind]) => kind).join(', ')}): see ${ingest.rejectsFile}`);
    const at = new Date(detectAt);
    const summary = await runDetection(new Neo4jDetectionStore(db), { clock: () => at, full });
    runIds.push(summary.run.runId);
  }
  return runIds;
}

/** The active ring a seller is a member of, as detection wrote it (ring ids are random). */
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
