import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { generateMarket } from '../../../src/ingest/generate.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { clearGraph, freshDb, graphFingerprint } from '../../support/db.ts';
import { tempDir } from './fixtures.ts';

const CLI = fileURLToPath(new URL('../../../bin/ringwatch.js', import.meta.url));

describe('an interrupted load', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await freshDb();
    dir = tempDir();
    await generateMarket({ outDir: dir, sellers: 800, rings: 10, seed: 3 });
  });
  afterAll(async () => {
    await db.close();
  });

  it('killed mid-way and run again leaves the same graph as one uninterrupted load', async () => {
    const summary = await ingestDirectory(db, dir, { batchSize: 500, rejectsFile: join(dir, 'rejects-a.ndjson') });
    expect(Object.values(summary.files).every((f) => f.rejected === 0)).toBe(true);
    const uninterrupted = await graphFingerprint(db);
    await clearGraph(db);

    const { uri, user, password } = inject('neo4j');
    const env = { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password };
    const child = spawn(process.execPath, [CLI, 'ingest', dir, '--batch-size', '50', '--json'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill it hard once some but not all of the listings are in.
    for (let i = 0; i < 600; i++) {
      const { records } = await db.driver.executeQuery('MATCH (l:Listing) RETURN count(l) AS n');
      if (Number(records[0]!.get('n')) > 500) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await exited;
    const partial = await graphFingerprint(db);
    expect(partial.nodes).toBeGreaterThan(0);
    expect(partial.digest).not.toBe(uninterrupted.digest);

    await ingestDirectory(db, dir, { batchSize: 500, rejectsFile: join(dir, 'rejects-b.ndjson') });
    const resumed = await graphFingerprint(db);
    expect(resumed.nodes).toBe(uninterrupted.nodes);
    expect(resumed.relationships).toBe(uninterrupted.relationships);
    expect(resumed.digest).toBe(uninterrupted.digest);
  }, 300_000);
});
