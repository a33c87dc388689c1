import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { IdentifierNode, ViewerGraph } from './ringGraph.ts';

/**
 * Positions for a ring's drawing: ForceAtlas2 (Jacomy et al., 2014, "ForceAtlas2, a continuous
 * graph layout algorithm", PLoS ONE 9(6)) on the stores and the identifiers they share, run to a
 * fixed number of iterations in the page before the first frame, so the ring is drawn once,
 * settled, and the same ring always looks the same (no random start). A ring of 40 stores and
 * their identifiers is about a hundred nodes: a few milliseconds (bench/viewer). Hubs are left out
 * of the layout, as detection left them out, and set apart in a column to the right.
 */

export interface LayoutOptions {
  /** ForceAtlas2 iterations; the default settles rings of a few hundred nodes. */
  iterations: number;
}

export const LAYOUT_DEFAULTS: LayoutOptions = { iterations: 300 };

/** Lays `graph` out in place; returns the milliseconds it took. */
export function layOutRing(graph: ViewerGraph, options: Partial<LayoutOptions> = {}): number {
  const { iterations } = { ...LAYOUT_DEFAULTS, ...options };
  const started = performance.now();
  const core = graph.copy();
  const hubs: string[] = [];
  graph.forEachNode((id, node) => {
    if (node.role === 'identifier' && node.hub) {
      hubs.push(id);
      core.dropNode(id);
    }
  });
  // A deterministic start: the nodes on a circle, in the order the service listed them.
  const n = core.order;
  let i = 0;
  core.forEachNode((id) => {
    const angle = (2 * Math.PI * i++) / Math.max(1, n);
    core.mergeNodeAttributes(id, { x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) });
  });
  if (n > 1) {
    const settings = { ...forceAtlas2.inferSettings(core), gravity: 1, scalingRatio: 10, strongGravityMode: false, adjustSizes: false };
    forceAtlas2.assign(core, { iterations, settings });
  }
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  core.forEachNode((id, { x, y }) => {
    graph.mergeNodeAttributes(id, { x, y });
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  });
  if (n === 0) [minX, maxX, minY, maxY] = [0, 0, 0, 0];
  const width = Math.max(maxX - minX, 50);
  const height = Math.max(maxY - minY, 50);
  hubs.forEach((id, k) => {
    const y = hubs.length === 1 ? (minY + maxY) / 2 : minY + (height * k) / (hubs.length - 1);
    graph.mergeNodeAttributes(id, { x: maxX + width * 0.3, y } satisfies Partial<IdentifierNode>);
  });
  return performance.now() - started;
}
