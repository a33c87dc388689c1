import { Command } from 'commander';
import { verifyAuditChain } from '../http/audit/auditLog.ts';
import { printJson, say, withDb } from './context.ts';

/** `ringwatch audit verify`: walk the hash-chained audit log. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('the hash-chained audit log of dossier reads and actions');
  audit
    .command('verify')
    .description('check every event against its hash and its predecessor; exit 1 at the first edited or deleted one')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await withDb('cli:audit-verify', ({ db }) => verifyAuditChain(db), { quiet: opts.json });
      if (opts.json) printJson(report);
      else if (report.ok) say(`audit chain intact: ${report.events} events`);
      else say(`audit chain BROKEN at event ${report.firstBreak?.seq}: ${report.firstBreak?.reason}`);
      if (!report.ok) process.exitCode = 1;
    });
  return audit;
}
