import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { inflateSync, strFromU8, strToU8, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../canonical.ts';
import { publicKeyFingerprint } from './signing.ts';

/**
 * BagIt (RFC 8493) bags in one zip archive, signed. The bag is one top-level folder holding
 * `bagit.txt`, `bag-info.txt`, the payload under `data/`, `manifest-sha256.txt` (a hash of every
 * payload file), `tagmanifest-sha256.txt` (a hash of every tag file, the manifest included),
 * `signing-key.pub` (PEM) and `signature.ed25519`: the base64 Ed25519 signature over the bytes of
 * tagmanifest-sha256.txt. So one signature covers every byte of the bag but itself, and an
 * extracted bag stays checkable.
 *
 * That signature says nothing about the zip around the bag: a zip reader skips bytes it is not
 * pointed at, takes one of two entries with the same name, and fflate's reader checks no CRC-32,
 * so changed container bytes went unnoticed. So the archive is signed as well: the zip's
 * end-of-central-directory comment is `ringwatch-signature-v1 ed25519 <base64>`, the Ed25519
 * signature over every byte of the file before that comment (the comment's length field
 * included). A verifier checks that signature first, with a key it trusts, and only then reads the
 * zip, strictly: with the comment's length fixed and its text canonical, a package verifies only
 * as the exact bytes the signer made.
 */

export const BAGIT_DECLARATION = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const SIGNATURE_FILE = 'signature.ed25519';
export const PUBLIC_KEY_FILE = 'signing-key.pub';
const REQUIRED_TAG_FILES = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', SIGNATURE_FILE, PUBLIC_KEY_FILE];

export const ARCHIVE_SIGNATURE_PREFIX = 'ringwatch-signature-v1 ed25519 ';
/** The comment's length: the prefix and 64 bytes in base64 (86 digits and `==`). */
export const ARCHIVE_SIGNATURE_LENGTH = ARCHIVE_SIGNATURE_PREFIX.length + 88;
const ARCHIVE_SIGNATURE = new RegExp(`^${ARCHIVE_SIGNATURE_PREFIX}([A-Za-z0-9+/]{86}==)$`);

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const EOCD_LENGTH = 22;
/** General purpose flag bit 11: the entry's name is UTF-8. */
const UTF8_NAME = 0x800;

export interface BagInput {
  /** The top-level folder's name. */
  name: string;
  /** Payload files by their path under data/ (e.g. `dossier.json`). */
  payload: Record<string, Uint8Array | string>;
  /** bag-info.txt fields, in order (Payload-Oxum and Bag-Size are added). Values must be one line. */
  info: [string, string][];
  /** Timestamps of the archive's entries, so that the same bag gives the same bytes. */
  createdAt: Date;
  privateKey: KeyObject;
  publicKeyPem: string;
}

const bytes = (content: Uint8Array | string): Uint8Array => (typeof content === 'string' ? strToU8(content) : content);

/** RFC 8493 §2.1.3: paths in manifests percent-encode CR, LF and %. */
const encodeManifestPath = (path: string) => path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const decodeManifestPath = (path: string) => path.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');

function manifest(files: [string, Uint8Array][]): string {
  return files.map(([path, content]) => `${sha256Hex(content)}  ${encodeManifestPath(path)}\n`).join('');
}

/** Builds the signed bag as zip bytes. */
export function buildSignedBag(input: BagInput): Uint8Array {
  const payload = Object.entries(input.payload)
    .map(([path, content]): [string, Uint8Array] => [`data/${path}`, bytes(content)])
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [, value] of input.info) if (/[\r\n]/.test(value)) throw new Error('bag-info values must be one line');
  const octets = payload.reduce((sum, [, content]) => sum + content.length, 0);
  const info = [...input.info, ['Payload-Oxum', `${octets}.${payload.length}`], ['Bag-Size', `${octets} bytes`]]
    .map(([label, value]) => `${label}: ${value}\n`)
    .join('');
  const tagFiles: [string, Uint8Array][] = [
    ['bagit.txt', strToU8(BAGIT_DECLARATION)],
    ['bag-info.txt', strToU8(info)],
    ['manifest-sha256.txt', strToU8(manifest(payload))],
    [PUBLIC_KEY_FILE, strToU8(input.publicKeyPem)],
  ];
  const tagmanifest = strToU8(manifest(tagFiles));
  const signature = sign(null, tagmanifest, input.privateKey);
  const entries: Zippable = {};
  const mtime = input.createdAt;
  for (const [path, content] of [...tagFiles, ['tagmanifest-sha256.txt', tagmanifest] as const, [SIGNATURE_FILE, strToU8(`${signature.toString('base64')}\n`)] as const, ...payload]) {
    entries[`${input.name}/${path}`] = [content, { mtime }];
  }
  return sealArchive(zipSync(entries, { level: 6, mtime }), input.privateKey);
}

