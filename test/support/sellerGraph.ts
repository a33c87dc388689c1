import graphology from 'graphology';
import type { UndirectedGraph } from 'graphology';
import type { SellerProjection } from '../../src/analysis/projection.ts';

export type SellerGraph = UndirectedGraph<Record<string, never>, { weight: number; kinds: number }>;

/**
 * A projection as a graphology graph, to inspect it in tests: one node per seller (key = seller
 * id, in node-index order), edges keyed by their position in `edgeArrays` ("0", "1", …) with
 * attributes `weight` and `kinds`. `linkedOnly` leaves out sellers without a link.
 */
export function sellerGraphOf(projection: Pick<SellerProjection, 'sellerIds' | 'edgeArrays'>, options: { linkedOnly?: boolean } = {}): SellerGraph {
  const graph: SellerGraph = new graphology.UndirectedGraph({ allowSelfLoops: false });
  const { sellerIds, edgeArrays: edges } = projection;
  const linked = new Uint8Array(sellerIds.length);
  for (let e = 0; e < edges.count; e++) linked[edges.source[e]!] = linked[edges.target[e]!] = 1;
  sellerIds.forEach((id, u) => {
    if (!options.linkedOnly || linked[u] === 1) graph.addNode(id);
  });
  for (let e = 0; e < edges.count; e++) {
    graph.addUndirectedEdgeWithKey(String(e), sellerIds[edges.source[e]!]!, sellerIds[edges.target[e]!]!, { weight: edges.weight[e]!, kinds: edges.kinds[e]! });
  }
  return graph;
}
