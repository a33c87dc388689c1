import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { RingwatchError } from '../errors.ts';
import { verifyAuditChain } from '../audit/auditLog.ts';
import { parseCheckpoint, readLocalCheckpoint, takeCheckpoint, type AuditCheckpoint } from '../audit/checkpoints.ts';
import { loadDataDir } from '../config.ts';
import { loadOrCreateSigningKey } from '../evidence/signing.ts';
import { printJson, say, withDb } from './context.ts';
import { describeTrustedKey, trustedKey } from './trustedKey.ts';

/** `ringwatch audit verify|checkpoint`: the hash-chained audit log and its signed checkpoints. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('the hash-chained audit log of dossier reads and actions, and its signed checkpoints');
  audit
    .command('verify')
    .description(
      'check every event against its hash and its predecessor, and that the chain still extends every signed checkpoint ' +
        '(stored, kept in the data folder, or given); exit 1 at the first edited, deleted, inserted or cut event',
    )
    .option('--checkpoint <file>', 'a checkpoint kept outside the database (from `audit checkpoint --out`, an evidence package, /v1/transparency)')
    .option('--public-key <pem>', "the service's public key; default: the signing key in the data folder (RINGWATCH_DATA_DIR)")
    .option('--json', 'print the report as JSON')
    .action(async (opts: { checkpoint?: string; publicKey?: string; json?: boolean }) => {
      const trusted = trustedKey(opts.publicKey);
      const checkpoints: { checkpoint: AuditCheckpoint; source: string }[] = [];
      if (opts.checkpoint !== undefined) checkpoints.push({ checkpoint: readCheckpointFile(opts.checkpoint), source: opts.checkpoint });
      const local = readLocalCheckpoint(loadDataDir());
      if (typeof local === 'string') throw new RingwatchError('CONFIG_INVALID', `the data folder's audit checkpoint is unreadable: ${local}`);
      if (local) checkpoints.push({ checkpoint: local, source: 'the data folder' });
      const report = await withDb('cli:audit-verify', ({ db }) => verifyAuditChain(db, { trustedKey: trusted?.key, checkpoints }), {
        quiet: opts.json,
        allowSchemaViolations: true,
      });
      const result = { ...report, trustedKey: trusted ? { fingerprint: trusted.fingerprint, source: trusted.source, file: trusted.file } : null };
      if (opts.json) printJson(result);
      else if (report.ok) {
        const anchor = report.extendsCheckpoint ? `, extending the checkpoint of event ${report.extendsCheckpoint.seq} (${report.extendsCheckpoint.at})` : '';
        say(`audit chain intact: ${report.events} events${anchor}; ${report.checkpointsChecked} signed checkpoints checked${trusted ? ` under ${trusted.fingerprint} (${describeTrustedKey(trusted)})` : ''}`);
        for (const warning of report.warnings) say(`warning: ${warning}`);
      } else say(`audit chain BROKEN at event ${report.firstBreak?.seq}: ${report.firstBreak?.reason}`);
      if (!report.ok) process.exitCode = 1;
    });
  audit
    .command('checkpoint')
    .description('sign the chain\'s head now if it moved (at most once a second), and export the latest signed checkpoint')
    .option('--out <file>', 'write the checkpoint to this file (default: print it on stdout)')
    .action(async (opts: { out?: string }) => {
      const dataDir = loadDataDir();
      const signingKey = loadOrCreateSigningKey(dataDir);
      const checkpoint = await withDb('cli:audit-checkpoint', ({ db }) => takeCheckpoint({ db, signingKey, clock: () => new Date(), dataDir }), { quiet: true });
      if (!checkpoint) throw new RingwatchError('NOT_FOUND', 'the audit chain is empty: there is nothing to checkpoint yet');
      if (opts.out === undefined) printJson(checkpoint);
      else {
        writeFileSync(opts.out, `${JSON.stringify(checkpoint, null, 2)}\n`);
        say(`checkpoint of event ${checkpoint.seq} (${checkpoint.at}) signed by ${checkpoint.keyFingerprint} written to ${opts.out}`);
      }
    });
  return audit;
}

function readCheckpointFile(file: string): AuditCheckpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RingwatchError('INPUT_INVALID', `cannot read the checkpoint ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const checkpoint = parseCheckpoint(text);
  if (typeof checkpoint === 'string') throw new RingwatchError('INPUT_INVALID', `${file} is ${checkpoint}`);
  return checkpoint;
}
