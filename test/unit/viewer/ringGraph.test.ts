import { describe, expect, it } from 'vitest';
import type { Dossier, RingGraph } from '../../../src/dossier/schema.ts';
import { layOutRing } from '../../../src/viewer/layout.ts';
import { graphFromDossier, graphFromRingGraph, identifiersOf, storesOf } from '../../../src/viewer/ringGraph.ts';

// Three stores: S1 and S2 share an account (S1 both pays into it and ships with it), S2 and S3 a
// phone, and S1 ships from a fulfilment centre 150 sellers use (a hub).
const RING: RingGraph = {
  nodes: [
    { id: 'ring:R-ABCDEFGH', label: 'R-ABCDEFGH', kind: 'ring', riskScore: 70 },
    { id: 'seller:S1', label: 'Shoes 1', kind: 'seller', status: 'active' },
    { id: 'seller:S2', label: 'Shoes 2', kind: 'seller', status: 'active' },
    { id: 'seller:S3', label: 'Shoes 3', kind: 'seller', status: 'closed' },
    { id: 'paymentAccount:62220001', label: '62220001', kind: 'paymentAccount', hub: false, sellerCount: 2 },
    { id: 'phone:+8613800000000', label: '+8613800000000', kind: 'phone', hub: false, sellerCount: 2 },
    { id: 'address:centre', label: 'centre', kind: 'address', hub: true, sellerCount: 150 },
  ],
  edges: [
    { source: 'seller:S1', target: 'ring:R-ABCDEFGH', type: 'MEMBER_OF' },
    { source: 'seller:S2', target: 'ring:R-ABCDEFGH', type: 'MEMBER_OF' },
    { source: 'seller:S3', target: 'ring:R-ABCDEFGH', type: 'MEMBER_OF' },
    { source: 'seller:S1', target: 'paymentAccount:62220001', type: 'PAYS_INTO' },
    { source: 'seller:S1', target: 'paymentAccount:62220001', type: 'SHIPS_WITH' },
    { source: 'seller:S2', target: 'paymentAccount:62220001', type: 'PAYS_INTO' },
    { source: 'seller:S2', target: 'phone:+8613800000000', type: 'SENDS_FROM_PHONE' },
    { source: 'seller:S3', target: 'phone:+8613800000000', type: 'SENDS_FROM_PHONE' },
    { source: 'seller:S1', target: 'address:centre', type: 'SHIPS_FROM' },
  ],
};

describe('the viewer ring graph', () => {
  it('draws stores and identifiers without the ring node, one line per store and identifier', () => {
    const graph = graphFromRingGraph(RING);
    expect(graph.order).toBe(6);
    expect(graph.size).toBe(5);
    expect(graph.getEdgeAttribute(graph.edge('seller:S1', 'paymentAccount:62220001')!, 'types')).toEqual(['PAYS_INTO', 'SHIPS_WITH']);
    expect(identifiersOf(graph, 'seller:S1').map((i) => i.kind).sort()).toEqual(['address', 'paymentAccount']);
    expect(storesOf(graph, 'phone:+8613800000000').map((s) => s.sellerId)).toEqual(['S2', 'S3']);
    const hub = graph.getNodeAttributes('address:centre');
    expect(hub).toMatchObject({ role: 'identifier', hub: true, label: 'hub · 150 sellers' });
    expect(graph.getNodeAttribute('seller:S3', 'color')).not.toBe(graph.getNodeAttribute('seller:S1', 'color'));
  });

  it('lays the ring out the same way every time, with hubs in a column to the right of it', () => {
    const positions = () => {
      const graph = graphFromRingGraph(RING);
      layOutRing(graph);
      return graph.mapNodes((id, n) => [id, n.x, n.y] as const);
    };
    const first = positions();
    expect(positions()).toEqual(first);
    const hubX = first.find(([id]) => id === 'address:centre')![1];
    for (const [id, x] of first) if (id !== 'address:centre') expect(x).toBeLessThan(hubX);
    for (const [, x, y] of first) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
  });

  it('draws a brand key’s masked dossier from the dossier alone, telling alike masked keys apart', () => {
    const dossier = {
      members: [
        { sellerId: 'S1', storeName: 'Shoes 1', status: 'active' },
        { sellerId: 'S2', storeName: null, status: 'active' },
      ],
      sharedIdentifiers: [
        { kind: 'paymentAccount', key: '****0001', sellerIds: ['S1', 'S2'] },
        { kind: 'paymentAccount', key: '****0001', sellerIds: ['S1', 'S2'] },
      ],
      ignoredHubs: [{ kind: 'address', key: '****ntre', sellerCount: 150, ringSellers: 1 }],
    } as unknown as Dossier;
    const graph = graphFromDossier(dossier);
    expect(graph.order).toBe(5);
    expect(graph.size).toBe(4);
    expect(graph.getNodeAttribute('seller:S2', 'label')).toBe('S2');
  });
});
