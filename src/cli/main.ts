import { Command, CommanderError } from 'commander';
import { RingwatchError } from '../errors.ts';
import { dbCommand } from './db.ts';
import { demoCommand } from './demo.ts';
import { detectCommand } from './detect.ts';
import { evalCommand } from './eval.ts';
import { generateCommand } from './generate.ts';
import { ingestCommand } from './ingest.ts';
import { ringsCommand } from './rings.ts';
import { neo4jCommand } from './neo4j.ts';
import { auditCommand } from './audit.ts';
import { keysCommand } from './keys.ts';
import { serveCommand } from './serve.ts';
import { verifyCommand } from './verify.ts';

/** Builds the `ringwatch` program; one file per subcommand, each thin over the modules it calls. */
export function buildProgram(): Command {
  const program = new Command('ringwatch')
    .description('find counterfeit-seller rings on a marketplace: load it into Neo4j, detect rings, serve dossiers')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [neo4jCommand(), dbCommand(), generateCommand(), ingestCommand(), detectCommand(), ringsCommand(), evalCommand(), demoCommand(), keysCommand(), serveCommand(), auditCommand(), verifyCommand()]) program.addCommand(command);
  return program;
}

/** One line a person can act on; Neo4j start failures add the log's last lines after it. */
export function describeError(error: unknown): string {
  if (error instanceof RingwatchError) return `ringwatch: ${error.message}`;
  if (error instanceof Error) return `ringwatch: unexpected error: ${error.message}`;
  return `ringwatch: unexpected error: ${String(error)}`;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`${describeError(error)}\n`);
    if (process.env.RINGWATCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
