// Draws a laid-out lineage graph. Render only: what to show and what a click means come in props.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type NodeMouseHandler,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { AssetStatus, AssetSummary } from "../model/types";
import type { VisibleGraph, VisibleNode } from "./graphModel";
import type { LayoutResult } from "./layout";
import { AssetNode } from "./AssetNode";
import { GroupBox, GroupNode } from "./GroupNode";
import { cull, viewRect, type Viewport } from "./cull";

const nodeTypes = { asset: AssetNode, assetGroup: GroupNode, groupBox: GroupBox };
/** Above this many nodes the whole graph is not fitted into view (it would draw every node):
 * the view starts at the top left, React Flow holds only the nodes near the view, and zooming
 * out stops where a view holds a few hundred nodes; every node is reachable by panning. */
const FIT_LIMIT = 400;
const LARGE_START: Viewport = { x: 20, y: 20, zoom: 0.6 };
const LARGE_MIN_ZOOM = 0.4;

export interface LineageGraphProps {
  assets: Map<string, AssetSummary>;
  graph: VisibleGraph;
  layout: LayoutResult;
  selection: ReadonlySet<string>;
  matches: ReadonlySet<string>;
  centerOn: string | null;
  onSelect: (key: string, additive: boolean) => void;
  onOpen: (key: string) => void;
  onToggleGroup: (group: string) => void;
  onDrawn: () => void;
  /** A small embedded graph: no minimap, no controls, no group boxes. */
  compact?: boolean;
}

function buildNodes(p: LineageGraphProps, kinds: Map<string, VisibleNode>, only: Set<string> | null): Node[] {
  const nodes: Node[] = [];
  for (const box of p.compact ? [] : p.layout.groups) {
    if (only && !only.has(box.id)) continue;
    const group = box.id.slice("group:".length);
    nodes.push({
      id: box.id,
      type: "groupBox",
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      zIndex: -1,
      selectable: false,
      draggable: false,
      data: { group, onToggle: p.onToggleGroup },
    });
  }
  for (const placed of p.layout.nodes) {
    if (only && !only.has(placed.id)) continue;
    const node = kinds.get(placed.id);
    if (!node) continue;
    const common = { id: placed.id, position: { x: placed.x, y: placed.y }, width: placed.width, height: placed.height, draggable: false };
    if (node.kind === "group") {
      const statusCounts: Partial<Record<AssetStatus, number>> = {};
      for (const key of node.members) {
        const status = p.assets.get(key)?.status ?? "unknown";
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      }
      nodes.push({
        ...common,
        type: "assetGroup",
        data: { group: node.group, count: node.members.length, statusCounts, onToggle: p.onToggleGroup },
      });
    } else {
      const asset = p.assets.get(node.id)!;
      nodes.push({
        ...common,
        type: "asset",
        data: { asset, selected: p.selection.has(node.id), matched: p.matches.has(node.id) },
      });
    }
  }
  return nodes;
}

function Graph(props: LineageGraphProps) {
  const flow = useReactFlow();
  const kinds = useMemo(() => new Map(props.graph.nodes.map((n) => [n.id, n])), [props.graph]);
  const placed = useMemo(() => new Map(props.layout.nodes.map((n) => [n.id, n])), [props.layout]);
  const drawnFor = useRef<LayoutResult | null>(null);
  const large = props.layout.nodes.length > FIT_LIMIT;
  const [viewport, setViewport] = useState<Viewport>(LARGE_START);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const rect = useMemo(() => viewRect(viewport, width || 1400, height || 900), [viewport, width, height]);
  const rectKey = `${rect.left},${rect.top},${rect.right},${rect.bottom}`;
  // Only the edges between nodes near the view: long edges leaving it cost most of the drawing
  // (800 of them took a second); an asset's whole lineage is one "Lineage" focus away.
  const culled = useMemo(
    () => (large ? cull(props.layout.nodes, props.layout.groups, props.graph.edges, rect, true) : null),
    [large, props.layout, props.graph, rectKey],
  );
  const nodes = useMemo(
    () => buildNodes(props, kinds, culled?.ids ?? null),
    [culled, kinds, props.layout, props.assets, props.selection, props.matches],
  );
  const edges: Edge[] = useMemo(
    () => (culled?.edges ?? props.graph.edges).map((e) => ({ id: e.id, source: e.source, target: e.target, selectable: false })),
    [culled, props.graph],
  );

  useEffect(() => {
    if (drawnFor.current === props.layout) return;
    drawnFor.current = props.layout;
    if (!large) flow.fitView({ padding: 0.1, maxZoom: 1 });
    else flow.setViewport(LARGE_START);
    requestAnimationFrame(() => requestAnimationFrame(props.onDrawn));
  }, [props.layout]);

  useEffect(() => {
    const target = props.centerOn ? placed.get(props.centerOn) : undefined;
    if (target) flow.setCenter(target.x + target.width / 2, target.y + target.height / 2, { zoom: 1, duration: 300 });
  }, [props.centerOn, placed]);

  const onNodeClick: NodeMouseHandler = (event, node) => {
    if (node.type === "asset") props.onSelect(node.id, event.shiftKey || event.metaKey || event.ctrlKey);
  };
  const onNodeDoubleClick: NodeMouseHandler = (_event, node) => {
    if (node.type === "asset") props.onOpen(node.id);
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onlyRenderVisibleElements
      nodesConnectable={false}
      nodesDraggable={false}
      elementsSelectable={false}
      defaultViewport={large ? LARGE_START : undefined}
      onMove={(_event, next) => setViewport(next)}
      minZoom={large ? LARGE_MIN_ZOOM : 0.05}
      maxZoom={2}
      onNodeClick={onNodeClick}
      onNodeDoubleClick={onNodeDoubleClick}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} />
      {props.compact ? null : <Controls showInteractive={false} />}
      {!props.compact && props.layout.nodes.length <= 2000 ? <MiniMap pannable zoomable /> : null}
    </ReactFlow>
  );
}

export function LineageGraph(props: LineageGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}