/** Signs a zip that has no archive comment yet, putting the signature in as its comment. */
export function sealArchive(zip: Uint8Array, privateKey: KeyObject): Uint8Array {
  const end = zip.length - EOCD_LENGTH;
  if (end < 0 || readU32(zip, end) !== END_OF_CENTRAL_DIRECTORY || readU16(zip, end + 20) !== 0) throw new Error('sealArchive needs a zip that ends with an end-of-central-directory record and no comment');
  const sealed = new Uint8Array(zip.length + ARCHIVE_SIGNATURE_LENGTH);
  sealed.set(zip);
  sealed[end + 20] = ARCHIVE_SIGNATURE_LENGTH & 0xff;
  sealed[end + 21] = ARCHIVE_SIGNATURE_LENGTH >>> 8;
  const signature = sign(null, sealed.subarray(0, zip.length), privateKey);
  sealed.set(strToU8(`${ARCHIVE_SIGNATURE_PREFIX}${signature.toString('base64')}`), zip.length);
  return sealed;
}

const readU16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const readU32 = (b: Uint8Array, at: number) => (readU16(b, at) | (readU16(b, at + 2) << 16)) >>> 0;

/** The signed part of the archive (all of it but the signature comment), or why it is not as signed. */
function checkArchiveSignature(archive: Uint8Array, publicKey: KeyObject, keyName: string): Uint8Array | string {
  const signedLength = archive.length - ARCHIVE_SIGNATURE_LENGTH;
  const comment = signedLength < EOCD_LENGTH ? null : ARCHIVE_SIGNATURE.exec(Buffer.from(archive.subarray(signedLength)).toString('latin1'));
  if (!comment) return `not a signed ringwatch package: the file does not end with a "${ARCHIVE_SIGNATURE_PREFIX.trim()}" zip comment`;
  const signature = Buffer.from(comment[1] as string, 'base64');
  // Base64 decoders ignore the unused low bits of the last digit: only one spelling is the signature.
  if (signature.toString('base64') !== comment[1]) return 'not a signed ringwatch package: the archive signature is not canonical base64';
  const signed = archive.subarray(0, signedLength);
  if (!verify(null, signed, publicKey, signature)) return `the archive signature does not match under the ${keyName}: the file is not, byte for byte, as that key signed it`;
  return signed;
}

/**
 * The files of a zip (signed, so made by the service's zipSync) read so that no two zip readers
 * could see different files: every byte belongs to one entry, the central directory or its end
 * record; each central entry matches its local header; names are unique; every CRC-32 and size holds.
 */
