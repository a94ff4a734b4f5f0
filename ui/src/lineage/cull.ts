// What of a laid-out graph is near the viewport: React Flow then holds only those nodes and
// edges (hundreds, not 10,000 and 20,000), so a render, a pan or a zoom stays cheap, and node
// objects are built only for what is shown.
import type { VisibleEdge } from "./graphModel";
import type { PlacedNode } from "./layout";

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

function intersects(node: PlacedNode, rect: Rect): boolean {
  return node.x <= rect.right && node.y <= rect.bottom && node.x + node.width >= rect.left && node.y + node.height >= rect.top;
}

/** The ids of the nodes (and group boxes) in `rect`, the edges touching them, and the far
 * ends of those edges (so that an edge leaving the view is still drawn up to the view's
 * border). `inside` keeps only the edges between nodes in `rect` (zoomed far out, where long
 * edges would be most of the drawing). */
export function cull(
  nodes: PlacedNode[],
  groups: PlacedNode[],
  edges: VisibleEdge[],
  rect: Rect,
  inside = false,
): { ids: Set<string>; edges: VisibleEdge[] } {
  const inView = new Set<string>();
  for (const node of nodes) if (intersects(node, rect)) inView.add(node.id);
  const ids = new Set(inView);
  for (const group of groups) if (intersects(group, rect)) ids.add(group.id);
  const kept: VisibleEdge[] = [];
  for (const edge of edges) {
    const source = inView.has(edge.source);
    const target = inView.has(edge.target);
    if (inside ? !(source && target) : !source && !target) continue;
    kept.push(edge);
    ids.add(edge.source);
    ids.add(edge.target);
  }
  return { ids, edges: kept };
}
