import type { Db } from '../../../src/graph/db.ts';

/** Nodes and relationships in the graph: equal before and after means a request changed nothing. */
export async function graphCounts(db: Db): Promise<{ nodes: number; relationships: number; closedSellers: number; verdicts: number }> {
  const session = db.driver.session({ database: db.database });
  try {
    const result = await session.run(
      `CALL () { MATCH (n) RETURN count(n) AS nodes }
       CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
       CALL () { MATCH (s:Seller {status: 'closed'}) RETURN count(s) AS closedSellers }
       CALL () { MATCH (l:Listing) WHERE l.verdict IS NOT NULL RETURN count(l) AS verdicts }
       RETURN nodes, relationships, closedSellers, verdicts`,
    );
    const record = result.records[0];
    if (!record) throw new Error('no counts');
    return {
      nodes: Number(record.get('nodes')),
      relationships: Number(record.get('relationships')),
      closedSellers: Number(record.get('closedSellers')),
      verdicts: Number(record.get('verdicts')),
    };
  } finally {
    await session.close();
  }
}
