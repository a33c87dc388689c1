import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealArchive, verifySignedBag } from '../../../src/evidence/bagit.ts';
import type { Dossier } from '../../../src/dossier/schema.ts';
import { graphCounts } from './graphCounts.ts';
import { call, problemOf, startHarness, type Harness } from './harness.ts';
import { UNKNOWN_RING } from './market.ts';

const run = promisify(execFile);

describe('referrals and their evidence packages', () => {
  let h: Harness;
  let analyst: string;
  let nca: string;
  let europol: string;
  let dir: string;
  let referralId: string;
  let packageSha256: string;
  let archive: Uint8Array;
  let RING_A: string, RING_B: string, RING_D: string;

  beforeAll(async () => {
    h = await startHarness();
    ({ A: RING_A, B: RING_B, D: RING_D } = h.market.rings);
    analyst = await h.key('analyst');
    nca = await h.key('agency', { agency: 'NCA' });
    europol = await h.key('agency', { agency: 'Europol' });
    dir = mkdtempSync(join(tmpdir(), 'ringwatch-pkg-'));
    // Some history for the audit excerpt.
    await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: analyst });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refers a ring: builds, stores and hashes the package, marks the ring referred, audits it', async () => {
    const response = await call(h.app, 'POST', `/v1/rings/${RING_A}/referrals`, { token: analyst, body: { agency: 'NCA', caseReference: 'OP-TRAINER/2025/017' }, headers: { 'idempotency-key': `ref-${Math.random()}` } });
    expect(response.status, await response.clone().text()).toBe(201);
    const body = (await response.json()) as { referralId: string; agency: string; packageSha256: string };
    expect(body).toEqual({ referralId: expect.stringMatching(/^RF-[A-Z2-7]{10}$/), agency: 'NCA', packageSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    ({ referralId, packageSha256 } = body);
    const file = join(h.config.dataDir, 'packages', `ringwatch-referral-${referralId}.zip`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const d = (await (await call(h.app, 'GET', `/v1/rings/${RING_A}`, { token: analyst })).json()) as Dossier;
    expect(d.status).toBe('referred');
    expect(d.referrals).toEqual([{ referralId, agency: 'NCA', caseReference: 'OP-TRAINER/2025/017', createdAt: '2025-04-10T12:00:00.000Z', packageSha256 }]);
  });

  it("lets that agency's keys and analysts download the bytes; another agency gets 404", async () => {
    const response = await call(h.app, 'GET', `/v1/referrals/${referralId}/package`, { token: nca });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain(`ringwatch-referral-${referralId}.zip`);
    archive = new Uint8Array(await response.arrayBuffer());
    expect(createHash('sha256').update(archive).digest('hex')).toBe(packageSha256);
    expect(response.headers.get('x-package-sha256')).toBe(packageSha256);
    expect((await call(h.app, 'GET', `/v1/referrals/${referralId}/package`, { token: analyst })).status).toBe(200);

    const acme = await h.key('brand', { brand: 'Acme' });
    const before = await graphCounts(h.db);
    const other = await call(h.app, 'GET', `/v1/referrals/${referralId}/package`, { token: europol });
    expect(other.status).toBe(404);
    const missing = await call(h.app, 'GET', '/v1/referrals/RF-AAAAAAAAAA/package', { token: europol });
    expect((await problemOf(other)).title).toBe((await problemOf(missing)).title);
    expect((await problemOf(await call(h.app, 'GET', '/v1/referrals/RF-bad/package', { token: nca }))).status).toBe(400);
    expect((await problemOf(await call(h.app, 'GET', `/v1/referrals/${referralId}/package`, { token: acme }))).status).toBe(403);
    expect((await problemOf(await call(h.app, 'GET', `/v1/referrals/${referralId}/package`))).status).toBe(401);
    expect(await graphCounts(h.db)).toEqual(before);
  });

  it('is a BagIt bag with every file, readable summaries, and a valid signature', () => {
    const entries = unzipSync(archive);
    const root = `ringwatch-referral-${referralId}`;
    expect(Object.keys(entries).sort()).toEqual(
      [
        'bag-info.txt',
        'bagit.txt',
        'data/audit-checkpoint.json',
        'data/audit-excerpt.json',
        'data/dossier.json',
        'data/graph.json',
        'data/listings.csv',
        'data/members.csv',
        'data/summary.html',
        'manifest-sha256.txt',
        'signature.ed25519',
        'signing-key.pub',
        'tagmanifest-sha256.txt',
      ].map((f) => `${root}/${f}`),
    );
    const text = (f: string) => strFromU8(entries[`${root}/${f}`] as Uint8Array);
    expect(text('bagit.txt')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    expect(text('bag-info.txt')).toContain(`External-Identifier: ${referralId}`);
    expect(text('bag-info.txt')).toContain(`Ringwatch-Signing-Key-Fingerprint: ${h.signingKey.fingerprint}`);
    expect(text('signing-key.pub')).toBe(h.signingKey.publicKeyPem);
    const dossier = JSON.parse(text('data/dossier.json')) as { dossier: Dossier; referral: { agency: string } };
    expect(dossier.referral.agency).toBe('NCA');
    expect(dossier.dossier.members).toHaveLength(5);
    expect(dossier.dossier.sharedIdentifiers[0]?.key).not.toContain('****'); // police get the keys unmasked
    expect(text('data/members.csv').split('\r\n')[0]).toBe('sellerId,storeName,status,country,registeredAt,closedAt');
    expect(text('data/listings.csv').split('\r\n')).toHaveLength(8); // header, 6 listings, final line end
    expect(text('data/summary.html')).toContain(`<h1>Counterfeit-seller ring ${RING_A}</h1>`);
    const excerpt = JSON.parse(text('data/audit-excerpt.json')) as { events: { action: string }[] };
    expect(excerpt.events.map((e) => e.action)).toContain('ring.dossier.read');
    expect(verifySignedBag(archive, h.signingKey.publicKeyPem)).toMatchObject({ ok: true, keySource: 'given', payloadFiles: 7, problem: null });
  });

  const tampered = (path: string, change: (bytes: Uint8Array) => Uint8Array<ArrayBuffer>, resign = true): string => {
    // Rebuild the zip with one entry changed and, to reach the bag's own checks behind the archive
    // signature, sign the archive again with the service's key (a byte flipped inside a zip's
    // compressed stream would only break decompression, not test the hashes).
    const entries = unzipSync(archive);
    const name = `ringwatch-referral-${referralId}/${path}`;
    entries[name] = change(entries[name] as Uint8Array);
    const file = join(dir, `${path.replace(/\W/g, '_')}${resign ? '' : '-unsigned'}.zip`);
    writeFileSync(file, resign ? sealArchive(zipSync(entries), h.signingKey.privateKey) : zipSync(entries));
    return file;
  };
  /** A data folder with no signing key, so that only a key given with --public-key is trusted. */
  const emptyDataDir = () => join(dir, 'no-service-here');
  const keyFile = () => {
    const file = join(dir, 'service.pub');
    writeFileSync(file, h.signingKey.publicKeyPem);
    return file;
  };
  const flipByte = (at: number) => (bytes: Uint8Array) => {
    const copy = new Uint8Array(bytes);
    const i = at < 0 ? copy.length + at : at;
    copy[i] = (copy[i] as number) ^ 0x01;
    return copy;
  };

  async function ringwatchVerify(args: string[], dataDir = emptyDataDir()): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('node', ['bin/ringwatch.js', 'verify', ...args], { env: { ...process.env, RINGWATCH_DATA_DIR: dataDir } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('ringwatch keys signing-key prints the public key and fingerprint the packages are signed with', async () => {
    const env = { ...process.env, RINGWATCH_DATA_DIR: h.config.dataDir };
    const { stdout } = await run('node', ['bin/ringwatch.js', 'keys', 'signing-key', '--json'], { env });
    expect(JSON.parse(stdout)).toEqual({ publicKeyPem: h.signingKey.publicKeyPem, fingerprint: h.signingKey.fingerprint });
    const human = await run('node', ['bin/ringwatch.js', 'keys', 'signing-key'], { env });
    expect(human.stdout).toBe(h.signingKey.publicKeyPem);
    expect(human.stderr).toContain(h.signingKey.fingerprint);
  }, 60_000);

  it('ringwatch verify exits 0 for the intact package with the service key given or beside the service, and 1 with no trusted key', async () => {
    const file = join(dir, 'intact.zip');
    writeFileSync(file, archive);
    const withKey = await ringwatchVerify([file, '--public-key', keyFile()]);
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stderr).toContain(`OK`);
    expect(withKey.stderr).toContain(h.signingKey.fingerprint);
    const beside = await ringwatchVerify([file, '--json'], h.config.dataDir);
    expect(beside.code, beside.stderr).toBe(0);
    expect(JSON.parse(beside.stdout)).toMatchObject({ ok: true, keySource: 'service', signerFingerprint: h.signingKey.fingerprint, warnings: [] });
    const untrusted = await ringwatchVerify([file]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('no trusted key was given');
  }, 60_000);

  it('ringwatch verify exits non-zero naming the first discrepancy when a data file, the manifest or the signature is touched', async () => {
    const cases: [string, string, RegExp][] = [
      [tampered('data/members.csv', flipByte(10), false), 'data file, not signed again', /archive signature|not a signed ringwatch package/],
      [tampered('data/members.csv', flipByte(10)), 'data file', /data\/members\.csv does not match its hash in manifest-sha256\.txt/],
      [tampered('manifest-sha256.txt', flipByte(3)), 'manifest', /manifest-sha256\.txt does not match its hash in tagmanifest-sha256\.txt/],
      [tampered('signature.ed25519', flipByte(5)), 'signature', /signature does not match|not a base64 Ed25519 signature/],
      [tampered('tagmanifest-sha256.txt', flipByte(2)), 'tag manifest', /signature does not match/],
    ];
    for (const [file, what, reason] of cases) {
      const result = await ringwatchVerify([file, '--public-key', keyFile(), '--json']);
      expect(result.code, what).toBe(1);
      expect(JSON.parse(result.stdout).problem, what).toMatch(reason);
    }
    // A package re-signed by someone else, with their key inside, is trusted by nothing.
    const otherKey = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519'));
    const forged = (await import('../../../src/evidence/bagit.ts')).buildSignedBag({
      name: 'forged',
      payload: { 'dossier.json': '{}' },
      info: [],
      createdAt: new Date('2025-01-01T00:00:00Z'),
      privateKey: otherKey.privateKey,
      publicKeyPem: otherKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(verifySignedBag(forged)).toMatchObject({ ok: false, problem: expect.stringContaining('no trusted key') });
    expect(verifySignedBag(forged, h.signingKey.publicKeyPem)).toMatchObject({ ok: false, problem: expect.stringContaining('archive signature does not match') });
    const notZip = join(dir, 'not.zip');
    writeFileSync(notZip, 'hello');
    const garbage = await ringwatchVerify([notZip, '--public-key', keyFile()]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('FAILED: not a signed ringwatch package');
  }, 120_000);

  it('carries the latest signed audit checkpoint and pseudonymises every key id', () => {
    const entries = unzipSync(archive);
    const text = (f: string) => strFromU8(entries[`ringwatch-referral-${referralId}/${f}`] as Uint8Array);
    const checkpoint = JSON.parse(text('data/audit-checkpoint.json')) as { format: string; seq: number; keyFingerprint: string };
    expect(checkpoint).toMatchObject({ format: 'ringwatch-audit-checkpoint/1', seq: expect.any(Number), keyFingerprint: h.signingKey.fingerprint });
    expect(checkpoint.seq).toBeGreaterThanOrEqual(1);
    // No key id of the analyst, the brand or anyone else: pseudonyms only, the same one for the same key.
    const analystKeyId = analyst.slice(3, 15);
    const whole = Object.values(entries).map((bytes) => strFromU8(bytes)).join('\n');
    expect(whole).not.toContain(analystKeyId);
    const dossier = JSON.parse(text('data/dossier.json')) as { referral: { referredBy: string } };
    expect(dossier.referral.referredBy).toMatch(/^principal-[0-9a-f]{16}$/);
    const excerpt = JSON.parse(text('data/audit-excerpt.json')) as { events: { keyId: string; action: string }[] };
    const readBy = excerpt.events.find((e) => e.action === 'ring.dossier.read')?.keyId;
    expect(readBy).toBe(dossier.referral.referredBy);
    for (const event of excerpt.events) expect(event.keyId).toMatch(/^principal-[0-9a-f]{16}$/);
  });

  it('takes an Idempotency-Key: a repeat or 10 racing requests make one referral; another body under the key is 422', async () => {
    const body = { agency: 'NCA', caseReference: 'OP-REPEAT/1' };
    const refer = (b: unknown, key: string | null) =>
      call(h.app, 'POST', `/v1/rings/${RING_D}/referrals`, { token: analyst, body: b, headers: key === null ? {} : { 'idempotency-key': key } });
    const responses = await Promise.all(Array.from({ length: 10 }, () => refer(body, 'referral-race-1')));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const answers = await Promise.all(responses.map((r) => r.json()));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await (await refer(body, 'referral-race-1')).json()).toEqual(answers[0]);
    const session = h.db.driver.session();
    const made = await session.run('MATCH (f:Referral {ringId: $ringId}) RETURN count(f) AS n', { ringId: RING_D });
    const all = await session.run('MATCH (f:Referral) RETURN count(f) AS n');
    await session.close();
    expect(Number(made.records[0]?.get('n'))).toBe(1);
    // The racers that lost removed the packages they had built: one file per referral.
    const packages = readdirSync(join(h.config.dataDir, 'packages')).filter((f) => !f.startsWith('.'));
    expect(packages).toHaveLength(Number(all.records[0]?.get('n')));
    const reused = await refer({ ...body, caseReference: 'OP-OTHER' }, 'referral-race-1');
    expect(reused.status).toBe(422);
    expect((await problemOf(reused)).type).toBe('urn:ringwatch:problem:idempotency-key-reused');
    const missing = await refer(body, null);
    expect(missing.status).toBe(400);
    expect(((await problemOf(missing)).errors as { field: string }[])[0]?.field).toBe('header.idempotency-key');
  });

  it('validates the referral request and is for analysts only, changing nothing when refused', async () => {
    const before = await graphCounts(h.db);
    const cases: [string | undefined, unknown, number][] = [
      [analyst, { agency: 'NCA' }, 422],
      [analyst, { agency: "x}) DETACH DELETE n //", caseReference: 'c' }, 422],
      [analyst, { agency: 'NCA', caseReference: 'line\nbreak' }, 422],
      [analyst, { agency: 'NCA', caseReference: 'x'.repeat(5000) }, 422],
      // What would reach signed bag-info.txt looking other than it is.
      [analyst, { agency: 'NCA', caseReference: 'OP-\u202Egnp.exe' }, 422],
      [analyst, { agency: 'NCA', caseReference: 'OP-1\u2028Ringwatch-Agency: FBI' }, 422],
      [analyst, { agency: 'NCA', caseReference: 'OP\u200B-1' }, 422],
      [analyst, { agency: 'NCA', caseReference: 'OP-1\u2029' }, 422],
      [nca, { agency: 'NCA', caseReference: 'c' }, 403],
      [undefined, { agency: 'NCA', caseReference: 'c' }, 401],
    ];
    for (const [token, body, status] of cases) {
      const response = await call(h.app, 'POST', `/v1/rings/${RING_B}/referrals`, { token, body, headers: { 'idempotency-key': `ref-${Math.random()}` } });
      expect(response.status, JSON.stringify(body)).toBe(status);
      await problemOf(response);
    }
    expect((await problemOf(await call(h.app, 'POST', `/v1/rings/${UNKNOWN_RING}/referrals`, { token: analyst, body: { agency: 'NCA', caseReference: 'c' }, headers: { 'idempotency-key': `ref-${Math.random()}` } }))).status).toBe(404);
    expect(await graphCounts(h.db)).toEqual(before);
  });
});
