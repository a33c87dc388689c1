import { inject } from 'vitest';
import { Db } from '../../src/graph/db.ts';
import { migrate } from '../../src/graph/migrations.ts';

/**
 * A Db on the run's test Neo4j with the schema applied and every node deleted: suites run one
 * after another (fileParallelism is off) and each starts from an empty graph.
 */
export async function freshDb(): Promise<Db> {
  const db = new Db(inject('neo4j'));
  await migrate(db);
  await clearGraph(db);
  return db;
}

/** Deletes every node and relationship in batches, so large test graphs do not need one huge transaction. */
export async function clearGraph(db: Db): Promise<void> {
  const session = db.driver.session({ database: db.database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}
