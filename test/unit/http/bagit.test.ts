import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/analysis/rng.ts';
import { ARCHIVE_SIGNATURE_LENGTH, buildSignedBag, sealArchive, verifySignedBag } from '../../../src/evidence/bagit.ts';
import { buildEvidencePackage } from '../../../src/evidence/evidencePackage.ts';
import { loadOrCreateSigningKey, publicKeyFingerprint, readSigningKey } from '../../../src/evidence/signing.ts';
import type { Dossier } from '../../../src/dossier/schema.ts';

const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyPem = pemOf(publicKey);
const bag = () =>
  buildSignedBag({
    name: 'bag1',
    payload: { 'a.txt': 'hello\n', 'sub/b.json': '{"x":1}\n', 'odd name %.txt': 'x' },
    info: [['Source-Organization', 'test']],
    createdAt: new Date('2025-01-01T00:00:00Z'),
    privateKey,
    publicKeyPem,
  });

/** A package as the service makes it for a referral, for the tests that attack the container. */
const ROOT = 'ringwatch-referral-RF-TESTTESTAA';
const dossier: Dossier = {
  ringId: 'R-TESTRING',
  riskScore: 81.5,
  flagged: true,
  size: 3,
  brands: ['Acme'],
  status: 'referred',
  active: true,
  firstSeen: '2024-11-02',
  lastSeen: '2025-03-30',
  members: ['S1', 'S2', 'S3'].map((sellerId, i) => ({ sellerId, storeName: `Store ${i}`, status: 'active', country: 'GB', registeredAt: '2024-11-02', closedAt: null })),
  factors: [{ name: 'sharedPayment', contribution: 40, detail: 'one payment account behind 3 stores' }],
  sharedIdentifiers: [{ kind: 'paymentAccount', key: 'GB29NWBK60161331926819', sellerIds: ['S1', 'S2', 'S3'] }],
  ignoredHubs: [{ kind: 'carrierAccount', key: 'DHL-HUB-1', sellerCount: 9000, ringSellers: 2 }],
  listings: Array.from({ length: 12 }, (_, i) => ({ listingId: `L${i}`, sellerId: `S${(i % 3) + 1}`, title: `Acme trainer ${i}`, brand: 'Acme', category: 'shoes', price: 19.99 + i, currency: 'GBP', typicalPrice: 120, verdict: i % 2 ? 'counterfeit' : null })),
  listingCount: 12,
  history: [{ type: 'detected', runId: 'run-1', at: '2025-03-30T10:00:00Z', detail: {} }],
  closures: [],
  keysMasked: false,
};
const realPackage = (pair: { privateKey: KeyObject; publicKey: KeyObject } = { privateKey, publicKey }) => {
  // Not an object literal, so that an input field added to (or not yet in) EvidenceInput does not stop the build here.
  const input = {
    referral: { referralId: 'RF-TESTTESTAA', ringId: dossier.ringId, agency: 'NCA', caseReference: 'OP-TEST/1', createdAt: new Date('2025-04-10T12:00:00Z'), referredBy: 'K-ANALYST' },
    dossier,
    graph: { nodes: [{ id: 'S1', label: 'Store 0', kind: 'Seller' }], edges: [] },
    auditExcerpt: [],
    auditCheckpoint: null,
    signingKey: { privateKey: pair.privateKey, publicKeyPem: pemOf(pair.publicKey), fingerprint: publicKeyFingerprint(pair.publicKey) },
  };
  return buildEvidencePackage(input);
};

const rezip = (archive: Uint8Array, change: (entries: Record<string, Uint8Array>) => void) => {
  const entries = unzipSync(archive);
  change(entries);
  return zipSync(entries);
};

const u16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const put16 = (b: Uint8Array, at: number, v: number) => void b.set([v & 0xff, (v >>> 8) & 0xff], at);
const put32 = (b: Uint8Array, at: number, v: number) => (put16(b, at, v & 0xffff), put16(b, at + 2, v >>> 16));
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** Where the end-of-central-directory record starts, whatever comment follows it. */
function eocdOf(zip: Uint8Array): number {
  for (let at = zip.length - 22; at >= 0; at--) if (u32(zip, at) === 0x06054b50 && at + 22 + u16(zip, at + 20) === zip.length) return at;
  throw new Error('no end record');
}

