import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RingwatchError } from '../errors.ts';
import { loadDataDir } from '../config.ts';
import type { KeySource } from '../evidence/bagit.ts';
import { publicKeyFingerprint, readSigningKey, SIGNING_KEY_FILE } from '../evidence/signing.ts';

/** The public key a signature (a package's, a checkpoint's) is checked against, and where it came from. */
export interface TrustedKey {
  key: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
  source: KeySource;
  file: string;
}

/**
 * The one key `verify` and `audit verify` trust: the one the user gave (`--public-key`, a PEM
 * public key), else the signing key of the service installed here (its data folder,
 * RINGWATCH_DATA_DIR), read and never made. A given key replaces the service key rather than
 * joining it, so that what was checked is what was asked for. Null when there is neither: whatever
 * a package or checkpoint carries is never a candidate, because whoever made it chose it.
 */
export function trustedKey(publicKeyFile: string | undefined): TrustedKey | null {
  if (publicKeyFile !== undefined) {
    let key: KeyObject;
    try {
      key = createPublicKey(readFileSync(publicKeyFile, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'not a PEM public key';
      throw new RingwatchError('INPUT_INVALID', `cannot use ${publicKeyFile} as the public key: ${reason}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new RingwatchError('INPUT_INVALID', `${publicKeyFile} is not an Ed25519 public key`);
    return { key, publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: publicKeyFingerprint(key), source: 'given', file: resolve(publicKeyFile) };
  }
  // The same folder the service resolves, so that beside it this is the key it signs with.
  const dataDir = loadDataDir();
  const service = readSigningKey(dataDir);
  if (!service) return null;
  const key = createPublicKey(service.publicKeyPem);
  return { key, publicKeyPem: service.publicKeyPem, fingerprint: service.fingerprint, source: 'service', file: join(dataDir, SIGNING_KEY_FILE) };
}

/** Where a trusted key came from, in words. */
export function describeTrustedKey(trusted: TrustedKey): string {
  return `${trusted.source === 'given' ? 'the key you gave' : "this installation's signing key"}, ${trusted.file}`;
}

/** Why nothing could be checked when `trustedKey` found no key. */
export function noTrustedKeyMessage(): string {
  const missing = join(loadDataDir(), SIGNING_KEY_FILE);
  return (
    "no trusted key was given: pass --public-key FILE (the service's public key, from `ringwatch keys signing-key`), " +
    `or set RINGWATCH_DATA_DIR to the data folder of the service that signed it (there is no ${missing}); what a package or checkpoint carries is never trusted`
  );
}
