import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildSignedBag, verifySignedBag } from '../../../src/http/package/bagit.ts';
import { loadOrCreateSigningKey } from '../../../src/http/package/signing.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const bag = () =>
  buildSignedBag({
    name: 'bag1',
    payload: { 'a.txt': 'hello\n', 'sub/b.json': '{"x":1}\n', 'odd name %.txt': 'x' },
    info: [['Source-Organization', 'test']],
    createdAt: new Date('2025-01-01T00:00:00Z'),
    privateKey,
    publicKeyPem,
  });

const rezip = (archive: Uint8Array, change: (entries: Record<string, Uint8Array>) => void) => {
  const entries = unzipSync(archive);
  change(entries);
  return zipSync(entries);
};

describe('signed BagIt bags', () => {
  it('verifies what it builds, and builds the same bytes from the same input', () => {
    const archive = bag();
    expect(verifySignedBag(archive, publicKeyPem)).toMatchObject({ ok: true, bag: 'bag1', payloadFiles: 3, keySource: 'given', warnings: [] });
    expect(Buffer.from(bag()).equals(Buffer.from(archive))).toBe(true);
    const manifest = new TextDecoder().decode(unzipSync(archive)['bag1/manifest-sha256.txt']);
    expect(manifest).toContain('  data/odd name %25.txt\n');
    expect(new TextDecoder().decode(unzipSync(archive)['bag1/bag-info.txt'])).toContain('Payload-Oxum: 15.3\n');
  });

  it('fails on any single flipped byte of the archive', () => {
    const archive = bag();
    for (let i = 0; i < archive.length; i += 7) {
      const copy = new Uint8Array(archive);
      copy[i] = (copy[i] as number) ^ 0xff;
      const report = verifySignedBag(copy, publicKeyPem);
      // A flip in zip bookkeeping the reader ignores (timestamps, version fields) leaves the content intact;
      // a flip anywhere in content never passes.
      if (report.ok) {
        const a = unzipSync(archive);
        const b = unzipSync(copy);
        for (const [name, content] of Object.entries(a)) expect(Buffer.from(b[name] ?? []).equals(Buffer.from(content)), `byte ${i}`).toBe(true);
      }
    }
  });

  it.each([
    ['an extra payload file', (e: Record<string, Uint8Array>) => void (e['bag1/data/extra.txt'] = strToU8('x')), /payload file data\/extra\.txt is not in manifest/],
    ['a missing payload file', (e: Record<string, Uint8Array>) => void delete e['bag1/data/a.txt'], /lists data\/a\.txt, which is missing/],
    ['a second top-level folder', (e: Record<string, Uint8Array>) => void (e['other/x'] = strToU8('x')), /more than one top-level folder/],
    ['an entry escaping the folder', (e: Record<string, Uint8Array>) => void (e['bag1/../evil'] = strToU8('x')), /unexpected entry/],
    ['a missing signature', (e: Record<string, Uint8Array>) => void delete e['bag1/signature.ed25519'], /signature\.ed25519 is missing/],
    ['an unlisted tag file', (e: Record<string, Uint8Array>) => void (e['bag1/notes.txt'] = strToU8('x')), /tag file notes\.txt is not in tagmanifest/],
    ['a swapped embedded key', (e: Record<string, Uint8Array>) => void (e['bag1/signing-key.pub'] = strToU8(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString())), /signature does not match/],
  ])('fails on %s', (_, change, reason) => {
    const report = verifySignedBag(rezip(bag(), change));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatch(reason);
  });

  it('says a check with the embedded key proves self-consistency only', () => {
    const report = verifySignedBag(bag());
    expect(report.ok).toBe(true);
    expect(report.keySource).toBe('embedded');
    expect(report.warnings[0]).toContain('self-consistent');
  });
});

describe('the signing key', () => {
  it('is made once, mode 0600, and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringwatch-key-'));
    try {
      const first = loadOrCreateSigningKey(join(dir, 'data'));
      expect(statSync(join(dir, 'data', 'signing-key.pem')).mode & 0o777).toBe(0o600);
      const second = loadOrCreateSigningKey(join(dir, 'data'));
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(first.fingerprint).toMatch(/^SHA256:[0-9a-f]{64}$/);
      expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
