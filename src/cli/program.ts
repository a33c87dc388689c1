import { Command } from 'commander';
import { RingwatchError } from '../errors.ts';
import { VERSION } from '../version.ts';

/**
 * Every subcommand, with the line `ringwatch --help` shows for it and how to load it. A module is
 * imported only when its subcommand runs (or shows its own help), so that `ringwatch --help`,
 * `--version` and a command that needs no database do not load neo4j-driver, hono and zod first.
 * `summary` must be the command's own description (test/unit/cli/program.test.ts holds them equal).
 */
export const SUBCOMMANDS: ReadonlyArray<{ name: string; summary: string; load: () => Promise<Command> }> = [
  { name: 'neo4j', summary: "run a local Neo4j Community from Maven Central's jars (no Docker needed)", load: async () => (await import('./neo4j.ts')).neo4jCommand() },
  { name: 'db', summary: 'database schema', load: async () => (await import('./db.ts')).dbCommand() },
  { name: 'generate', summary: 'write a synthetic marketplace (sellers, listings, payment accounts, addresses, shipping links) with planted rings', load: async () => (await import('./generate.ts')).generateCommand() },
  { name: 'ingest', summary: 'load sellers, listings, payment_accounts, addresses and shipping_links (.ndjson or .csv) from DIR into Neo4j', load: async () => (await import('./ingest.ts')).ingestCommand() },
  { name: 'detect', summary: 'find rings: project sellers that share identifiers, run Louvain, score and explain each ring, write rings to Neo4j', load: async () => (await import('./detect.ts')).detectCommand() },
  { name: 'rings', summary: 'the rings of the last detection', load: async () => (await import('./rings.ts')).ringsCommand() },
  { name: 'eval', summary: 'compare the rings of the last detection with a truth file from `ringwatch generate`', load: async () => (await import('./eval.ts')).evalCommand() },
  { name: 'demo', summary: "generate a marketplace, load it into Neo4j, detect rings and show them (the README's first command)", load: async () => (await import('./demo.ts')).demoCommand() },
  { name: 'keys', summary: 'API keys (stored hashed in Neo4j) and the evidence-package signing key', load: async () => (await import('./keys.ts')).keysCommand() },
  { name: 'webhooks', summary: 'where `ringwatch serve` posts alerts (signed, retried, stored in Neo4j)', load: async () => (await import('./webhooks.ts')).webhooksCommand() },
  { name: 'serve', summary: 'serve the HTTP API (OpenAPI at /openapi.json, docs at /docs); stops gracefully on SIGTERM', load: async () => (await import('./serve.ts')).serveCommand() },
  { name: 'audit', summary: 'the hash-chained audit log of dossier reads and actions, and its signed checkpoints', load: async () => (await import('./audit.ts')).auditCommand() },
  { name: 'verify', summary: 'check a referral evidence package offline against a key you trust: exit 0 only if every byte of the file is as that key signed it', load: async () => (await import('./verify.ts')).verifyCommand() },
];

/** The subcommand `args` (argv without node and the script) runs or asks help for, if any. */
function requestedSubcommand(args: string[]): string | undefined {
  const first = args.find((arg) => !arg.startsWith('-'));
  return first === 'help' ? args[args.indexOf(first) + 1] : first;
}

/**
 * Builds the `ringwatch` program for `argv`: the subcommand it names is loaded in full, every
 * other one is listed by name and summary only. `ringwatch --help` thus loads no subcommand at all.
 */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('ringwatch')
    .description('find counterfeit-seller rings on a marketplace: load it into Neo4j, detect rings, serve dossiers')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const wanted = requestedSubcommand(argv.slice(2));
  for (const { name, summary, load } of SUBCOMMANDS) {
    program.addCommand(name === wanted ? (await load()).summary(summary) : new Command(name).description(summary));
  }
  return program;
}

/** One line a person can act on; Neo4j start failures add the log's last lines after it. */
export function describeError(error: unknown): string {
  if (error instanceof RingwatchError) return `ringwatch: ${error.message}`;
  if (error instanceof Error) return `ringwatch: unexpected error: ${error.message}`;
  return `ringwatch: unexpected error: ${String(error)}`;
}
