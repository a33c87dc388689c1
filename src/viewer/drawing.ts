import Sigma from 'sigma';
import { faded } from './palette.ts';
import type { ViewerEdge, ViewerGraph, ViewerNode } from './ringGraph.ts';

/**
 * Draws a laid-out ring with sigma.js (WebGL) in `container`: store names always, an identifier's
 * key when it or a store using it is pointed at, everything else dimmed around the node in focus.
 * `onFocus` is told which node the evidence panel should show (hover, or a click that pins it).
 */

export interface RingDrawing {
  /** Milliseconds from the page's start to the first frame on screen. */
  firstFrame: Promise<number>;
  kill(): void;
}

const DIMMED_EDGE = '#f0f0f0';

export function drawRing(container: HTMLElement, graph: ViewerGraph, onFocus: (nodeId: string | null) => void): RingDrawing {
  let hovered: string | null = null;
  let pinned: string | null = null;
  const focus = () => hovered ?? pinned;
  const neighbours = (id: string) => new Set([id, ...graph.neighbors(id)]);
  let lit: Set<string> | null = null;

  const renderer = new Sigma<ViewerNode, ViewerEdge>(graph, container, {
    renderEdgeLabels: false,
    labelRenderedSizeThreshold: 0,
    labelFont: 'system-ui, sans-serif',
    labelSize: 12,
    defaultEdgeType: 'line',
    zIndex: true,
    nodeReducer: (id, node) => {
      const inFocus = lit === null || lit.has(id);
      const showLabel = node.role === 'store' || (node.role === 'identifier' && node.hub) || (lit !== null && inFocus);
      return {
        ...node,
        label: showLabel ? node.label : '',
        color: inFocus ? node.color : faded(node.color),
        zIndex: inFocus ? 1 : 0,
        highlighted: id === focus(),
      };
    },
    edgeReducer: (id, edge) => {
      if (lit === null) return edge;
      const [a, b] = graph.extremities(id);
      return lit.has(a) && lit.has(b) ? { ...edge, size: 2, color: '#888888' } : { ...edge, color: DIMMED_EDGE };
    },
  });

  const refocus = () => {
    const id = focus();
    lit = id === null ? null : neighbours(id);
    onFocus(id);
    renderer.refresh({ skipIndexation: true });
  };
  renderer.on('enterNode', ({ node }) => {
    hovered = node;
    refocus();
  });
  renderer.on('leaveNode', () => {
    hovered = null;
    refocus();
  });
  renderer.on('clickNode', ({ node }) => {
    pinned = pinned === node ? null : node;
    refocus();
  });
  renderer.on('clickStage', () => {
    pinned = null;
    refocus();
  });

  // Sigma draws the first frame in its constructor; the frame after it is on screen.
  const firstFrame = new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  return { firstFrame, kill: () => renderer.kill() };
}