function readZipStrictly(zip: Uint8Array): Map<string, Uint8Array> | string {
  const end = zip.length - EOCD_LENGTH;
  if (readU32(zip, end) !== END_OF_CENTRAL_DIRECTORY) return 'no end-of-central-directory record before the signature';
  const [disk, centralDisk, onDisk, total] = [4, 6, 8, 10].map((at) => readU16(zip, end + at)) as [number, number, number, number];
  const centralSize = readU32(zip, end + 12);
  const centralStart = readU32(zip, end + 16);
  if (disk !== 0 || centralDisk !== 0 || onDisk !== total) return 'a multi-disk archive';
  if (centralStart + centralSize !== end) return 'bytes between the central directory and its end record';
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const files = new Map<string, Uint8Array>();
  let local = 0;
  let central = centralStart;
  for (let index = 1; index <= total; index++) {
    if (central + 46 > end || readU32(zip, central) !== CENTRAL_HEADER) return `central directory entry ${index} is not where the previous one ends`;
    const nameLength = readU16(zip, central + 28);
    const entry = `entry ${index}`;
    if (readU16(zip, central + 30) !== 0 || readU16(zip, central + 32) !== 0 || readU16(zip, central + 34) !== 0) return `${entry}: extra fields, a comment or a disk number`;
    if (readU32(zip, central + 42) !== local) return `${entry} is not where the previous one ends`;
    if (local + 30 > centralStart || readU32(zip, local) !== LOCAL_HEADER) return `${entry}: no local header where the central directory says`;
    // Version needed, flags, method, time, date, CRC-32, sizes, name length: the same 24 bytes in both.
    if (!equalBytes(zip.subarray(local + 4, local + 28), zip.subarray(central + 6, central + 30)) || readU16(zip, local + 28) !== 0) return `${entry}: its local header does not match its central directory entry`;
    const nameBytes = zip.subarray(central + 46, central + 46 + nameLength);
    if (!equalBytes(nameBytes, zip.subarray(local + 30, local + 30 + nameLength))) return `${entry}: its local header does not match its central directory entry`;
    const flags = readU16(zip, local + 6);
    const method = readU16(zip, local + 8);
    const crc = readU32(zip, local + 14);
    const compressedSize = readU32(zip, local + 18);
    const size = readU32(zip, local + 22);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      return `${entry}: its name is not UTF-8`;
    }
    // Without the flag, readers take the name as CP437: a non-ASCII name must say it is UTF-8.
    if ((flags & ~UTF8_NAME) !== 0 || Boolean(flags & UTF8_NAME) !== /[^\x00-\x7f]/.test(name)) return `${entry} (${name}): unexpected general purpose flags ${flags}`;
    const dataStart = local + 30 + nameLength;
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > centralStart) return `${entry} (${name}) runs into the central directory`;
    let content: Uint8Array;
    try {
      if (method === 0) content = zip.subarray(dataStart, dataEnd);
      else if (method === 8) content = inflateSync(zip.subarray(dataStart, dataEnd));
      else return `${entry} (${name}): compression method ${method}`;
    } catch (error) {
      return `${entry} (${name}) does not decompress (${(error as Error).message})`;
    }
    if (content.length !== size) return `${entry} (${name}) is ${content.length} bytes, not the ${size} its header says`;
    if (crc32(content) !== crc) return `${entry} (${name}) fails its CRC-32`;
    if (files.has(name)) return `${name} is in the archive twice`;
    files.set(name, content);
    local = dataEnd;
    central += 46 + nameLength;
  }
  if (central !== end) return 'the central directory holds more than its end record counts';
  if (local !== centralStart) return 'bytes between the last entry and the central directory';
  return files;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

// zlib.crc32 arrived in Node 20.15; the engines field allows any Node 20.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Where the trusted key came from: given by the recipient, or the signing key of the service on this machine. */
export type KeySource = 'given' | 'service';

export interface BagVerification {
  /** True only when every byte of the file is as signed by the trusted key. */
  ok: boolean;
  bag: string | null;
  keySource: KeySource | null;
  /** The trusted key's fingerprint: the package verifies only if that key signed it. */
  signerFingerprint: string | null;
  payloadFiles: number;
  /** The first discrepancy found, when not ok. */
  problem: string | null;
  warnings: string[];
}

/**
 * Checks a signed package offline against a key the caller trusts (never the one inside it, which
 * whoever made the package chose): the archive signature over every byte, then the zip read
 * strictly, then the bag: the signature over the tag manifest, every tag manifest line, every
 * manifest line, that no payload file is unlisted, and Payload-Oxum. Stops at the first discrepancy.
 * Without a key the answer is a failure that says so, never a check against the embedded key.
 */
