import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiKeys, revokeApiKey } from '../../../src/keys/apiKeys.ts';
import { verifyAuditChain } from '../../../src/audit/auditLog.ts';
import { REVOCATION_STALE_MS } from '../../../src/keys/keyCache.ts';
import { ringwatch as ringwatchCli } from '../../support/cli.ts';
import { call, problemOf, startHarness, tokenSecret, type Harness } from './harness.ts';
import { UNKNOWN_RING } from './market.ts';

async function cypherRows(h: Harness, statement: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
  const session = h.db.driver.session();
  try {
    return (await session.run(statement, params)).records.map((record) => record.toObject());
  } finally {
    await session.close();
  }
}

async function cypher(h: Harness, statement: string, params: Record<string, unknown> = {}): Promise<void> {
  await cypherRows(h, statement, params);
}

describe('API keys', () => {
  let h: Harness;
  let RING_A: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_A = h.market.rings.A;
  });
  const ringwatch = (args: string[]) => ringwatchCli(args, { RINGWATCH_DATA_DIR: h.config.dataDir });
  afterAll(async () => {
    await h.close();
  });

  it('keys create prints {keyId, token, role} once; the graph holds only a hash; keys list never shows it; revoke refuses within a second', async () => {
    const created = await ringwatch(['keys', 'create', '--role', 'brand', '--brand', 'Acme', '--name', 'Acme legal', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { keyId: string; token: string; role: string };
    expect(key).toEqual({ keyId: expect.stringMatching(/^[a-z2-7]{12}$/), token: expect.stringMatching(/^rw_[a-z2-7]{12}_[\w-]{43}$/), role: 'brand' });
    expect(key.token.startsWith(`rw_${key.keyId}_`)).toBe(true);

    const session = h.db.driver.session();
    const stored = await session.run('MATCH (k:ApiKey {keyId: $keyId}) RETURN properties(k) AS p', { keyId: key.keyId });
    await session.close();
    const props = stored.records[0]?.get('p') as Record<string, unknown>;
    expect(props.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(props)).not.toContain(tokenSecret(key.token));

    expect((await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: key.token })).status).toBe(200);

    const listed = await ringwatch(['keys', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(tokenSecret(key.token));
    expect(listed.stdout).not.toContain('tokenHash');
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ keyId: key.keyId, role: 'brand', brand: 'Acme', name: 'Acme legal', revokedAt: null }));

    const revoked = await ringwatch(['keys', 'revoke', key.keyId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    // The CLI is another process: the app's cached key goes within a second (src/keys/keyCache.ts).
    const revokedAt = performance.now();
    let refused = await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: key.token });
    while (refused.status === 200 && performance.now() - revokedAt < 3_000) {
      await new Promise((r) => setTimeout(r, 20));
      refused = await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: key.token });
    }
    expect(performance.now() - revokedAt).toBeLessThan(REVOCATION_STALE_MS + 100);
    expect(refused.status).toBe(401);
    expect((await problemOf(refused)).type).toBe('urn:ringwatch:problem:invalid-api-key');
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
  }, 120_000);

  it('refuses a brand key without a brand and an unknown role, with a one-line reason', async () => {
    const noBrand = await ringwatch(['keys', 'create', '--role', 'brand', '--name', 'x']);
    expect(noBrand.code).not.toBe(0);
    expect(noBrand.stderr).toContain('a brand key needs --brand');
    const badRole = await ringwatch(['keys', 'create', '--role', 'root', '--name', 'x']);
    expect(badRole.code).not.toBe(0);
    const badRevoke = await ringwatch(['keys', 'revoke', 'aaaaaaaaaaaa']);
    expect(badRevoke.code).not.toBe(0);
    expect(badRevoke.stderr).toContain('no API key aaaaaaaaaaaa');
  }, 120_000);

  it('refuses a token whose secret is wrong, malformed tokens and other schemes with 401', async () => {
    const token = await h.key('analyst');
    const wrongSecret = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const authorization of [`Bearer ${wrongSecret}`, 'Bearer rw_x', 'Bearer', `Basic ${token}`, `Bearer ${token} extra`, `Bearer ${'x'.repeat(5000)}`]) {
      const response = await h.app.request('/v1/rings', { headers: { authorization } });
      expect(response.status, authorization.slice(0, 40)).toBe(401);
      await problemOf(response);
    }
    expect((await call(h.app, 'GET', '/v1/rings', { token })).status).toBe(200);
  });

  it('lists and revokes through the module too; revoking twice keeps the first time', async () => {
    const token = await h.key('agency', { agency: 'NCA' });
    const keyId = token.slice(3, 15);
    const first = await revokeApiKey(h.db, keyId, h.clock.fn);
    h.clock.advance(1000);
    const second = await revokeApiKey(h.db, keyId, h.clock.fn);
    expect(second.revokedAt).toBe(first.revokedAt);
    expect((await listApiKeys(h.db)).find((k) => k.keyId === keyId)?.revokedAt).toBe(first.revokedAt);
  });
});

