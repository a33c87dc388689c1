import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditGroupCommit } from '../../../src/audit/groupCommit.ts';
import { appendAuditEvent, lockAuditHead, verifyAuditChain, type ChainReport } from '../../../src/audit/auditLog.ts';
import { takeCheckpoint, type AuditCheckpoint } from '../../../src/audit/checkpoints.ts';
import { loadOrCreateSigningKey } from '../../../src/evidence/signing.ts';
import { cypher } from '../../../src/graph/cypher.ts';
import type { Db } from '../../../src/graph/db.ts';
import { freshDb } from '../../support/db.ts';

/**
 * The audit chain's one guarantee rests on Cypher reading the head only after it holds the head's
 * write lock (`SET h.lockedBy` before any read of `h.seq`): an append that waited for another's
 * lock must chain from where that one ended, never from what the head said when it started.
 */
describe('the audit head lock, against a real Neo4j', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(async () => {
    await db.close();
  });

  const entry = (n: number) => ({ keyId: 'k', role: 'analyst' as const, requestId: `r-${n}`, action: 'ring.dossier.read', target: `R-${n}` });

  it('makes a lock taken while another append holds the head read the head that append committed', async () => {
    await db.writeTx((tx) => appendAuditEvent(tx, entry(1), new Date()));
    // A holds the head's lock in an open transaction and moves it on, slowly.
    const holding = db.writeTx(async (tx) => {
      const head = await lockAuditHead(tx, 'holder');
      await sleep(800);
      await appendAuditEvent(tx, entry(2), new Date());
      return head.seq;
    });
    await sleep(200);
    // B asks for the lock meanwhile, in its own transaction: it waits, then must see seq 2.
    const waited = await db.writeTx((tx) => lockAuditHead(tx, 'waiter'));
    expect(await holding).toBe(1);
    expect(waited.seq).toBe(2);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 2 });
  });

  it('makes a batch chained from a stale guess write nothing, however the appends interleave', async () => {
    const group = new AuditGroupCommit(db);
    // Reads through the group commit, and actions appending in transactions of their own, at once.
    const reads = Array.from({ length: 60 }, (_, i) => group.record(entry(100 + i), new Date()));
    const actions = Array.from({ length: 20 }, (_, i) => db.writeTx((tx) => appendAuditEvent(tx, entry(300 + i), new Date())));
    await Promise.all([...reads, ...actions]);
    await group.close();
    const report = await verifyAuditChain(db);
    expect(report).toMatchObject({ ok: true, events: 2 + 60 + 20, headSeq: 82 });
    const session = db.driver.session();
    try {
      const twins = await session.run('MATCH (e:AuditEvent) WITH e.seq AS seq, count(*) AS n WHERE n > 1 RETURN count(*) AS twins');
      expect(Number(twins.records[0]?.get('twins'))).toBe(0);
    } finally {
      await session.close();
    }
    expect(cypher('audit/lock-head')).toMatch(/SET h\.lockedBy[\s\S]*RETURN h\.seq/);
  });

  it('checkpoints and verifies a chain that grows meanwhile: every checkpoint names an event as stored, every check holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ringwatch-live-chain-'));
    const signingKey = loadOrCreateSigningKey(dataDir);
    const group = new AuditGroupCommit(db);
    let running = true;
    let n = 1000;
    // Reads in batches and actions of their own, without a pause, until the checks are done.
    const reads = (async () => {
      while (running) await Promise.all(Array.from({ length: 20 }, () => group.record(entry(n++), new Date())));
    })();
    const actions = (async () => {
      while (running) await db.writeTx((tx) => appendAuditEvent(tx, entry(n++), new Date()));
    })();
    // A clock two seconds on at every call: every checkpoint taken is due.
    let tick = Date.now();
    const clock = () => new Date((tick += 2000));
    const checkpoints: AuditCheckpoint[] = [];
    const reports: ChainReport[] = [];
    try {
      const deadline = Date.now() + 6000;
      while (Date.now() < deadline) {
        const checkpoint = await takeCheckpoint({ db, signingKey, clock });
        if (checkpoint) checkpoints.push(checkpoint);
        if (checkpoints.length % 5 === 0) reports.push(await verifyAuditChain(db, { trustedKey: createPublicKey(signingKey.privateKey) }));
      }
    } finally {
      running = false;
      await Promise.all([reads, actions]);
      await group.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(new Set(checkpoints.map((c) => c.seq)).size).toBeGreaterThan(10);
    expect(reports.length).toBeGreaterThan(2);
    for (const report of reports) expect(report).toMatchObject({ ok: true });
    const session = db.driver.session();
    try {
      const stored = await session.run('UNWIND $seqs AS seq MATCH (e:AuditEvent {seq: seq}) RETURN e.seq AS seq, e.hash AS hash', { seqs: checkpoints.map((c) => c.seq) });
      const hashes = new Map(stored.records.map((r) => [Number(r.get('seq')), r.get('hash') as string]));
      for (const checkpoint of checkpoints) expect(hashes.get(checkpoint.seq), `checkpoint at ${checkpoint.seq}`).toBe(checkpoint.hash);
    } finally {
      await session.close();
    }
    const final = await verifyAuditChain(db, { trustedKey: createPublicKey(signingKey.privateKey) });
    expect(final).toMatchObject({ ok: true, events: n - 1000 + 82 });
    expect(final.checkpointsChecked).toBeGreaterThanOrEqual(new Set(checkpoints.map((c) => c.seq)).size);
  });
});
