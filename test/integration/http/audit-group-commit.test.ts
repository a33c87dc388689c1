import { createPublicKey } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/auditLog.ts';
import { takeCheckpoint } from '../../../src/audit/checkpoints.ts';
import { AuditGroupCommit } from '../../../src/audit/groupCommit.ts';
import type { Db, TxMeta } from '../../../src/graph/db.ts';
import { createApp, type App } from '../../../src/http/app.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';

/**
 * Reads' audit events are group-committed (src/audit/groupCommit.ts): many requests' events in
 * one write transaction, each read answered only once its event is committed.
 */
describe('audit group commit', () => {
  let h: Harness;
  let RING_C: string;
  /** Write transactions of audit batches the app below ran, and whether the next ones fail. */
  const batches = { count: 0, largest: 0, failing: false };
  let app: App;

  beforeAll(async () => {
    h = await startHarness();
    RING_C = h.market.rings.C;
    // The harness's Db, with its audit batches counted and, when asked, failing: a batch's
    // transaction after its statements ran (as a commit that fails would: the whole batch must
    // roll back), a batch's single auto-commit statement before it runs.
    const db = new Proxy(h.db, {
      get(target, property) {
        if (property === 'autoCommit') {
          return async (name: string, params?: Record<string, unknown>, meta?: TxMeta) => {
            if (meta?.app !== 'audit:batch') return target.autoCommit(name, params, meta);
            batches.count += 1;
            batches.largest = Math.max(batches.largest, Number(meta.events));
            if (batches.failing) throw new Error('the statement failed');
            return target.autoCommit(name, params, meta);
          };
        }
        if (property === 'writeTx') {
          return async (work: Parameters<Db['writeTx']>[0], meta?: TxMeta) => {
            if (meta?.app !== 'audit:batch') return target.writeTx(work, meta);
            batches.count += 1;
            batches.largest = Math.max(batches.largest, Number(meta.events));
            return target.writeTx(async (tx) => {
              const written = await work(tx);
              if (batches.failing) throw new Error('the commit failed');
              return written;
            }, meta);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    app = createApp({ db, config: h.config, clock: h.clock.fn, logger: pino({ level: 'silent' }), signingKey: h.signingKey });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    batches.failing = false;
    await cypher('MATCH (n) WHERE n:AuditEvent OR n:AuditHead OR n:AuditCheckpoint DETACH DELETE n');
  });

  const cypher = async (statement: string, params: Record<string, unknown> = {}) => {
    const session = h.db.driver.session();
    try {
      return (await session.run(statement, params)).records.map((record) => record.toObject());
    } finally {
      await session.close();
    }
  };
  const seqs = async () => (await cypher('MATCH (e:AuditEvent) RETURN e.seq AS seq ORDER BY seq')).map((row) => Number(row.seq));
  const trustedKey = () => createPublicKey(h.signingKey.privateKey);
  const checkpointNow = () => {
    h.clock.advance(1500);
    return takeCheckpoint({ db: h.db, signingKey: h.signingKey, clock: h.clock.fn, dataDir: h.config.dataDir });
  };

  it('200 concurrent dossier reads, with closures between them: 200 read events, seq 1..N without gaps or twins, in fewer transactions; the chain verifies and checkpoints extend', async () => {
    const token = await h.key('analyst');
    const before = await checkpointNow(); // the key's creation, event 1
    expect(before?.seq).toBe(1);
    batches.count = 0;
    const reads = Array.from({ length: 200 }, () => call(app, 'GET', `/v1/rings/${RING_C}`, { token }));
    // Actions keep their event in their own transaction, ordered with the batches by the head lock.
    const closures = Array.from({ length: 10 }, (_, i) =>
      call(app, 'POST', `/v1/rings/${RING_C}/closures`, { token, headers: { 'idempotency-key': `dry-${i}` }, body: { dryRun: true, reason: 'group commit test' } }),
    );
    const answered = await Promise.all([...reads, ...closures]);
    expect(answered.slice(0, 200).map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(answered.slice(200).map((r) => r.status)).toEqual(Array(10).fill(200));

    const [reads200] = await cypher(`MATCH (e:AuditEvent {action: 'ring.dossier.read'}) RETURN count(e) AS n, count(DISTINCT e.requestId) AS requests`);
    expect(Number(reads200?.n)).toBe(200);
    expect(Number(reads200?.requests)).toBe(200);
    const chain = await seqs();
    expect(chain).toEqual(Array.from({ length: 211 }, (_, i) => i + 1));
    // Grouped: the 200 reads took far fewer write transactions than events.
    expect(batches.count).toBeLessThan(200);
    expect(batches.largest).toBeGreaterThan(1);

    const after = await checkpointNow();
    expect(after?.seq).toBe(211);
    expect(await verifyAuditChain(h.db, { trustedKey: trustedKey() })).toMatchObject({ ok: true, events: 211, headSeq: 211, checkpointsChecked: 2, extendsCheckpoint: { seq: 211 } });
  }, 120_000);

  it('a failed batch answers every one of its reads 503 problem+json and writes none of their events', async () => {
    const token = await h.key('analyst');
    expect((await call(app, 'GET', `/v1/rings/${RING_C}`, { token })).status).toBe(200);
    batches.failing = true;
    const refused = await Promise.all(Array.from({ length: 20 }, () => call(app, 'GET', `/v1/rings/${RING_C}`, { token })));
    expect(refused.map((r) => r.status)).toEqual(Array(20).fill(503));
    const problem = await problemOf(refused[0] as Response);
    expect(problem).toMatchObject({ type: 'urn:ringwatch:problem:service-unavailable', detail: expect.stringContaining('not audited') });
    expect(refused[0]?.headers.get('retry-after')).toBe('5');
    expect(await seqs()).toEqual([1, 2]);
    const [head] = await cypher(`MATCH (h:AuditHead) RETURN h.seq AS seq`);
    expect(Number(head?.seq)).toBe(2);

    batches.failing = false;
    expect((await call(app, 'GET', `/v1/rings/${RING_C}`, { token })).status).toBe(200);
    expect(await seqs()).toEqual([1, 2, 3]);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('close() commits what is queued, then refuses new events', async () => {
    const commit = new AuditGroupCommit(h.db, { maxBatch: 16 });
    const entry = (i: number) => ({ keyId: 'test', role: 'analyst', action: 'ring.dossier.read', target: RING_C, requestId: `drain-${i}` });
    const queued = Array.from({ length: 50 }, (_, i) => commit.record(entry(i), h.clock.fn()));
    await commit.close();
    const events = await Promise.all(queued);
    // Each event one place in the chain. Not necessarily in the order queued: when a later batch's
    // statement reaches Neo4j before the one it was chained after, both are chained again from
    // the head as it then is (src/audit/groupCommit.ts), so a batch can land after later ones.
    expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const [i, event] of events.entries()) expect(event.requestId).toBe(`drain-${i}`);
    await expect(commit.record(entry(50), h.clock.fn())).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(await seqs()).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });
});