/**
 * Puts one more (stored) entry into an archive by hand, first or last, fixing every offset and
 * count and keeping whatever comment (the signature) the archive ends with: what an attacker who
 * cannot sign can do to a zip.
 */
function spliceEntry(archive: Uint8Array, name: string, content: string, where: 'first' | 'last'): Uint8Array {
  const one = zipSync({ [name]: [strToU8(content), { mtime: new Date('2025-01-01T00:00:00Z') }] }, { level: 0 });
  const oneEnd = eocdOf(one);
  const oneLocal = one.slice(0, u32(one, oneEnd + 16));
  const oneCentral = one.slice(oneLocal.length, oneEnd);
  const end = eocdOf(archive);
  const cdOffset = u32(archive, end + 16);
  const locals = archive.slice(0, cdOffset);
  const central = archive.slice(cdOffset, end);
  const eocd = archive.slice(end);
  const shift = where === 'first' ? oneLocal.length : 0;
  for (let at = 0; at < central.length; at += 46 + u16(central, at + 28) + u16(central, at + 30) + u16(central, at + 32)) put32(central, at + 42, u32(central, at + 42) + shift);
  put32(oneCentral, 42, where === 'first' ? 0 : locals.length);
  put16(eocd, 8, u16(eocd, 8) + 1);
  put16(eocd, 10, u16(eocd, 10) + 1);
  put32(eocd, 12, central.length + oneCentral.length);
  put32(eocd, 16, cdOffset + oneLocal.length);
  return where === 'first' ? concat(oneLocal, locals, oneCentral, central, eocd) : concat(locals, oneLocal, central, oneCentral, eocd);
}

/** Signs a changed archive again with the trusted key, so that the checks behind the signature are reached. */
function reseal(archive: Uint8Array, key: KeyObject = privateKey): Uint8Array {
  const end = eocdOf(archive);
  const zip = archive.slice(0, end + 22);
  put16(zip, end + 20, 0);
  return sealArchive(zip, key);
}

