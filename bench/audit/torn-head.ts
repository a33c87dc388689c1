/**
 * Does a read of the audit head see its `seq` and `hash` from one commit? (docs/api.md, "Audit
 * log"). The head is one node with two properties that every append moves together. Neo4j reads
 * at read committed: nothing makes two property reads of one node come from the same commit. This
 * experiment moves the head as appends do (lock, then set both) from two writers, while readers
 * read it the three ways the code could: a plain auto-commit statement, inside a read transaction,
 * and after taking the head's write lock (audit/lock-head.cypher, what an append and the
 * checkpointer do). Every written pair is (n, sha256(n)), so a reader knows a torn pair when it sees
 * one. Not a test (a tear is rare and timing-bound): it counts, on a disposable managed Neo4j.
 *
 *   npx tsx bench/audit/torn-head.ts [--seconds 30]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cypher } from '../../src/graph/cypher.ts';
import { Db, int } from '../../src/graph/db.ts';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 600)) throw new Error('--seconds is a number of seconds up to 600');

const hashOf = (seq: number) => createHash('sha256').update(String(seq)).digest('hex');
const home = mkdtempSync(join(tmpdir(), 'ringwatch-torn-head-'));
console.log(`starting a disposable Neo4j in ${home}`);
const info = await startLocalNeo4j({ home: join(home, 'neo4j'), heap: '1g', pageCache: '512m' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
try {
  await migrate(db);
  await db.write('audit/lock-head', { genesis: hashOf(0), requestId: 'setup' });
  let running = true;
  const counts = { writes: 0, plain: { reads: 0, torn: 0 }, readTx: { reads: 0, torn: 0 }, locked: { reads: 0, torn: 0 } };
  const check = (kind: 'plain' | 'readTx' | 'locked', seq: unknown, hash: unknown) => {
    counts[kind].reads += 1;
    if (hashOf(Number(seq)) !== hash) counts[kind].torn += 1;
  };
  /** Moves the head as an append does: the lock first, then seq and hash in one SET. */
  const writer = async () => {
    const session = db.driver.session();
    try {
      while (running) {
        await session.executeWrite(async (tx) => {
          const locked = await tx.run(cypher('audit/lock-head'), { genesis: hashOf(0), requestId: 'writer' });
          const seq = Number(locked.records[0]?.get('seq')) + 1 + Math.floor(Math.random() * 50);
          await tx.run("MATCH (h:AuditHead {id: 'audit'}) SET h.seq = $seq, h.hash = $hash", { seq: int(seq), hash: hashOf(seq) });
        });
        counts.writes += 1;
      }
    } finally {
      await session.close();
    }
  };
  const plainReader = async () => {
    while (running) {
      const [head] = await db.read('audit/head', {});
      check('plain', head?.seq, head?.hash);
    }
  };
  const readTxReader = async () => {
    while (running) {
      const [head] = await db.readTx((tx) => tx.run('audit/head'));
      check('readTx', head?.seq, head?.hash);
    }
  };
  const lockedReader = async () => {
    while (running) {
      const [head] = await db.writeTx((tx) => tx.run('audit/lock-head', { genesis: hashOf(0), requestId: 'reader' }));
      check('locked', head?.seq, head?.hash);
    }
  };
  const stop = setTimeout(() => {
    running = false;
  }, seconds * 1000);
  await Promise.all([writer(), writer(), plainReader(), plainReader(), readTxReader(), lockedReader()]);
  clearTimeout(stop);
  console.log(`${seconds} s, Neo4j ${info.version}, two writers`);
  console.log('| read | reads | torn (seq and hash from two commits) |');
  console.log('| --- | --- | --- |');
  console.log(`| plain auto-commit statement (audit/head.cypher) | ${counts.plain.reads} | ${counts.plain.torn} |`);
  console.log(`| inside a read transaction | ${counts.readTx.reads} | ${counts.readTx.torn} |`);
  console.log(`| after the head's write lock (audit/lock-head.cypher) | ${counts.locked.reads} | ${counts.locked.torn} |`);
  console.log(`head moves: ${counts.writes}`);
} finally {
  await db.close();
  await stopLocalNeo4j(join(home, 'neo4j'));
  rmSync(home, { recursive: true, force: true });
}
