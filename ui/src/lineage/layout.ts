// The lineage layout: assets of each expanded group laid out inside the group's box, then the
// boxes and collapsed groups laid out together. ELK for graphs small enough to stay within the
// paint budget, the linear layered layout above that. Runs in the layout worker.
import type { ELK as ElkApi, ElkNode } from "elkjs/lib/elk-api";
import { layeredLayout, type Box, type Link, type Placed } from "./layeredLayout";
import type { VisibleGraph } from "./graphModel";
import { groupNodeId } from "./graphModel";

export const ASSET_SIZE = { width: 220, height: 56 };
export const GROUP_SIZE = { width: 240, height: 88 };
const PAD = 24;
const HEADER = 40;
/** Above this many nodes or edges in one layout, ELK's layered algorithm exceeds the paint
 * budget (20 groups that all depend on each other take ELK 1.5-7 s). */
export const ELK_NODE_LIMIT = 150;
export const ELK_EDGE_LIMIT = 200;

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LayoutResult {
  nodes: PlacedNode[];
  /** Boxes of expanded groups, drawn behind their assets. */
  groups: PlacedNode[];
  width: number;
  height: number;
}

/** Gives the ELK instance when a layout needs it (so large graphs never load it); null: never. */
export type ElkSource = (() => Promise<ElkApi>) | null;

async function place(getElk: ElkSource, boxes: Box[], links: Link[]): Promise<Map<string, Placed>> {
  if (!getElk || boxes.length > ELK_NODE_LIMIT || links.length > ELK_EDGE_LIMIT || boxes.length < 2) {
    return layeredLayout(boxes, links);
  }
  const elk = await getElk();
  const known = new Set(boxes.map((b) => b.id));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "18",
      "elk.layered.spacing.nodeNodeBetweenLayers": "80",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: boxes.map((b) => ({ id: b.id, width: b.width, height: b.height })),
    edges: links
      .filter((l) => known.has(l.source) && known.has(l.target) && l.source !== l.target)
      .map((l, i) => ({ id: `e${i}`, sources: [l.source], targets: [l.target] })),
  };
  const result = await elk.layout(graph);
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

export async function layoutGraph(elk: ElkSource, graph: VisibleGraph): Promise<LayoutResult> {
  const groupOf = new Map<string, string>();
  const members = new Map<string, Box[]>();
  for (const node of graph.nodes) {
    if (node.kind !== "asset") continue;
    groupOf.set(node.id, groupNodeId(node.group));
    const list = members.get(node.group) ?? members.set(node.group, []).get(node.group)!;
    list.push({ id: node.id, ...ASSET_SIZE });
  }
  const blockOf = (id: string) => groupOf.get(id) ?? id;

  const inner = new Map<string, Map<string, Placed>>();
  const blocks: Box[] = [];
  for (const group of graph.expandedGroups) {
    const boxes = members.get(group) ?? [];
    const mine = new Set(boxes.map((b) => b.id));
    const links = graph.edges.filter((e) => mine.has(e.source) && mine.has(e.target));
    const placed = await place(elk, boxes, links);
    let width = 0;
    let height = 0;
    for (const box of boxes) {
      const p = placed.get(box.id)!;
      width = Math.max(width, p.x + box.width);
      height = Math.max(height, p.y + box.height);
    }
    inner.set(groupNodeId(group), placed);
    blocks.push({ id: groupNodeId(group), width: width + 2 * PAD, height: height + HEADER + PAD });
  }
  for (const node of graph.nodes) if (node.kind === "group") blocks.push({ id: node.id, ...GROUP_SIZE });

  const blockLinks: Link[] = [];
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const source = blockOf(edge.source);
    const target = blockOf(edge.target);
    const id = `${source}->${target}`;
    if (source === target || seen.has(id)) continue;
    seen.add(id);
    blockLinks.push({ source, target });
  }
  const outer = await place(elk, blocks, blockLinks);

  const nodes: PlacedNode[] = [];
  const groups: PlacedNode[] = [];
  let width = 0;
  let height = 0;
  for (const block of blocks) {
    const at = outer.get(block.id)!;
    width = Math.max(width, at.x + block.width);
    height = Math.max(height, at.y + block.height);
    const placed = inner.get(block.id);
    if (!placed) {
      nodes.push({ id: block.id, x: at.x, y: at.y, width: block.width, height: block.height });
      continue;
    }
    groups.push({ id: block.id, x: at.x, y: at.y, width: block.width, height: block.height });
    for (const [id, p] of placed) {
      nodes.push({ id, x: at.x + PAD + p.x, y: at.y + HEADER + p.y, ...ASSET_SIZE });
    }
  }
  return { nodes, groups, width, height };
}