export function verifySignedBag(archive: Uint8Array, trustedPublicKeyPem?: string, keySource: KeySource = 'given'): BagVerification {
  const result: BagVerification = { ok: false, bag: null, keySource: null, signerFingerprint: null, payloadFiles: 0, problem: null, warnings: [] };
  const fail = (problem: string): BagVerification => ({ ...result, ok: false, problem });
  if (trustedPublicKeyPem === undefined) return fail(`no trusted key was given, and the key inside the package (${PUBLIC_KEY_FILE}) proves nothing about who made it`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(trustedPublicKeyPem);
  } catch {
    return fail('the trusted key is not a PEM public key');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return fail('the trusted key is not an Ed25519 key');
  result.keySource = keySource;
  result.signerFingerprint = publicKeyFingerprint(publicKey);
  const keyName = `${keySource} key ${result.signerFingerprint}`;

  // 1. The archive signature, before anything reads the zip: unsigned bytes are never parsed.
  const signed = checkArchiveSignature(archive, publicKey, keyName);
  if (typeof signed === 'string') return fail(signed);
  const entries = readZipStrictly(signed);
  if (typeof entries === 'string') return fail(`the zip is not as ringwatch writes it: ${entries}`);

  const files = new Map<string, Uint8Array>();
  let bag: string | null = null;
  for (const [path, content] of entries) {
    if (path.endsWith('/') && content.length === 0) continue;
    const slash = path.indexOf('/');
    if (slash <= 0 || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      return fail(`unexpected entry outside one bag folder: ${JSON.stringify(path)}`);
    }
    const top = path.slice(0, slash);
    if (bag !== null && top !== bag) return fail(`more than one top-level folder (${bag}, ${top})`);
    bag = top;
    files.set(path.slice(slash + 1), content);
  }
  result.bag = bag;
  if (bag === null) return fail('the archive is empty');
  for (const required of REQUIRED_TAG_FILES) if (!files.has(required)) return fail(`${required} is missing`);
  const text = (path: string) => strFromU8(files.get(path) as Uint8Array);
  if (text('bagit.txt') !== BAGIT_DECLARATION) return fail('bagit.txt is not a BagIt 1.0 UTF-8 declaration');

  // 2. The signature over the tag manifest, which is what an extracted bag keeps.
  const signatureText = text(SIGNATURE_FILE).trim();
  const signature = Buffer.from(signatureText, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText) || signature.length !== 64) return fail(`${SIGNATURE_FILE} is not a base64 Ed25519 signature`);
  if (!verify(null, files.get('tagmanifest-sha256.txt') as Uint8Array, publicKey, signature)) {
    return fail(`the signature does not match tagmanifest-sha256.txt under the ${keyName}`);
  }

  // 3. The tag manifest: every tag file but the signature and itself, each as hashed.
  const tagLines = parseManifest(text('tagmanifest-sha256.txt'));
  if (typeof tagLines === 'string') return fail(`tagmanifest-sha256.txt: ${tagLines}`);
  for (const [path, hash] of tagLines) {
    const content = files.get(path);
    if (!content) return fail(`tagmanifest-sha256.txt lists ${path}, which is missing`);
    if (sha256Hex(content) !== hash) return fail(`${path} does not match its hash in tagmanifest-sha256.txt`);
  }
  for (const path of files.keys()) {
    if (!path.startsWith('data/') && path !== SIGNATURE_FILE && path !== 'tagmanifest-sha256.txt' && !tagLines.has(path)) {
      return fail(`tag file ${path} is not in tagmanifest-sha256.txt`);
    }
  }

  // 4. The payload manifest: every payload file listed and as hashed.
  const lines = parseManifest(text('manifest-sha256.txt'));
  if (typeof lines === 'string') return fail(`manifest-sha256.txt: ${lines}`);
  for (const [path, hash] of lines) {
    if (!path.startsWith('data/')) return fail(`manifest-sha256.txt lists ${path}, outside data/`);
    const content = files.get(path);
    if (!content) return fail(`manifest-sha256.txt lists ${path}, which is missing`);
    if (sha256Hex(content) !== hash) return fail(`${path} does not match its hash in manifest-sha256.txt`);
  }
  let octets = 0;
  let count = 0;
  for (const [path, content] of files) {
    if (!path.startsWith('data/')) continue;
    if (!lines.has(path)) return fail(`payload file ${path} is not in manifest-sha256.txt`);
    octets += content.length;
    count += 1;
  }
  result.payloadFiles = count;
  const oxum = /^Payload-Oxum: (\d+)\.(\d+)$/m.exec(text('bag-info.txt'));
  if (!oxum) return fail('bag-info.txt has no Payload-Oxum');
  if (Number(oxum[1]) !== octets || Number(oxum[2]) !== count) return fail(`Payload-Oxum says ${oxum[1]}.${oxum[2]} but the payload is ${octets}.${count}`);

  const embedded = safeFingerprint(text(PUBLIC_KEY_FILE));
  if (embedded !== result.signerFingerprint) result.warnings.push(`the embedded ${PUBLIC_KEY_FILE} (${embedded ?? 'unreadable'}) is not the key it was checked with`);
  return { ...result, ok: true };
}

function safeFingerprint(pem: string): string | null {
  try {
    return publicKeyFingerprint(createPublicKey(pem));
  } catch {
    return null;
  }
}

/** path → hash, or the reason the manifest cannot be read. */
function parseManifest(content: string): Map<string, string> | string {
  const lines = new Map<string, string>();
  if (content.length > 0 && !content.endsWith('\n')) return 'the last line has no line end';
  for (const [index, line] of content.split('\n').slice(0, -1).entries()) {
    const match = /^([0-9a-f]{64})[ \t]+(\S.*)$/.exec(line);
    if (!match) return `line ${index + 1} is not "<sha256> <path>"`;
    const path = decodeManifestPath(match[2] as string);
    if (lines.has(path)) return `${path} is listed twice`;
    lines.set(path, match[1] as string);
  }
  return lines;
}
