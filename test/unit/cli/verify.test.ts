import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedBag } from '../../../src/evidence/bagit.ts';
import { loadOrCreateSigningKey } from '../../../src/evidence/signing.ts';
import type { SigningKey } from '../../../src/evidence/signing.ts';

const run = promisify(execFile);

/** The real `ringwatch verify`, with RINGWATCH_DATA_DIR set so that it never reads the developer's own. */
async function ringwatchVerify(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ringwatch.js', 'verify', ...args], { env: { ...process.env, RINGWATCH_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ringwatch verify', () => {
  let dir: string;
  let serviceDir: string;
  let emptyDir: string;
  let service: SigningKey;
  let intact: string;
  let forged: string;
  let servicePub: string;
  let attackerPub: string;

  const pack = (file: string, key: SigningKey, content: string) => {
    const path = join(dir, file);
    writeFileSync(path, buildSignedBag({ name: 'ringwatch-referral-RF-TEST', payload: { 'dossier.json': content }, info: [], createdAt: new Date('2025-01-01T00:00:00Z'), ...key }));
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ringwatch-verify-'));
    serviceDir = join(dir, 'service-data');
    emptyDir = join(dir, 'empty-data');
    mkdirSync(emptyDir);
    service = loadOrCreateSigningKey(serviceDir);
    const pair = generateKeyPairSync('ed25519');
    const attackerPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const attacker: SigningKey = { privateKey: pair.privateKey, publicKeyPem: attackerPem, fingerprint: '' };
    intact = pack('intact.zip', service, '{"ring":"R-1"}\n');
    // What someone without the service's key can make: a changed package, signed again with
    // their own key, which it carries in signing-key.pub.
    forged = pack('forged.zip', attacker, '{"ring":"R-1","members":[]}\n');
    servicePub = join(dir, 'service.pub');
    writeFileSync(servicePub, service.publicKeyPem);
    attackerPub = join(dir, 'attacker.pub');
    writeFileSync(attackerPub, attackerPem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero, in one line naming --public-key and RINGWATCH_DATA_DIR, when no trusted key is given, and creates no key', async () => {
    for (const file of [forged, intact]) {
      const result = await ringwatchVerify([file], emptyDir);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(/no trusted key/);
      expect(result.stderr).toContain('--public-key');
      expect(result.stderr).toContain('RINGWATCH_DATA_DIR');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(emptyDir)).toEqual([]);
    const missing = join(dir, 'no-such-data');
    expect((await ringwatchVerify([intact, '--json'], missing)).code).not.toBe(0);
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it("exits 0 beside the service that made the package, printing its key's fingerprint and where the key came from", async () => {
    const result = await ringwatchVerify([intact], serviceDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(service.fingerprint);
    expect(result.stderr).toContain(join(serviceDir, 'signing-key.pem'));
    const json = await ringwatchVerify([intact, '--json'], serviceDir);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, keySource: 'service', keyFile: join(serviceDir, 'signing-key.pem'), signerFingerprint: service.fingerprint, payloadFiles: 1 });
  }, 60_000);

  it('exits 0 with --public-key, trusting only that key', async () => {
    const result = await ringwatchVerify([intact, '--public-key', servicePub], emptyDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(service.fingerprint);
    expect(result.stderr).toContain(servicePub);
    // A given key replaces the local service key rather than adding to it.
    const other = await ringwatchVerify([intact, '--public-key', attackerPub, '--json'], serviceDir);
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({ ok: false, keySource: 'given', problem: expect.stringContaining('archive signature does not match') });
  }, 60_000);

  it("fails a package re-signed with another key, against the service's key however it is given", async () => {
    for (const [args, dataDir] of [[[forged], serviceDir], [[forged, '--public-key', servicePub], emptyDir]] as const) {
      const result = await ringwatchVerify([...args], dataDir);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(/^FAILED: the archive signature does not match/);
    }
  }, 60_000);
});
