import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Db, mapDriverError, toPlain } from '../../src/graph/db.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { cypher } from '../../src/graph/cypher.ts';
import { freshDb } from '../support/db.ts';

describe('Db executor against a real Neo4j', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(async () => {
    await db.close();
  });

  it('reads through a managed transaction and returns plain values', async () => {
    const rows = await db.read('system/components');
    expect(rows[0]).toMatchObject({ name: 'Neo4j Kernel', edition: 'community' });
  });

  it('applies the schema idempotently: a second migration changes nothing', async () => {
    const count = async () => {
      const session = db.driver.session();
      try {
        const result = await session.run('SHOW CONSTRAINTS YIELD name RETURN count(*) AS n');
        return toPlain(result.records[0]?.get('n'));
      } finally {
        await session.close();
      }
    };
    const before = await count();
    const { statements } = await migrate(db);
    expect(statements).toBeGreaterThanOrEqual(15);
    expect(await count()).toBe(before);
    expect(before).toBeGreaterThanOrEqual(15);
  });

  it('upgrades a typical price an earlier version stored as a median, once', async () => {
    const session = db.driver.session();
    try {
      await session.run("CREATE (:TypicalPrice {key: 'old|bags|EUR', median: 130.0}), (:TypicalPrice {key: 'new|bags|EUR', typicalPrice: 140.0})");
      await migrate(db);
      await migrate(db);
      const rows = await session.run("MATCH (t:TypicalPrice) WHERE t.key IN ['old|bags|EUR', 'new|bags|EUR'] RETURN t.key AS key, t.typicalPrice AS typicalPrice, t.median AS median ORDER BY key");
      expect(rows.records.map((r) => r.toObject())).toEqual([
        { key: 'new|bags|EUR', typicalPrice: 140, median: null },
        { key: 'old|bags|EUR', typicalPrice: 130, median: null },
      ]);
    } finally {
      await session.close();
    }
  });

  it('refuses wrong credentials with NEO4J_AUTH', async () => {
    const { uri, user } = inject('neo4j');
    const wrong = new Db({ uri, user, password: 'not-the-password' });
    await expect(wrong.verify()).rejects.toMatchObject({ code: 'NEO4J_AUTH' });
    await wrong.close();
  });

  it('maps a Cypher client error to NEO4J_CLIENT and unknown statement names to CYPHER_NOT_FOUND', async () => {
    const session = db.driver.session();
    try {
      await session.run('RETURN $missing + 1 AS x');
      expect.unreachable();
    } catch (error) {
      expect(mapDriverError(error, 'test')).toMatchObject({ code: 'NEO4J_CLIENT' });
    } finally {
      await session.close();
    }
    expect(() => cypher('no/such-statement')).toThrow(/no Cypher statement named/);
    expect(() => cypher('../etc/passwd')).toThrow(/not a Cypher statement name/);
  });

  it('turns integers into numbers and refuses ones beyond 2^53', () => {
    expect(toPlain(neo4j.int(42))).toBe(42);
    expect(toPlain({ list: [neo4j.int(1), 'a'], nested: { n: neo4j.int(-7) } })).toEqual({ list: [1, 'a'], nested: { n: -7 } });
    expect(() => toPlain(neo4j.int('9007199254740993'))).toThrow(/safe range/);
  });
});
