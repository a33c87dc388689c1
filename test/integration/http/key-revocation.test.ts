import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db, TxMeta } from '../../../src/graph/db.ts';
import { createApp } from '../../../src/http/app.ts';
import { claimedKeyId, revokeApiKey } from '../../../src/keys/apiKeys.ts';
import { REVOCATION_STALE_MS } from '../../../src/keys/keyCache.ts';
import { startServe, type ServeProcess } from '../../support/serveProcess.ts';
import { appOver, call, problemOf, type AppHarness } from './harness.ts';
import { freshDb } from '../../support/db.ts';
import { loadMarket } from './loadMarket.ts';

/**
 * Verified keys are cached in each process (src/keys/keyCache.ts): a revocation takes effect at
 * once in the process that made it, and within a second in every running `serve`.
 */
describe('key cache and revocation', () => {
  let h: AppHarness;
  let ringA: string;
  const servers: ServeProcess[] = [];
  beforeAll(async () => {
    const db = await freshDb();
    ringA = (await loadMarket(db)).rings.A;
    h = appOver(db);
  });
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await h.close();
  });

  it('answers a verified key from memory: repeated requests look the key up once', async () => {
    const lookups: string[] = [];
    const counted = new Proxy(h.db, {
      get(target, property) {
        if (property === 'read') {
          return (name: string, params?: Record<string, unknown>, meta?: TxMeta) => {
            lookups.push(name);
            return target.read(name, params, meta);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Db;
    const app = createApp({ db: counted, config: h.config, clock: h.clock.fn, logger: pino({ level: 'silent' }), signingKey: h.signingKey });
    const token = await h.key('analyst');
    for (let i = 0; i < 10; i++) expect((await call(app, 'GET', '/v1/rings', { token })).status).toBe(200);
    expect(lookups.filter((name) => name === 'auth/find-key')).toHaveLength(1);
    // A wrong secret for the same key id is never answered from the cache.
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await call(app, 'GET', '/v1/rings', { token: forged })).status).toBe(401);
    expect(lookups.filter((name) => name === 'auth/find-key')).toHaveLength(2);
  });

  it('a revocation in this process refuses the cached key at once', async () => {
    const token = await h.key('analyst');
    expect((await call(h.app, 'GET', `/v1/rings/${ringA}`, { token })).status).toBe(200);
    await revokeApiKey(h.db, claimedKeyId(token) as string, h.clock.fn);
    const refused = await call(h.app, 'GET', `/v1/rings/${ringA}`, { token });
    expect(refused.status).toBe(401);
    expect((await problemOf(refused)).type).toBe('urn:ringwatch:problem:invalid-api-key');
  });

  it('a revocation elsewhere refuses the key within a second in two running serve processes, and spares the other keys', async () => {
    const { uri, user, password } = inject('neo4j');
    const dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-revocation-'));
    try {
      const env = { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, RINGWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      servers.push(await startServe(env), await startServe(env));
      const revoked = await h.key('analyst');
      const kept = await h.key('analyst');
      const status = async (base: string, token: string) => {
        const response = await fetch(`${base}/v1/rings?limit=1`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        return response.status;
      };
      // Both servers have both keys cached and keep reading (so the watermark is read in the background).
      for (const { base } of servers) {
        expect(await status(base, revoked)).toBe(200);
        expect(await status(base, kept)).toBe(200);
      }
      await revokeApiKey(h.db, claimedKeyId(revoked) as string, h.clock.fn);
      const revokedAt = performance.now();
      const refusedAfter = await Promise.all(
        servers.map(async ({ base }) => {
          // Bounded: a server that still answers 200 after three seconds fails the test.
          while (performance.now() - revokedAt < 3_000) {
            if ((await status(base, revoked)) === 401) return performance.now() - revokedAt;
            await new Promise((r) => setTimeout(r, 20));
          }
          return Number.POSITIVE_INFINITY;
        }),
      );
      for (const ms of refusedAfter) expect(ms).toBeLessThanOrEqual(REVOCATION_STALE_MS + 100);
      for (const { base } of servers) expect(await status(base, kept)).toBe(200);
    } finally {
      for (const server of servers.splice(0)) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
