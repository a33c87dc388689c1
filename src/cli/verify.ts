import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { RingwatchError } from '../errors.ts';
import { verifySignedBag } from '../evidence/bagit.ts';
import { printJson, say } from './context.ts';
import { describeTrustedKey, noTrustedKeyMessage, trustedKey } from './trustedKey.ts';

const read = (path: string, what: string) => {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new RingwatchError('INPUT_INVALID', `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

/** `ringwatch verify FILE`: check an evidence package offline. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('check a referral evidence package offline against a key you trust: exit 0 only if every byte of the file is as that key signed it')
    .argument('<file>', 'the package (.zip) as downloaded')
    .option('--public-key <pem>', "a file with the service's public key (from `ringwatch keys signing-key`); without it, the signing key of the service whose RINGWATCH_DATA_DIR this machine has")
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { publicKey?: string; json?: boolean }) => {
      const key = trustedKey(opts.publicKey);
      if (!key) throw new RingwatchError('INPUT_INVALID', noTrustedKeyMessage());
      const report = { ...verifySignedBag(new Uint8Array(read(file, 'the package')), key.publicKeyPem, key.source), keyFile: key.file };
      if (opts.json) printJson(report);
      else if (report.ok) {
        say(`OK: ${report.bag}: ${report.payloadFiles} payload files; every byte of ${file} is as signed by ${report.signerFingerprint} (${describeTrustedKey(key)})`);
        for (const warning of report.warnings) say(`warning: ${warning}`);
      } else say(`FAILED: ${report.problem}`);
      if (!report.ok) process.exitCode = 1;
    });
}
