import { Command } from 'commander';
import { migrate } from '../graph/migrations.ts';
import { printJson, say, withDb } from './context.ts';

/** `ringwatch db migrate`: apply constraints and indexes (also done at every command's start). */
export function dbCommand(): Command {
  const db = new Command('db').description('database schema');
  db.command('migrate')
    .description('create every constraint and index ringwatch relies on (idempotent)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withDb('cli:db-migrate', ({ db: database }) => migrate(database));
      if (opts.json) printJson(result);
      else say(`schema up to date (${result.statements} statements applied idempotently)`);
    });
  return db;
}