describe('audit log', () => {
  let h: Harness;
  let RING_C: string;
  beforeAll(async () => {
    h = await startHarness();
    RING_C = h.market.rings.C;
  });
  const ringwatch = (args: string[]) => ringwatchCli(args, { RINGWATCH_DATA_DIR: h.config.dataDir });
  afterAll(async () => {
    await h.close();
  });

  it('chains events without gaps even when many arrive at once', async () => {
    const token = await h.key('analyst');
    // Every caller claims the same request id: the chain must keep the service's own, one per request.
    const responses = await Promise.all(Array.from({ length: 25 }, () => call(h.app, 'GET', `/v1/rings/${RING_C}`, { token, headers: { 'x-request-id': 'claimed-by-caller' } })));
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
    const chained = await cypherRows(h, `MATCH (e:AuditEvent {action: 'ring.dossier.read'}) RETURN collect(e.requestId) AS ids`);
    const ids = chained[0]?.ids as string[];
    expect(new Set(ids)).toEqual(new Set(responses.map((r) => r.headers.get('x-request-id'))));
    expect(ids).not.toContain('claimed-by-caller');
    const session = h.db.driver.session();
    const result = await session.run('MATCH (e:AuditEvent) RETURN e.seq AS seq ORDER BY seq');
    await session.close();
    const seqs = result.records.map((r) => Number(r.get('seq')));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBe(26); // the key's creation and 25 reads
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 26, headSeq: 26 });
  });

  it('records who did what to which target, never a token', async () => {
    const session = h.db.driver.session();
    const result = await session.run(`MATCH (e:AuditEvent {seq: 2}) RETURN properties(e) AS p`);
    await session.close();
    expect(result.records[0]?.get('p')).toMatchObject({ action: 'ring.dossier.read', target: RING_C, role: 'analyst', keyId: expect.stringMatching(/^[a-z2-7]{12}$/), requestId: expect.any(String) });
  });

  it('ringwatch audit verify exits 0 on an intact chain and 1 at the first edited event', async () => {
    const intact = await ringwatch(['audit', 'verify', '--json']);
    expect(intact.code, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, events: 26 });

    await cypher(h, `MATCH (e:AuditEvent {seq: 7}) SET e.target = $ringId`, { ringId: UNKNOWN_RING });
    const edited = await ringwatch(['audit', 'verify', '--json']);
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, firstBreak: { seq: 7, reason: expect.stringContaining('edited') } });
    const human = await ringwatch(['audit', 'verify']);
    expect(human.stderr).toContain('BROKEN at event 7');
    await cypher(h, `MATCH (e:AuditEvent {seq: 7}) SET e.target = $ringId`, { ringId: RING_C });
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  }, 120_000);

  it('finds a deleted event, a deleted last event, and an edit whose hash was recomputed', async () => {
    await cypher(h, 'MATCH (e:AuditEvent {seq: 12}) DETACH DELETE e');
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBreak: { seq: 12, reason: expect.stringContaining('missing') } });
    await cypher(h, 'MATCH (e:AuditEvent) WHERE e.seq >= 12 DETACH DELETE e');
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBreak: { seq: 12, reason: expect.stringContaining('deleted from the end') } });
    // Make the head agree with the cut chain, then forge event 5 with a consistent own hash.
    await cypher(h, `MATCH (h:AuditHead), (e:AuditEvent {seq: 11}) SET h.seq = 11, h.hash = e.hash`);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
    await cypher(h, `MATCH (e:AuditEvent {seq: 5}) SET e.hash = '${'f'.repeat(64)}'`);
    const report = await verifyAuditChain(h.db);
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.seq).toBe(5);
  });
});
