import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/graph/db.ts';
import { localNeo4jStatus, startLocalNeo4j, stopLocalNeo4j, NEO4J_VERSION } from '../../src/graph/localNeo4j.ts';

// A second managed Neo4j beside the run's own: start, start again, status, stop, delete.
describe('managed local Neo4j', () => {
  const home = mkdtempSync(join(tmpdir(), 'ringwatch-lifecycle-'));
  afterAll(async () => {
    await stopLocalNeo4j(home);
    rmSync(home, { recursive: true, force: true });
  });

  it('starts, answers a second start with the running one, and stops cleanly', async () => {
    const first = await startLocalNeo4j({ home, heap: '512m', pageCache: '64m' });
    expect(first).toMatchObject({ user: 'neo4j', home, version: NEO4J_VERSION });
    expect(first.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(join(home, 'password')).mode & 0o777).toBe(0o600);

    const db = new Db({ uri: first.uri, user: first.user, password: first.password });
    try {
      const { version, edition } = await db.verify();
      expect(version).toBe(NEO4J_VERSION);
      expect(edition).toBe('community');
    } finally {
      await db.close();
    }

    const browser = await fetch(first.browserUrl);
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('Neo4j Browser');

    const second = await startLocalNeo4j({ home });
    expect(second.uri).toBe(first.uri);
    expect(second.pid).toBe(first.pid);
    expect((await localNeo4jStatus(home))?.pid).toBe(first.pid);

    expect(await stopLocalNeo4j(home)).toEqual({ stopped: true, pid: first.pid });
    expect(await localNeo4jStatus(home)).toBeUndefined();
    rmSync(home, { recursive: true, force: true });
    expect(existsSync(home)).toBe(false);
  });

  it('refuses wrong credentials with NEO4J_AUTH and an unreachable server with NEO4J_UNAVAILABLE', async () => {
    const wrong = new Db({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x' });
    await expect(wrong.verify()).rejects.toMatchObject({ code: 'NEO4J_UNAVAILABLE' });
    await wrong.close();
  });
});
