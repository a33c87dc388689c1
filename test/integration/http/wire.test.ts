import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { createApiKey } from '../../../src/keys/apiKeys.ts';
import { freshDb } from '../../support/db.ts';
import { logLines, startServe, type ServeProcess } from '../../support/serveProcess.ts';
import { graphCounts } from './graphCounts.ts';
import { loadMarket } from './loadMarket.ts';

const REQUEST_TIMEOUT_MS = 2_000;
const BODY_LIMIT_BYTES = 4_096;

/** Sends raw bytes on a fresh connection and collects what comes back until the server closes it (bounded). */
async function raw(base: string, write: (socket: Socket) => Promise<void> | void, withinMs = 10_000): Promise<{ text: string; closedMs: number }> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await write(socket);
  const timer = setTimeout(() => socket.destroy(), withinMs);
  await closed;
  clearTimeout(timer);
  return { text, closedMs: Math.round(performance.now() - started) };
}

function problemIn(response: string): { status: number; type: string } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  expect(head).toMatch(/content-type: application\/problem\+json/i);
  return JSON.parse(body) as { status: number; type: string };
}

/** What Node's HTTP parser refuses and what a client abandons, through the real `ringwatch serve`. */
describe('the wire: oversized headers, slow and abandoned bodies', () => {
  let db: Db;
  let dataDir: string;
  let serve: ServeProcess;
  let token: string;
  let RING_A: string;

  beforeAll(async () => {
    db = await freshDb();
    RING_A = (await loadMarket(db)).rings.A;
    token = (await createApiKey(db, { role: 'analyst', name: 'wire test' }, () => new Date())).token;
    dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-wire-'));
    const { uri, user, password } = inject('neo4j');
    serve = await startServe({
      ...process.env,
      NEO4J_URI: uri,
      NEO4J_USER: user,
      NEO4J_PASSWORD: password,
      RINGWATCH_DATA_DIR: dataDir,
      RINGWATCH_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      RINGWATCH_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    serve?.child.kill('SIGKILL');
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers headers over 16 KiB with a 431 problem+json', async () => {
    const { text } = await raw(serve.base, (s) => {
      s.write(`GET /v1/rings HTTP/1.1\r\nhost: x\r\nx-padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    });
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemIn(text)).toMatchObject({ status: 431, type: 'urn:ringwatch:problem:headers-too-large' });
  });

  it('times out an authenticated body that never ends with 408 problem+json, and closes nothing', async () => {
    const before = await graphCounts(db);
    const { text, closedMs } = await raw(serve.base, async (s) => {
      s.write(
        `POST /v1/rings/${RING_A}/closures HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nidempotency-key: slow-body-1\r\n` +
          `content-type: application/json\r\ncontent-length: 200\r\n\r\n{"dryRun": false, `,
      );
      // One byte a second: never the whole body.
      for (let i = 0; i < 3 && !s.destroyed; i++) {
        await sleep(1_000);
        s.write(' ');
      }
    }, 15_000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(problemIn(text)).toMatchObject({ status: 408, type: 'urn:ringwatch:problem:request-timeout' });
    expect(closedMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    expect((await graphCounts(db)).closedSellers).toBe(before.closedSellers);
  });

  it('logs a chunked body the client abandons as the client\'s fault, not as an error of its own', async () => {
    const before = await graphCounts(db);
    await raw(serve.base, async (s) => {
      s.write(
        `POST /v1/rings/${RING_A}/closures HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nidempotency-key: aborted-1\r\n` +
          `content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"dry\r\n`,
      );
      await sleep(300);
      s.destroy();
    });
    await sleep(1_000);
    const lines = logLines(serve.stderr());
    expect(lines.filter((l) => Number(l.level) >= 50), serve.stderr()).toEqual([]);
    expect(lines.some((l) => l.msg === 'request' && l.route === '/v1/rings/:ringId/closures' && l.status === 400)).toBe(true);
    expect((await graphCounts(db)).closedSellers).toBe(before.closedSellers);
  });

  // Under serve, bodies are read from Node's request stream (src/http/middleware/bodyLimit.ts),
  // not through Hono's portable limiter that app.request() tests exercise.
  it('reads a chunked body and one with a byte-order mark, from Node\'s stream', async () => {
    const body = JSON.stringify({ country: 'CN', phones: ['+86 138 0000 0000'] });
    const half = Math.floor(body.length / 2);
    const { text } = await raw(serve.base, (s) => {
      s.write(
        `POST /v1/screenings HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n` +
          `content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n` +
          `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\n\r\n`,
      );
    });
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(JSON.parse(text.split('\r\n\r\n')[1] as string)).toMatchObject({ decision: 'allow', matches: [] });
    const bom = await fetch(`${serve.base}/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: `\uFEFF${body}` });
    expect(bom.status).toBe(200);
  });

  it('refuses a body over the limit with 413 problem+json, declared or chunked', async () => {
    const big = JSON.stringify({ paymentAccounts: ['A'.repeat(BODY_LIMIT_BYTES)] });
    const declared = await fetch(`${serve.base}/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { type: string }).type).toBe('urn:ringwatch:problem:payload-too-large');
    const { text } = await raw(serve.base, (s) => {
      s.write(
        `POST /v1/screenings HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n` +
          `content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
      );
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(problemIn(text)).toMatchObject({ status: 413, type: 'urn:ringwatch:problem:payload-too-large' });
  });

  it('still serves afterwards', async () => {
    const response = await fetch(`${serve.base}/v1/rings`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });
});
