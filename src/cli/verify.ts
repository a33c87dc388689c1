import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { RingwatchError } from '../errors.ts';
import { verifySignedBag } from '../http/package/bagit.ts';
import { printJson, say } from './context.ts';

/** `ringwatch verify FILE`: check an evidence package offline. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('check a referral evidence package offline: its BagIt structure, every hash, and its Ed25519 signature; exit 0 only if every byte is as signed')
    .argument('<file>', 'the package (.zip) as downloaded')
    .option('--public-key <pem>', "the service's public key (from `ringwatch keys signing-key`); without it only self-consistency is checked")
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { publicKey?: string; json?: boolean }) => {
      const read = (path: string, what: string) => {
        try {
          return readFileSync(path);
        } catch (error) {
          throw new RingwatchError('INPUT_INVALID', `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
      };
      const archive = read(file, 'the package');
      const publicKey = opts.publicKey === undefined ? undefined : read(opts.publicKey, 'the public key').toString('utf8');
      const report = verifySignedBag(new Uint8Array(archive), publicKey);
      if (opts.json) printJson(report);
      else if (report.ok) {
        say(`OK: ${report.bag}: ${report.payloadFiles} payload files, every byte as signed by ${report.signerFingerprint} (${report.keySource === 'given' ? 'the key you gave' : 'the key inside the package'})`);
        for (const warning of report.warnings) say(`warning: ${warning}`);
      } else say(`FAILED: ${report.problem}`);
      if (!report.ok) process.exitCode = 1;
    });
}
