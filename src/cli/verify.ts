import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RingwatchError } from '../errors.ts';
import { loadApiConfig } from '../http/config.ts';
import { verifySignedBag, type KeySource } from '../http/package/bagit.ts';
import { readSigningKey, SIGNING_KEY_FILE } from '../http/package/signing.ts';
import { printJson, say } from './context.ts';

interface TrustedKey {
  pem: string;
  source: KeySource;
  file: string;
}

const read = (path: string, what: string) => {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new RingwatchError('INPUT_INVALID', `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

/**
 * The one key a package is checked against: the one given, else this machine's service key. A
 * given key replaces the service key rather than joining it, so that what was checked is what
 * was asked for. The key inside the package is never a candidate: whoever made the package chose it.
 */
function chooseTrustedKey(publicKeyFile: string | undefined): TrustedKey {
  if (publicKeyFile !== undefined) return { pem: read(publicKeyFile, 'the public key').toString('utf8'), source: 'given', file: resolve(publicKeyFile) };
  // The same folder the service resolves, so that beside it this is the key it signs with.
  const dataDir = loadApiConfig().dataDir;
  const key = readSigningKey(dataDir);
  if (!key) {
    throw new RingwatchError(
      'INPUT_INVALID',
      `no trusted key was given: pass --public-key FILE (the service's public key, from \`ringwatch keys signing-key\`), or set RINGWATCH_DATA_DIR to the data folder of the service that made the package (there is no ${join(dataDir, SIGNING_KEY_FILE)}); the key inside the package is never trusted`,
    );
  }
  return { pem: key.publicKeyPem, source: 'service', file: join(dataDir, SIGNING_KEY_FILE) };
}

/** `ringwatch verify FILE`: check an evidence package offline. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('check a referral evidence package offline against a key you trust: exit 0 only if every byte of the file is as that key signed it')
    .argument('<file>', 'the package (.zip) as downloaded')
    .option('--public-key <pem>', "a file with the service's public key (from `ringwatch keys signing-key`); without it, the signing key of the service whose RINGWATCH_DATA_DIR this machine has")
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { publicKey?: string; json?: boolean }) => {
      const key = chooseTrustedKey(opts.publicKey);
      const report = { ...verifySignedBag(new Uint8Array(read(file, 'the package')), key.pem, key.source), keyFile: key.file };
      if (opts.json) printJson(report);
      else if (report.ok) {
        const origin = key.source === 'given' ? 'the key you gave' : "this machine's service signing key";
        say(`OK: ${report.bag}: ${report.payloadFiles} payload files; every byte of ${file} is as signed by ${report.signerFingerprint} (${origin}, ${key.file})`);
        for (const warning of report.warnings) say(`warning: ${warning}`);
      } else say(`FAILED: ${report.problem}`);
      if (!report.ok) process.exitCode = 1;
    });
}
