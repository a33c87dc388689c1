import Graph from 'graphology';
import type { Dossier, RingGraph } from '../dossier/schema.ts';
import { HUB_COLOUR, kindColour, storeColour } from './palette.ts';

/**
 * A ring as the drawing holds it: a graphology graph of its stores and the identifiers they share,
 * each node carrying what its evidence panel shows. Built from the ring graph route (analysts) or,
 * for a brand key, which may not read that route, from its masked dossier. Pure: tested in Node.
 */

export interface StoreNode {
  role: 'store';
  sellerId: string;
  label: string;
  status: string;
  x: number;
  y: number;
  size: number;
  color: string;
}

export interface IdentifierNode {
  role: 'identifier';
  kind: string;
  key: string;
  /** Left out of detection because too many sellers use it (a fulfilment centre, an aggregator). */
  hub: boolean;
  /** Sellers of the whole marketplace using it (hubs), or the ring's stores sharing it. */
  sellerCount: number | null;
  label: string;
  x: number;
  y: number;
  size: number;
  color: string;
}

export type ViewerNode = StoreNode | IdentifierNode;
export interface ViewerEdge {
  /** The relationship types behind the line (a store may both pay into and ship with one account). */
  types: string[];
  size: number;
  color: string;
}

export type ViewerGraph = Graph<ViewerNode, ViewerEdge>;

const STORE_SIZE = 9;
const EDGE_COLOUR = '#b8b8b8';
const HUB_EDGE_COLOUR = '#e6e6e6';

function store(sellerId: string, label: string, status: string): StoreNode {
  return { role: 'store', sellerId, label, status, x: 0, y: 0, size: STORE_SIZE, color: storeColour(status) };
}

function identifier(kind: string, key: string, hub: boolean, sellerCount: number | null): IdentifierNode {
  const shared = Math.max(2, sellerCount ?? 2);
  return {
    role: 'identifier',
    kind,
    key,
    hub,
    sellerCount,
    label: hub ? `hub · ${sellerCount ?? '?'} sellers` : key,
    x: 0,
    y: 0,
    size: hub ? 5 : Math.min(9, 3 + 1.5 * Math.log2(shared)),
    color: hub ? HUB_COLOUR : kindColour(kind),
  };
}

function link(graph: ViewerGraph, storeId: string, identifierId: string, type: string): void {
  if (!graph.hasNode(storeId) || !graph.hasNode(identifierId)) return;
  const hub = (graph.getNodeAttributes(identifierId) as IdentifierNode).hub;
  const existing = graph.edge(storeId, identifierId);
  if (existing !== undefined) {
    const types = graph.getEdgeAttribute(existing, 'types');
    if (!types.includes(type)) types.push(type);
    return;
  }
  graph.addEdge(storeId, identifierId, { types: [type], size: hub ? 0.5 : 1, color: hub ? HUB_EDGE_COLOUR : EDGE_COLOUR });
}

/** The drawing of `GET /v1/rings/{ringId}/graph`: its stores and identifiers; the ring node itself is the whole picture, so it is left out. */
export function graphFromRingGraph(ring: RingGraph): ViewerGraph {
  const graph: ViewerGraph = new Graph({ type: 'undirected', multi: false });
  for (const node of ring.nodes) {
    if (node.kind === 'ring') continue;
    if (node.kind === 'seller') graph.addNode(node.id, store(node.id.slice('seller:'.length), node.label, node.status ?? 'active'));
    else graph.addNode(node.id, identifier(node.kind, node.label, node.hub === true, node.sellerCount ?? null));
  }
  for (const edge of ring.edges) {
    if (edge.type === 'MEMBER_OF') continue;
    link(graph, edge.source, edge.target, edge.type);
  }
  return graph;
}

/**
 * The drawing a dossier allows (a brand key's: keys masked, so two identifiers may look alike and
 * are told apart by position). Hubs come without their stores in a dossier: drawn apart, unlinked.
 */
export function graphFromDossier(dossier: Dossier): ViewerGraph {
  const graph: ViewerGraph = new Graph({ type: 'undirected', multi: false });
  for (const m of dossier.members) graph.addNode(`seller:${m.sellerId}`, store(m.sellerId, m.storeName ?? m.sellerId, m.status));
  dossier.sharedIdentifiers.forEach((s, i) => {
    const id = `${s.kind}:${i}:${s.key}`;
    graph.addNode(id, identifier(s.kind, s.key, false, s.sellerIds.length));
    for (const sellerId of s.sellerIds) link(graph, `seller:${sellerId}`, id, 'SHARES');
  });
  dossier.ignoredHubs.forEach((h, i) => graph.addNode(`hub:${h.kind}:${i}:${h.key}`, identifier(h.kind, h.key, true, h.sellerCount)));
  return graph;
}

/** The identifiers a store shares (its neighbours), for its evidence panel. */
export function identifiersOf(graph: ViewerGraph, nodeId: string): IdentifierNode[] {
  return graph.neighbors(nodeId).map((n) => graph.getNodeAttributes(n)).filter((n): n is IdentifierNode => n.role === 'identifier');
}

/** The stores using an identifier, for its evidence panel. */
export function storesOf(graph: ViewerGraph, nodeId: string): StoreNode[] {
  return graph.neighbors(nodeId).map((n) => graph.getNodeAttributes(n)).filter((n): n is StoreNode => n.role === 'store');
}
