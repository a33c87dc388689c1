import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/graph/db.ts';
import { startLocalNeo4j, stopLocalNeo4j, type LocalNeo4jInfo } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { createApiKey } from '../../src/keys/apiKeys.ts';
import { startServe, type ServeProcess } from '../support/serveProcess.ts';

/** What the contract allows for an answer while Neo4j is away. */
const ANSWER_WITHIN_MS = 5_000;
/** A request that has not answered by then counts as never answering (and keeps each test bounded). */
const GIVE_UP_MS = 15_000;

interface Timed {
  status: number;
  contentType: string | null;
  body: string;
  ms: number;
}

/** One request, timed; a request that never answers fails after GIVE_UP_MS instead of hanging the test. */
async function timed(url: string, token?: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(GIVE_UP_MS) });
  const body = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body, ms: Math.round(performance.now() - started) };
}

/** Polls until `url` answers 200 (bounded); returns how long that took. */
async function until200(url: string, token: string, withinMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < withinMs) {
    try {
      const answer = await timed(url, token);
      if (answer.status === 200) return Math.round(performance.now() - started);
      last = `${answer.status} ${answer.body.slice(0, 200)}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${withinMs} ms; last: ${last}`);
}

function expect503Problem(answer: Timed): void {
  expect(answer.status, answer.body).toBe(503);
  expect(answer.contentType).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toMatchObject({ status: 503 });
  expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
}

/**
 * A disposable managed Neo4j of its own (the run's shared one stays up for the other suites) and
 * the real `ringwatch serve` on it, as an operator runs them: Neo4j is stopped, frozen, started
 * again with `neo4j start` on the same home, and `serve` is stopped with a request in flight.
 */
describe('when Neo4j goes away', () => {
  const home = mkdtempSync(join(tmpdir(), 'ringwatch-outage-neo4j-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-outage-data-'));
  let neo4j: LocalNeo4jInfo;
  let serve: ServeProcess;
  let base: string;
  let token: string;
  const figures: Record<string, number | string> = {};
  /** Each test begins with Neo4j up (a no-op when it runs), so that one can run alone with -t. */
  const neo4jUp = async () => {
    neo4j = await startLocalNeo4j({ home, heap: '512m', pageCache: '128m' });
  };

  beforeAll(async () => {
    await neo4jUp();
    const db = new Db({ uri: neo4j.uri, user: neo4j.user, password: neo4j.password });
    try {
      await migrate(db);
      token = (await createApiKey(db, { role: 'analyst', name: 'outage test' }, () => new Date())).token;
    } finally {
      await db.close();
    }
    // The managed Neo4j of `home`, found the way `serve` finds it without NEO4J_URI.
    const env: NodeJS.ProcessEnv = { ...process.env, RINGWATCH_HOME: home, RINGWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    for (const name of ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD', 'NEO4J_DATABASE']) delete env[name];
    serve = await startServe(env);
    base = serve.base;
    expect((await timed(`${base}/v1/rings`, token)).status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    try {
      process.kill(neo4j.pid, 'SIGCONT');
    } catch {
      // not running
    }
    serve?.child.kill('SIGKILL');
    await stopLocalNeo4j(home);
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`outage figures: ${JSON.stringify(figures)}\n`);
  }, 120_000);

  it('answers 503 problem+json within 5 s while Neo4j is stopped (data routes and /readyz)', async () => {
    expect(await stopLocalNeo4j(home)).toMatchObject({ stopped: true });
    const [rings, dossier, ready] = await Promise.all([
      timed(`${base}/v1/rings`, token),
      timed(`${base}/v1/rings/R-AAAAAAAA`, token),
      timed(`${base}/readyz`),
    ]);
    figures.stoppedMs = Math.max(rings.ms, dossier.ms);
    for (const answer of [rings, dossier, ready]) expect503Problem(answer);
    // Still so once the first failures are behind it (nothing waits on a retry cycle).
    const again = await timed(`${base}/v1/rings`, token);
    expect503Problem(again);
  }, 60_000);

  it('`neo4j start` on the same home reuses its ports, and the running serve answers 200 again by itself', async () => {
    await stopLocalNeo4j(home);
    const started = spawnSync('node', ['bin/ringwatch.js', 'neo4j', 'start', '--home', home, '--heap', '512m', '--page-cache', '128m', '--json'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(started.status, started.stderr).toBe(0);
    const info = JSON.parse(started.stdout) as { uri: string; pid: number };
    expect(info.uri).toBe(neo4j.uri);
    neo4j = { ...neo4j, pid: info.pid, uri: info.uri };
    const recovered = await until200(`${base}/v1/rings`, token, 20_000);
    figures.recoverAfterStartMs = recovered;
    expect(recovered).toBeLessThan(10_000);
  }, 240_000);

  it('answers 503 problem+json within 5 s while Neo4j is frozen (SIGSTOP), and 200 again after SIGCONT', async () => {
    await neo4jUp();
    process.kill(neo4j.pid, 'SIGSTOP');
    let answers: Timed[];
    try {
      answers = await Promise.all([timed(`${base}/v1/rings`, token), timed(`${base}/v1/rings/R-AAAAAAAA`, token), timed(`${base}/v1/rings?limit=1`, token)]);
      // A second round meets connections the first round left hanging on the frozen server.
      answers.push(await timed(`${base}/v1/rings`, token));
    } finally {
      process.kill(neo4j.pid, 'SIGCONT');
    }
    figures.frozenMs = Math.max(...answers.map((a) => a.ms));
    for (const answer of answers) expect503Problem(answer);
    figures.recoverAfterThawMs = await until200(`${base}/v1/rings`, token, 20_000);
  }, 90_000);

  it('on SIGTERM stops accepting, gives the request in flight its real answer, closes the driver and exits 0', async () => {
    // A slow request: Neo4j is frozen for 1.5 s while it waits on it, and serve gets SIGTERM meanwhile.
    await neo4jUp();
    await until200(`${base}/v1/rings`, token, 20_000);
    process.kill(neo4j.pid, 'SIGSTOP');
    let inFlight: Promise<Timed>;
    try {
      inFlight = timed(`${base}/v1/rings`, token);
      await sleep(300);
      serve.child.kill('SIGTERM');
      await sleep(300);
      // No new connections once stopping.
      await expect(fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
      await sleep(900);
    } finally {
      process.kill(neo4j.pid, 'SIGCONT');
    }
    const answer = await inFlight;
    figures.inFlightOnSigterm = `${answer.status} after ${answer.ms} ms`;
    expect(answer.status, answer.body).toBe(200);
    const code = await Promise.race([serve.exited, sleep(20_000).then(() => 'still running')]);
    expect(code, serve.stderr()).toBe(0);
    expect(serve.stderr()).toContain('stopping: finishing requests in flight');
    expect(serve.stderr()).not.toMatch(/Pool is closed/);
  }, 90_000);
});
