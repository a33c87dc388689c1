import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RingwatchError } from '../errors.ts';

/** The service's Ed25519 key that signs evidence packages. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** `SHA256:<hex>` of the public key's DER (SPKI) bytes. */
  fingerprint: string;
}

/** Where the service keeps its private signing key inside the data folder. */
export const SIGNING_KEY_FILE = 'signing-key.pem';

/** `SHA256:<hex>` of a public key's DER (SPKI) bytes: what a recipient compares out of band. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

function toSigningKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new RingwatchError('CONFIG_INVALID', 'the signing key is not an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: publicKeyFingerprint(publicKey) };
}

/**
 * The service's signing key from `<dataDir>/signing-key.pem`, or null when there is none. Never
 * creates one: a check (`ringwatch verify`) must not leave a private key behind where it looked,
 * nor have a key it just made stand in for the service's.
 */
export function readSigningKey(dataDir: string): SigningKey | null {
  const file = join(dataDir, SIGNING_KEY_FILE);
  try {
    return toSigningKey(createPrivateKey(readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (error instanceof RingwatchError) throw error;
    throw new RingwatchError('CONFIG_INVALID', `cannot read the signing key ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The service's Ed25519 signing key: read from `<dataDir>/signing-key.pem`, or made there once
 * (mode 0600, created exclusively so that two processes starting together keep one key).
 */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const existing = readSigningKey(dataDir);
  if (existing) return existing;
  const file = join(dataDir, SIGNING_KEY_FILE);
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    const other = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSigningKey(dataDir) : null;
    if (other) return other;
    throw error;
  }
  return toSigningKey(privateKey);
}
