import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../canonical.ts';
import { publicKeyFingerprint } from './signing.ts';

/**
 * BagIt (RFC 8493) bags in one zip archive, signed. The bag is one top-level folder holding
 * `bagit.txt`, `bag-info.txt`, the payload under `data/`, `manifest-sha256.txt` (a hash of every
 * payload file), `tagmanifest-sha256.txt` (a hash of every tag file, the manifest included),
 * `signing-key.pub` (PEM) and `signature.ed25519`: the base64 Ed25519 signature over the bytes of
 * tagmanifest-sha256.txt. So one signature covers every byte of the bag but itself.
 */

export const BAGIT_DECLARATION = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const SIGNATURE_FILE = 'signature.ed25519';
export const PUBLIC_KEY_FILE = 'signing-key.pub';
const REQUIRED_TAG_FILES = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', SIGNATURE_FILE, PUBLIC_KEY_FILE];

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
  return zipSync(entries, { level: 6, mtime });
}

export interface BagVerification {
  /** True only when every byte is as signed. */
  ok: boolean;
  bag: string | null;
  /** `given`: checked against the key the recipient supplied; `embedded`: only self-consistent. */
  keySource: 'given' | 'embedded' | null;
  signerFingerprint: string | null;
  payloadFiles: number;
  /** The first discrepancy found, when not ok. */
  problem: string | null;
  warnings: string[];
}

/**
 * Checks a signed bag offline: the archive's shape, the signature over the tag manifest (with the
 * recipient's public key, else the embedded one), every tag manifest line, every manifest line,
 * that no payload file is unlisted, and Payload-Oxum. Stops at the first discrepancy.
 */
export function verifySignedBag(archive: Uint8Array, trustedPublicKeyPem?: string): BagVerification {
  const result: BagVerification = { ok: false, bag: null, keySource: null, signerFingerprint: null, payloadFiles: 0, problem: null, warnings: [] };
  const fail = (problem: string): BagVerification => ({ ...result, ok: false, problem });
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive);
  } catch (error) {
    return fail(`not a readable zip archive (${(error as Error).message})`);
  }
  const files = new Map<string, Uint8Array>();
  let bag: string | null = null;
  for (const [path, content] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
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

  // 1. The signature over the tag manifest.
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(trustedPublicKeyPem ?? text(PUBLIC_KEY_FILE));
  } catch {
    return fail(trustedPublicKeyPem ? 'the given public key is not a PEM public key' : `${PUBLIC_KEY_FILE} is not a PEM public key`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return fail('the public key is not an Ed25519 key');
  result.keySource = trustedPublicKeyPem ? 'given' : 'embedded';
  result.signerFingerprint = publicKeyFingerprint(publicKey);
  const signatureText = text(SIGNATURE_FILE).trim();
  const signature = Buffer.from(signatureText, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText) || signature.length !== 64) return fail(`${SIGNATURE_FILE} is not a base64 Ed25519 signature`);
  if (!verify(null, files.get('tagmanifest-sha256.txt') as Uint8Array, publicKey, signature)) {
    return fail(`the signature does not match tagmanifest-sha256.txt under the ${result.keySource} key ${result.signerFingerprint}`);
  }

  // 2. The tag manifest: every tag file but the signature and itself, each as hashed.
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

  // 3. The payload manifest: every payload file listed and as hashed.
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

  if (trustedPublicKeyPem) {
    const embedded = safeFingerprint(text(PUBLIC_KEY_FILE));
    if (embedded !== result.signerFingerprint) result.warnings.push(`the embedded ${PUBLIC_KEY_FILE} (${embedded ?? 'unreadable'}) is not the key it was checked with`);
  } else {
    result.warnings.push(`checked with the key inside the package only: the package is self-consistent, but anyone could have made it; compare ${result.signerFingerprint} with the service's published fingerprint, or pass --public-key`);
  }
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
