import type { Db } from './db.ts';
import { cypherStatements } from './cypher.ts';

/** The schema files applied, in order. Each statement is idempotent (IF NOT EXISTS). */
const SCHEMA_FILES = ['schema/constraints'];

/**
 * Applies every constraint and index idempotently and waits until the indexes are online, so that
 * the first MERGE after a migration already uses them. Returns how many statements ran.
 */
export async function migrate(db: Db): Promise<{ statements: number }> {
  let statements = 0;
  const session = db.driver.session({ database: db.database });
  try {
    for (const file of SCHEMA_FILES) {
      for (const statement of cypherStatements(file)) {
        // Schema statements cannot share a transaction with data writes; each runs on its own.
        await session.executeWrite((tx) => tx.run(statement), { metadata: { app: 'ringwatch:migrate' } });
        statements += 1;
      }
    }
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
  return { statements };
}
