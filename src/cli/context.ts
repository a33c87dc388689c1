import type { RingwatchConfig } from '../config.ts';
import type { Db, DbOptions } from '../graph/db.ts';
import type { ObtainedNeo4j } from '../graph/neo4jSource.ts';
import type { Logger } from '../log.ts';

export interface CommandContext {
  config: RingwatchConfig;
  db: Db;
  neo4j: ObtainedNeo4j;
  logger: Logger;
}

/** Writes one line of progress for people to stderr, so stdout stays clean for --json. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Prints a result as JSON on stdout, for scripts. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs a command that needs the database: finds Neo4j (NEO4J_URI, else the managed local one,
 * started if it is not running and left running for the next command), applies the schema, runs
 * `work`, and closes the driver whatever happens.
 */
export async function withDb<T>(
  app: string,
  work: (ctx: CommandContext) => Promise<T>,
  options: { quiet?: boolean; managedHome?: string; allowSchemaViolations?: boolean; db?: Omit<DbOptions, 'logger'> } = {},
): Promise<T> {
  // Imported here rather than at the top, so that a command which never opens the database
  // (verify) but prints through say() does not load neo4j-driver at its start.
  const [{ loadConfig }, { Db }, { migrate }, { chooseNeo4jSource, obtainNeo4j }, { createLogger }] = await Promise.all([
    import('../config.ts'),
    import('../graph/db.ts'),
    import('../graph/migrations.ts'),
    import('../graph/neo4jSource.ts'),
    import('../log.ts'),
  ]);
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel ?? 'warn' });
  const neo4j = await obtainNeo4j(chooseNeo4jSource(config, 'run', options.managedHome), { onProgress: options.quiet ? undefined : say });
  const db = new Db(neo4j.connection, { ...options.db, logger });
  try {
    await db.verify();
    const { violations } = await migrate(db, { allowViolations: options.allowSchemaViolations });
    if (violations.length > 0) logger.warn({ app, violations }, 'the graph breaks key constraints');
    logger.debug({ app, source: neo4j.source }, 'neo4j ready');
    return await work({ config, db, neo4j, logger });
  } finally {
    await db.close();
  }
}
