import { HTTPException } from 'hono/http-exception';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RingwatchError } from '../../../src/errors.ts';
import type { Db } from '../../../src/graph/db.ts';
import { createApp } from '../../../src/http/app.ts';
import { API_DEFAULTS } from '../../../src/http/config.ts';
import { generateKeyPairSync } from 'node:crypto';
import { ProblemError, toProblem } from '../../../src/http/problem.ts';

describe('toProblem', () => {
  it.each([
    [new HTTPException(400, { message: 'Malformed JSON in request body' }), 400, 'malformed-request'],
    [new HTTPException(413), 413, 'payload-too-large'],
    [new HTTPException(415), 415, 'unsupported-media-type'],
    [new RingwatchError('NEO4J_UNAVAILABLE', 'down'), 503, 'service-unavailable'],
    [new RingwatchError('NEO4J_AUTH', 'refused'), 503, 'service-unavailable'],
    [new RingwatchError('NOT_FOUND', 'no such key'), 404, 'not-found'],
    [new RingwatchError('INPUT_INVALID', 'bad'), 422, 'validation-failed'],
    [new RingwatchError('CONFLICT', 'a second Closure'), 409, 'conflict'],
    [new RingwatchError('RING_NOT_FOUND', 'there is no ring R-AAAAAAAA'), 404, 'ring-not-found'],
    [new RingwatchError('IDEMPOTENCY_KEY_REUSED', 'used'), 422, 'idempotency-key-reused'],
    [new RingwatchError('ALREADY_CLOSED', 'closed'), 409, 'already-closed'],
    [new RingwatchError('RING_HAS_NO_MEMBERS', 'empty'), 409, 'ring-has-no-members'],
    [new RingwatchError('NEO4J_CLIENT', 'syntax'), 500, 'internal-error'],
    [new TypeError('x is undefined'), 500, 'internal-error'],
  ])('maps %s to %i %s', (error, status, type) => {
    expect(toProblem(error)).toMatchObject({ status, type });
  });

  it('never shows the internal message of a 500', () => {
    expect(toProblem(new Error('password=hunter2')).detail).not.toContain('hunter2');
  });

  it('passes a ProblemError through with its extra members and headers', () => {
    const problem = new ProblemError(429, 'rate-limited', 'Too many', 'wait', { a: 1 }, { 'retry-after': '3' });
    expect(toProblem(problem)).toBe(problem);
  });
});

describe('the app without its database', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const unavailable = () => Promise.reject(new RingwatchError('NEO4J_UNAVAILABLE', 'Neo4j is not reachable'));
  const db = { read: unavailable, readTx: unavailable, write: unavailable, writeTx: unavailable, verify: unavailable } as unknown as Db;
  const app = createApp({
    db,
    config: { ...API_DEFAULTS, dataDir: '/nonexistent' },
    clock: () => new Date('2025-01-01T00:00:00Z'),
    logger: pino({ level: 'silent' }),
    signingKey: { privateKey, publicKeyPem: '', fingerprint: '' },
  });

  it('answers 503 problems, not 500s, when Neo4j is down', async () => {
    for (const path of ['/v1/rings', '/v1/transparency', '/readyz']) {
      const response = await app.request(path, { headers: { authorization: `Bearer rw_aaaaaaaaaaaa_${'A'.repeat(43)}` } });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('retry-after')).toBe('5');
    }
  });

  it('still answers /healthz, /openapi.json and 404s', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/openapi.json')).status).toBe(200);
    expect((await app.request('/v2/anything')).status).toBe(404);
  });

  it('refuses without a key before touching the database', async () => {
    const response = await app.request('/v1/rings/R-AAAAAAAA');
    expect(response.status).toBe(401);
  });
});
