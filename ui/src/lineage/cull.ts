// What of a laid-out graph is near the viewport: React Flow then holds only those nodes and
// edges (hundreds, not 10,000 and 20,000), so a render, a pan or a zoom stays cheap.
import type { Edge, Node } from "@xyflow/react";

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The graph-space rectangle seen through `viewport` in a pane of `width` x `height`,
 * grown by `margin` (a fraction of its size) on every side and snapped to a grid of that
 * margin, so that small pans keep the same rectangle (and the same nodes). */
export function viewRect(viewport: Viewport, width: number, height: number, margin = 0.5): Rect {
  const w = width / viewport.zoom;
  const h = height / viewport.zoom;
  const stepX = Math.max(w * margin, 1);
  const stepY = Math.max(h * margin, 1);
  const left = -viewport.x / viewport.zoom;
  const top = -viewport.y / viewport.zoom;
  return {
    left: Math.floor(left / stepX) * stepX - stepX,
    top: Math.floor(top / stepY) * stepY - stepY,
    right: Math.ceil((left + w) / stepX) * stepX + stepX,
    bottom: Math.ceil((top + h) / stepY) * stepY + stepY,
  };
}

function intersects(node: Node, rect: Rect): boolean {
  const { x, y } = node.position;
  return x <= rect.right && y <= rect.bottom && x + (node.width ?? 0) >= rect.left && y + (node.height ?? 0) >= rect.top;
}

/** The nodes in `rect`, the edges touching them, and the far ends of those edges (so that an
 * edge leaving the view is still drawn up to the view's border). */
export function cull(nodes: Node[], edges: Edge[], rect: Rect): { nodes: Node[]; edges: Edge[] } {
  const shown = new Set<string>();
  for (const node of nodes) if (intersects(node, rect)) shown.add(node.id);
  const keptEdges: Edge[] = [];
  const ends = new Set<string>();
  for (const edge of edges) {
    const source = shown.has(edge.source);
    const target = shown.has(edge.target);
    if (!source && !target) continue;
    keptEdges.push(edge);
    if (!source) ends.add(edge.source);
    if (!target) ends.add(edge.target);
  }
  const keptNodes = nodes.filter((n) => shown.has(n.id) || ends.has(n.id));
  return { nodes: keptNodes, edges: keptEdges };
}
