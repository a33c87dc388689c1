import { Neo4jError } from 'neo4j-driver';
import { RingwatchError } from '../errors.ts';
import type { Db } from './db.ts';
import { cypherStatements } from './cypher.ts';

/**
 * The schema files applied, in order. Each statement is idempotent: constraints and indexes IF NOT
 * EXISTS, then the upgrades of data an earlier version wrote (each touching only what is still in
 * the old shape).
 */
const SCHEMA_FILES = ['schema/constraints', 'schema/upgrades'];

export interface MigrateOptions {
  /**
   * Go on when the data already breaks a constraint (someone dropped it and wrote twins), and
   * report it instead: for `ringwatch audit verify`, whose job is to find and name such damage.
   */
  allowViolations?: boolean;
}

/**
 * Applies every constraint and index idempotently and waits until the indexes are online, so that
 * the first MERGE after a migration already uses them. Returns how many statements ran and the
 * constraints the data breaks (only with `allowViolations`; otherwise that is an error).
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<{ statements: number; violations: string[] }> {
  let statements = 0;
  const violations: string[] = [];
  const session = db.driver.session({ database: db.database });
  try {
    for (const file of SCHEMA_FILES) {
      for (const statement of cypherStatements(file)) {
        // Schema statements cannot share a transaction with data writes; each runs on its own.
        try {
          await session.executeWrite((tx) => tx.run(statement), { metadata: { app: 'ringwatch:migrate' } });
        } catch (error) {
          if (!(error instanceof Neo4jError && error.code === 'Neo.DatabaseError.Schema.ConstraintCreationFailed')) throw error;
          const name = /CONSTRAINT (\w+)/.exec(statement)?.[1] ?? statement;
          if (!options.allowViolations) {
            throw new RingwatchError('NEO4J_CLIENT', `the graph breaks the key constraint ${name} (it was dropped and duplicates were written); \`ringwatch audit verify\` names audit twins`, { cause: error });
          }
          violations.push(name);
        }
        statements += 1;
      }
    }
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
  return { statements, violations };
}
