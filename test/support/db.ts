import { createHash } from 'node:crypto';
import { inject } from 'vitest';
import { Db, toPlain } from '../../src/graph/db.ts';
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

/**
 * A fingerprint of the whole (small) graph: every node with its labels and properties, every
 * relationship with its type, properties and end nodes, canonicalised and sorted. Two loads that
 * leave the same graph give the same fingerprint. A seller's `changedAt` is the time of the load
 * that changed it (docs/live.md, "Incremental detection"), so only whether it is set counts here.
 */
export async function graphFingerprint(db: Db): Promise<{ nodes: number; relationships: number; digest: string; lines: string[] }> {
  const session = db.driver.session({ database: db.database });
  try {
    const nodes = await session.run('MATCH (n) RETURN labels(n) AS labels, properties(n) AS props, elementId(n) AS id');
    const ids = new Map<string, string>();
    const lines: string[] = [];
    for (const record of nodes.records) {
      const props = toPlain(record.get('props')) as Record<string, unknown>;
      if (props.changedAt !== undefined) props.changedAt = 'set';
      const line = `N ${canonical((record.get('labels') as string[]).sort())} ${canonical(props)}`;
      ids.set(record.get('id') as string, line);
      lines.push(line);
    }
    const rels = await session.run('MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, elementId(a) AS a, elementId(b) AS b');
    for (const record of rels.records) {
      lines.push(`R ${record.get('type')} ${canonical(toPlain(record.get('props')))} ${ids.get(record.get('a'))} -> ${ids.get(record.get('b'))}`);
    }
    lines.sort();
    return {
      nodes: nodes.records.length,
      relationships: rels.records.length,
      digest: createHash('sha256').update(lines.join('\n')).digest('hex'),
      lines,
    };
  } finally {
    await session.close();
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