describe('signed BagIt bags', () => {
  it('verifies what it builds, and builds the same bytes from the same input', () => {
    const archive = bag();
    expect(verifySignedBag(archive, publicKeyPem)).toMatchObject({ ok: true, bag: 'bag1', payloadFiles: 3, keySource: 'given', signerFingerprint: publicKeyFingerprint(publicKey), warnings: [] });
    expect(Buffer.from(bag()).equals(Buffer.from(archive))).toBe(true);
    const manifest = new TextDecoder().decode(unzipSync(archive)['bag1/manifest-sha256.txt']);
    expect(manifest).toContain('  data/odd name %25.txt\n');
    expect(new TextDecoder().decode(unzipSync(archive)['bag1/bag-info.txt'])).toContain('Payload-Oxum: 15.3\n');
  });

  it('ends with the archive signature as a fixed-length zip comment that unzip reads', () => {
    const archive = realPackage();
    expect(Buffer.from(realPackage()).equals(Buffer.from(archive))).toBe(true);
    const comment = Buffer.from(archive.subarray(archive.length - ARCHIVE_SIGNATURE_LENGTH)).toString('latin1');
    expect(comment).toMatch(/^ringwatch-signature-v1 ed25519 [A-Za-z0-9+/]{86}==$/);
    const dir = mkdtempSync(join(tmpdir(), 'ringwatch-unzip-'));
    try {
      const file = join(dir, 'p.zip');
      writeFileSync(file, archive);
      expect(execFileSync('unzip', ['-tq', file]).toString()).toMatch(/No errors detected/);
      expect(execFileSync('unzip', ['-l', file]).toString()).toContain(`${ROOT}/data/dossier.json`);
      expect(execFileSync('unzip', ['-z', file]).toString()).toContain(comment);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trusts no key it is not given: a package re-signed with another key, embedding that key, fails', () => {
    const attacker = generateKeyPairSync('ed25519');
    const forged = buildSignedBag({ name: 'bag1', payload: { 'a.txt': 'forged\n' }, info: [], createdAt: new Date('2025-01-01T00:00:00Z'), privateKey: attacker.privateKey, publicKeyPem: pemOf(attacker.publicKey) });
    expect(verifySignedBag(forged)).toMatchObject({ ok: false, problem: expect.stringContaining('no trusted key') });
    expect(verifySignedBag(forged, publicKeyPem)).toMatchObject({ ok: false, problem: expect.stringContaining('archive signature does not match') });
    expect(verifySignedBag(forged, pemOf(attacker.publicKey)).ok).toBe(true);
  });

  it('fails on every one of 1,000 random single-byte flips of a real package', () => {
    const archive = realPackage();
    expect(verifySignedBag(archive, publicKeyPem).ok).toBe(true);
    const random = createRng(20250410);
    const verified: number[] = [];
    for (let n = 0; n < 1000; n++) {
      const copy = new Uint8Array(archive);
      const at = Math.floor(random() * copy.length);
      copy[at] = (copy[at] as number) ^ (1 + Math.floor(random() * 255));
      if (verifySignedBag(copy, publicKeyPem).ok) verified.push(at);
    }
    expect(verified, `flips at ${verified.join(', ')} of ${archive.length} bytes still verify`).toEqual([]);
  });

  it('fails on a truncated package, wherever it is cut', () => {
    const archive = realPackage();
    for (const length of [0, 1, 22, 100, archive.length >> 1, archive.length - ARCHIVE_SIGNATURE_LENGTH - 22, archive.length - ARCHIVE_SIGNATURE_LENGTH, archive.length - 3, archive.length - 1]) {
      expect(verifySignedBag(archive.slice(0, length), publicKeyPem).ok, `cut at ${length}`).toBe(false);
    }
  });

  it.each([
    ['one prepended byte', (a: Uint8Array) => concat(Uint8Array.of(0), a)],
    ['one appended byte', (a: Uint8Array) => concat(a, Uint8Array.of(0))],
    ['an appended line end', (a: Uint8Array) => concat(a, strToU8('\n'))],
    ['a second copy of the package appended', (a: Uint8Array) => concat(a, a)],
    ['a duplicate entry, a tampered copy first', (a: Uint8Array) => spliceEntry(a, `${ROOT}/data/members.csv`, 'sellerId\r\nNOBODY\r\n', 'first')],
    ['a duplicate entry, a tampered copy last', (a: Uint8Array) => spliceEntry(a, `${ROOT}/data/members.csv`, 'sellerId\r\nNOBODY\r\n', 'last')],
    ['an extra entry', (a: Uint8Array) => spliceEntry(a, `${ROOT}/data/extra.txt`, 'x', 'last')],
    ['the signature text in non-canonical base64', (a: Uint8Array) => {
      // The last base64 digit before "==" carries 2 bits of the signature and 4 unused ones, so a
      // lenient decoder reads the same 64 bytes from another digit.
      const copy = new Uint8Array(a);
      const digit = BASE64.indexOf(String.fromCharCode(copy[copy.length - 3] as number));
      copy[copy.length - 3] = BASE64.charCodeAt(digit ^ 1);
      expect(Buffer.from(Buffer.from(copy.subarray(-88)).toString('latin1'), 'base64').equals(Buffer.from(Buffer.from(a.subarray(-88)).toString('latin1'), 'base64'))).toBe(true);
      return copy;
    }],
  ])('fails on %s', (_, change) => {
    const archive = realPackage();
    const changed = change(archive);
    expect(Buffer.from(changed).equals(Buffer.from(archive))).toBe(false);
    expect(verifySignedBag(changed, publicKeyPem)).toMatchObject({ ok: false, problem: expect.stringMatching(/archive signature|not a signed ringwatch package/) });
  });

  it('fails on a package made with another key, checked against the right one', () => {
    const other = generateKeyPairSync('ed25519');
    expect(verifySignedBag(realPackage(other), publicKeyPem)).toMatchObject({ ok: false, problem: expect.stringContaining('archive signature does not match') });
  });

  // Behind a valid archive signature, the zip is still read strictly and the bag checked, so that
  // a package only verifies if every zip reader sees the same files, and an extracted bag stays
  // checkable on its own.
  describe('behind a valid archive signature', () => {
    const centralOf = (zip: Uint8Array) => u32(zip, eocdOf(zip) + 16);
    it.each([
      ['a duplicate entry', (a: Uint8Array) => spliceEntry(a, `${ROOT}/data/members.csv`, 'sellerId\r\n', 'first'), /in the archive twice/],
      ['an extra payload entry', (a: Uint8Array) => spliceEntry(a, `${ROOT}/data/extra.txt`, 'x', 'last'), /payload file data\/extra\.txt is not in manifest/],
      ['a prepended byte', (a: Uint8Array) => concat(Uint8Array.of(0), a), /bytes between the central directory and its end record/],
      ['a CRC-32 that does not match, in both headers', (a: Uint8Array) => {
        const copy = new Uint8Array(a);
        const central = centralOf(copy);
        copy[14] = (copy[14] as number) ^ 1;
        copy[central + 16] = (copy[central + 16] as number) ^ 1;
        return copy;
      }, /fails its CRC-32/],
      ['a local header that differs from its central directory entry', (a: Uint8Array) => {
        const copy = new Uint8Array(a);
        copy[10] = (copy[10] as number) ^ 1; // the first entry's modification time
        return copy;
      }, /local header does not match/],
      ['bytes between the entries and the central directory', (a: Uint8Array) => {
        const end = eocdOf(a);
        const central = centralOf(a);
        const eocd = a.slice(end);
        put32(eocd, 16, central + 1);
        return concat(a.subarray(0, central), Uint8Array.of(0), a.subarray(central, end), eocd);
      }, /bytes between the last entry and the central directory/],
      ['an entry the end record does not count', (a: Uint8Array) => {
        const end = eocdOf(a);
        const eocd = a.slice(end);
        put16(eocd, 8, u16(eocd, 8) - 1);
        put16(eocd, 10, u16(eocd, 10) - 1);
        return concat(a.subarray(0, end), eocd);
      }, /central directory holds more than/],
    ])('fails on %s', (_, change, reason) => {
      const report = verifySignedBag(reseal(change(realPackage())), publicKeyPem);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(reason);
    });

    it.each([
      ['an extra payload file', (e: Record<string, Uint8Array>) => void (e['bag1/data/extra.txt'] = strToU8('x')), /payload file data\/extra\.txt is not in manifest/],
      ['a missing payload file', (e: Record<string, Uint8Array>) => void delete e['bag1/data/a.txt'], /lists data\/a\.txt, which is missing/],
      ['a second top-level folder', (e: Record<string, Uint8Array>) => void (e['other/x'] = strToU8('x')), /more than one top-level folder/],
      ['an entry escaping the folder', (e: Record<string, Uint8Array>) => void (e['bag1/../evil'] = strToU8('x')), /unexpected entry/],
      ['a missing signature', (e: Record<string, Uint8Array>) => void delete e['bag1/signature.ed25519'], /signature\.ed25519 is missing/],
      ['an unlisted tag file', (e: Record<string, Uint8Array>) => void (e['bag1/notes.txt'] = strToU8('x')), /tag file notes\.txt is not in tagmanifest/],
      ['a swapped embedded key', (e: Record<string, Uint8Array>) => void (e['bag1/signing-key.pub'] = strToU8(pemOf(generateKeyPairSync('ed25519').publicKey))), /signing-key\.pub does not match its hash/],
      ['a changed tag manifest', (e: Record<string, Uint8Array>) => void (e['bag1/tagmanifest-sha256.txt'] = strToU8(`${'0'.repeat(64)}  bagit.txt\n`)), /signature does not match tagmanifest/],
    ])('fails on a bag with %s', (_, change, reason) => {
      const report = verifySignedBag(sealArchive(rezip(bag(), change), privateKey), publicKeyPem);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(reason);
    });
  });
});

describe('the signing key', () => {
  it('is made once, mode 0600, and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringwatch-key-'));
    try {
      expect(readSigningKey(join(dir, 'data'))).toBeNull();
      expect(() => statSync(join(dir, 'data'))).toThrow(/ENOENT/);
      const first = loadOrCreateSigningKey(join(dir, 'data'));
      expect(statSync(join(dir, 'data', 'signing-key.pem')).mode & 0o777).toBe(0o600);
      const second = loadOrCreateSigningKey(join(dir, 'data'));
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(readSigningKey(join(dir, 'data'))?.fingerprint).toBe(first.fingerprint);
      expect(first.fingerprint).toMatch(/^SHA256:[0-9a-f]{64}$/);
      expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
