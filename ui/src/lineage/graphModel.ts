// Which nodes and edges the lineage view shows, from the assets and the view's state.
// Pure functions: no React, no DOM, so they run in tests and in the layout worker alike.
import type { AssetSummary } from "../model/types";

export interface VisibleAssetNode {
  id: string;
  kind: "asset";
  group: string;
}
export interface VisibleGroupNode {
  id: string;
  kind: "group";
  group: string;
  /** The keys of the group's assets (drawn as this one node). */
  members: string[];
}
export type VisibleNode = VisibleAssetNode | VisibleGroupNode;
export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
}
export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
  /** Groups shown expanded, in order; their asset nodes are laid out inside a group box. */
  expandedGroups: string[];
}

export const groupNodeId = (group: string) => `group:${group}`;

export function upstreamOf(assets: Map<string, AssetSummary>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length) {
    const asset = assets.get(stack.pop()!);
    for (const dep of asset?.deps ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return seen;
}

export function downstreamIndex(assets: Iterable<AssetSummary>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const asset of assets) {
    for (const dep of asset.deps) {
      const list = index.get(dep);
      if (list) list.push(asset.key);
      else index.set(dep, [asset.key]);
    }
  }
  return index;
}

export function downstreamOf(index: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length) {
    for (const child of index.get(stack.pop()!) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/**
 * The graph to draw: assets of expanded groups as nodes, every collapsed group as one node,
 * edges between them merged (one edge per pair of drawn nodes). `only` restricts the graph to a
 * set of asset keys (the upstream/downstream focus); focused views show every asset expanded.
 */
export function visibleGraph(
  assets: readonly AssetSummary[],
  expanded: ReadonlySet<string>,
  only: ReadonlySet<string> | null,
): VisibleGraph {
  const shown = only ? assets.filter((a) => only.has(a.key)) : assets;
  const isExpanded = (group: string) => only !== null || expanded.has(group);
  const drawnId = new Map<string, string>();
  const nodes: VisibleNode[] = [];
  const groups = new Map<string, VisibleGroupNode>();
  const expandedGroups: string[] = [];
  for (const asset of shown) {
    if (isExpanded(asset.group)) {
      drawnId.set(asset.key, asset.key);
      nodes.push({ id: asset.key, kind: "asset", group: asset.group });
      if (!groups.has(asset.group)) {
        groups.set(asset.group, { id: groupNodeId(asset.group), kind: "group", group: asset.group, members: [] });
        expandedGroups.push(asset.group);
      }
      continue;
    }
    let node = groups.get(asset.group);
    if (!node) {
      node = { id: groupNodeId(asset.group), kind: "group", group: asset.group, members: [] };
      groups.set(asset.group, node);
      nodes.push(node);
    }
    node.members.push(asset.key);
    drawnId.set(asset.key, node.id);
  }
  const edges: VisibleEdge[] = [];
  const seen = new Set<string>();
  for (const asset of shown) {
    const target = drawnId.get(asset.key)!;
    for (const dep of asset.deps) {
      const source = drawnId.get(dep);
      if (source === undefined || source === target) continue;
      const id = `${source}->${target}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ id, source, target });
    }
  }
  return { nodes, edges, expandedGroups };
}
