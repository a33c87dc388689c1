import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/auditLog.ts';
import { LOCAL_CHECKPOINT_FILE, signCheckpoint, takeCheckpoint, type AuditCheckpoint } from '../../../src/audit/checkpoints.ts';
import type { SigningKey } from '../../../src/evidence/signing.ts';
import { publicKeyFingerprint } from '../../../src/evidence/signing.ts';
import { ringwatch as ringwatchCli } from '../../support/cli.ts';
import { call, startHarness, type Harness } from './harness.ts';
import { UNKNOWN_RING } from './market.ts';

/**
 * The audit chain against someone who can write to the database: cut its tail and rewind the head,
 * empty it, recompute it after an edit, add a property, write a twin. Signed checkpoints, kept
 * outside the database too, are what catch the first three.
 */
describe('audit chain with signed checkpoints', () => {
  let h: Harness;
  let trusted: { key: ReturnType<typeof createPublicKey> };
  let RING_C: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_C = h.market.rings.C;
    trusted = { key: createPublicKey(h.signingKey.privateKey) };
  });
  afterAll(async () => {
    await h.close();
  });

  const cypher = async (statement: string, params: Record<string, unknown> = {}) => {
    const session = h.db.driver.session();
    try {
      return (await session.run(statement, params)).records;
    } finally {
      await session.close();
    }
  };
  const ringwatch = (args: string[]) => ringwatchCli(args, { RINGWATCH_DATA_DIR: h.config.dataDir });
  const checkpointNow = () => {
    h.clock.advance(1500);
    return takeCheckpoint({ db: h.db, signingKey: h.signingKey, clock: h.clock.fn, dataDir: h.config.dataDir });
  };
  /** 1 key creation + `reads` dossier reads, then a checkpoint of that head. */
  const chainOf = async (reads: number): Promise<AuditCheckpoint> => {
    const token = await h.key('analyst');
    for (let i = 0; i < reads; i++) expect((await call(h.app, 'GET', `/v1/rings/${RING_C}`, { token })).status).toBe(200);
    return (await checkpointNow()) as AuditCheckpoint;
  };
  const verify = (checkpoints: AuditCheckpoint[] = []) =>
    verifyAuditChain(h.db, { trustedKey: trusted.key, checkpoints: checkpoints.map((checkpoint) => ({ checkpoint, source: 'a test file' })) });

  beforeEach(async () => {
    // Each test builds and attacks a chain of its own over the same market: no audit event, head,
    // checkpoint or API key is left from the test before (the head is made again by the first append).
    await cypher('MATCH (n) WHERE n:AuditEvent OR n:AuditHead OR n:AuditCheckpoint OR n:ApiKey DETACH DELETE n');
    writeFileSync(join(h.config.dataDir, LOCAL_CHECKPOINT_FILE), '{}'); // no local checkpoint left from the test before
  });

  it('takes a checkpoint only when the chain moved, at most once a second, and keeps it in the data folder', async () => {
    const first = await chainOf(3);
    expect(first).toMatchObject({ format: 'ringwatch-audit-checkpoint/1', seq: 4, keyFingerprint: h.signingKey.fingerprint });
    await call(h.app, 'GET', `/v1/rings/${RING_C}`, { token: await h.key('analyst') });
    const soon = await takeCheckpoint({ db: h.db, signingKey: h.signingKey, clock: h.clock.fn, dataDir: h.config.dataDir });
    expect(soon).toEqual(first); // moved, but within a second of the last
    const next = await checkpointNow();
    expect(next?.seq).toBe(6);
    expect(await checkpointNow()).toEqual(next); // a second later, but nothing moved
    expect(JSON.parse(readFileSync(join(h.config.dataDir, LOCAL_CHECKPOINT_FILE), 'utf8'))).toEqual(next);
    expect(await verify()).toMatchObject({ ok: true, events: 6, checkpointsChecked: 2, extendsCheckpoint: { seq: 6 } });
  });

  it('catches a tail cut with the head rewound to match', async () => {
    await chainOf(9); // events 1..10, checkpointed at 10
    await cypher(`MATCH (e:AuditEvent) WHERE e.seq > 7 DETACH DELETE e`);
    await cypher(`MATCH (h:AuditHead), (e:AuditEvent {seq: 7}) SET h.seq = 7, h.hash = e.hash`);
    // The stored checkpoint still names event 10.
    expect(await verify()).toMatchObject({ ok: false, firstBreak: { seq: 10, reason: expect.stringContaining('cut or emptied') } });
    // Delete the stored checkpoints too: the one held outside the database still catches it.
    await cypher('MATCH (c:AuditCheckpoint) DELETE c');
    const held = JSON.parse(readFileSync(join(h.config.dataDir, LOCAL_CHECKPOINT_FILE), 'utf8')) as AuditCheckpoint;
    expect(await verify([held])).toMatchObject({ ok: false, firstBreak: { seq: 10 } });
    // And through the CLI, which reads the data folder's copy by itself.
    const cli = await ringwatch(['audit', 'verify', '--json']);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBreak: { seq: 10 }, trustedKey: { fingerprint: h.signingKey.fingerprint } });
  }, 120_000);

  it('catches an emptied log (events, head and stored checkpoints all deleted)', async () => {
    const held = await chainOf(4);
    await cypher('MATCH (n) WHERE n:AuditEvent OR n:AuditHead OR n:AuditCheckpoint DETACH DELETE n');
    expect(await verify([held])).toMatchObject({ ok: false, events: 0, firstBreak: { seq: 5, reason: expect.stringContaining('gone') } });
    const file = join(h.config.dataDir, 'held-checkpoint.json');
    writeFileSync(file, JSON.stringify(held));
    const cli = await ringwatch(['audit', 'verify', '--checkpoint', file]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('BROKEN');
  }, 120_000);

  it('catches a chain recomputed after an edit, every hash consistent again', async () => {
    const held = await chainOf(5); // events 1..6
    // Edit event 3 and recompute every hash after it, and the head: the chain agrees with itself.
    const events = await cypher('MATCH (e:AuditEvent) RETURN properties(e) AS p ORDER BY e.seq');
    const { auditEventHash } = await import('../../../src/audit/auditLog.ts');
    let prevHash = '0'.repeat(64);
    for (const record of events) {
      const p = record.get('p') as Record<string, unknown>;
      const event = { ...p, seq: Number(p.seq), prevHash } as Parameters<typeof auditEventHash>[0];
      if (event.seq === 3) event.target = UNKNOWN_RING;
      const hash = auditEventHash(event);
      await cypher('MATCH (e:AuditEvent {seq: $seq}) SET e.target = $target, e.prevHash = $prevHash, e.hash = $hash', { seq: p.seq, target: event.target, prevHash, hash });
      prevHash = hash;
    }
    await cypher('MATCH (h:AuditHead) SET h.hash = $hash', { hash: prevHash });
    await cypher('MATCH (c:AuditCheckpoint) DELETE c');
    expect(await verify()).toMatchObject({ ok: true }); // without a checkpoint held elsewhere it looks fine
    expect(await verify([held])).toMatchObject({ ok: false, firstBreak: { seq: 6, reason: expect.stringContaining('rewritten') } });
  });

  it('refuses a checkpoint signed by another key, and one edited after signing', async () => {
    const held = await chainOf(2);
    const { privateKey } = generateKeyPairSync('ed25519');
    const forger: SigningKey = { privateKey, publicKeyPem: '', fingerprint: publicKeyFingerprint(createPublicKey(privateKey)) };
    const forged = signCheckpoint({ seq: held.seq, hash: held.hash }, new Date(held.at), forger);
    expect(await verify([forged])).toMatchObject({ ok: false, firstBreak: { reason: expect.stringContaining('not the service') } });
    const edited = { ...held, seq: held.seq - 1 };
    expect(await verify([edited])).toMatchObject({ ok: false, firstBreak: { reason: expect.stringContaining('signature does not match') } });
    expect(await verify([held])).toMatchObject({ ok: true });
  });

  it('finds a property added to an event, and reports a twin event instead of crashing', async () => {
    await chainOf(3);
    await cypher(`MATCH (e:AuditEvent {seq: 2}) SET e.note = 'harmless?'`);
    expect(await verify()).toMatchObject({ ok: false, firstBreak: { seq: 2, reason: expect.stringContaining('note') } });
    await cypher(`MATCH (e:AuditEvent {seq: 2}) REMOVE e.note`);
    expect((await verify()).ok).toBe(true);
    // A twin needs the constraint gone; every later start then finds the data breaking it.
    await cypher('DROP CONSTRAINT audit_event_seq');
    await cypher(`MATCH (e:AuditEvent {seq: 3}) CREATE (t:AuditEvent) SET t = properties(e)`);
    const cli = await ringwatch(['audit', 'verify', '--json']);
    expect(cli.code, cli.stderr).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBreak: { seq: 3, reason: expect.stringContaining('twice') } });
    await cypher(`MATCH (e:AuditEvent {seq: 3}) WITH e LIMIT 1 DELETE e`);
    await cypher('CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.seq IS UNIQUE');
  }, 120_000);

  it('audit checkpoint exports the latest; audit verify without a trusted key refuses checkpoints it cannot check', async () => {
    await chainOf(2);
    const out = join(h.config.dataDir, 'exported.json');
    const exported = await ringwatch(['audit', 'checkpoint', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const checkpoint = JSON.parse(readFileSync(out, 'utf8')) as AuditCheckpoint;
    expect(checkpoint.seq).toBeGreaterThanOrEqual(3);
    const ok = await ringwatch(['audit', 'verify', '--checkpoint', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`extending the checkpoint of event ${checkpoint.seq}`);
    const noKey = await ringwatchCli(['audit', 'verify', '--checkpoint', out], { RINGWATCH_DATA_DIR: join(h.config.dataDir, 'nowhere') });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('no trusted key');
    // The public figures carry the latest checkpoint for anyone to keep.
    const transparency = (await (await call(h.app, 'GET', '/v1/transparency')).json()) as { auditCheckpoint: AuditCheckpoint };
    expect(transparency.auditCheckpoint).toEqual(checkpoint);
  }, 120_000);
});
