import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { freshDb } from '../../support/db.ts';
import { startServe } from '../../support/serveProcess.ts';
import { loadMarket } from './loadMarket.ts';

describe('ringwatch serve', () => {
  let db: Db;
  let dataDir: string;
  let ringA: string;
  beforeAll(async () => {
    db = await freshDb();
    ringA = (await loadMarket(db)).rings.A;
    dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-serve-'));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves on a loopback port, finishes requests in flight on SIGTERM, closes and exits 0', async () => {
    const { uri, user, password } = inject('neo4j');
    const { base, child, stderr, exited } = await startServe({
      ...process.env,
      NEO4J_URI: uri,
      NEO4J_USER: user,
      NEO4J_PASSWORD: password,
      RINGWATCH_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    try {
      const health = await fetch(`${base}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const missing = await fetch(`${base}/v1/rings/${ringA}`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');

      const inFlight = fetch(`${base}/v1/transparency`, { headers: { connection: 'close' } });
      await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await exited).toBe(0);
      expect(stderr()).toContain('stopping: finishing requests in flight');
      expect(stderr()).not.toContain(password);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
