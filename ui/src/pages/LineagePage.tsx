import { useCallback, useEffect, useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAssets, useCapabilities } from "../api/hooks";
import { LineageGraph } from "../lineage/LineageGraph";
import { LineageToolbar } from "../lineage/LineageToolbar";
import { downstreamIndex, downstreamOf, upstreamOf, visibleGraph } from "../lineage/graphModel";
import { useLayout } from "../lineage/useLayout";
import { useUi } from "../store";

/** Workspaces up to this many assets open with every group expanded. */
const EXPANDED_BY_DEFAULT = 300;

export function LineagePage() {
  const { assets, error } = useAssets();
  const { readOnly } = useCapabilities();
  const ui = useUi();
  const navigate = useNavigate();
  // ?expand=all opens every group (a link to the whole graph expanded).
  const [params] = useSearchParams();
  const expandAll = params.get("expand") === "all";
  const [ready, setReady] = useState(false);

  const byKey = useMemo(() => new Map((assets ?? []).map((a) => [a.key, a])), [assets]);
  const children = useMemo(() => downstreamIndex(byKey.values()), [byKey]);
  const only = useMemo(() => {
    if (!ui.focus || !byKey.has(ui.focus.key)) return null;
    const { key, direction } = ui.focus;
    const up = direction !== "downstream" ? upstreamOf(byKey, key) : new Set<string>();
    const down = direction !== "upstream" ? downstreamOf(children, key) : new Set<string>();
    return new Set([...up, ...down]);
  }, [ui.focus, byKey, children]);
  const expanded = useMemo(
    () =>
      ui.expandedGroups ??
      new Set(assets && (expandAll || assets.length <= EXPANDED_BY_DEFAULT) ? assets.map((a) => a.group) : []),
    [ui.expandedGroups, assets, expandAll],
  );
  const toggleGroup = useCallback((group: string) => ui.toggleGroup(group, expanded), [expanded]);
  const graph = useMemo(() => (assets ? visibleGraph(assets, expanded, only) : null), [assets, expanded, only]);
  const { layout, error: layoutError } = useLayout(graph);

  const matches = useMemo(() => {
    const needle = ui.search.trim().toLowerCase();
    if (!needle || !assets) return new Set<string>();
    return new Set(assets.filter((a) => a.key.toLowerCase().includes(needle)).map((a) => a.key));
  }, [ui.search, assets]);
  const firstMatch = matches.size ? [...matches][0] : null;

  // A search match inside a collapsed group opens that group so the match can be shown.
  useEffect(() => {
    const asset = firstMatch ? byKey.get(firstMatch) : undefined;
    if (asset && !expanded.has(asset.group) && !only) toggleGroup(asset.group);
  }, [firstMatch]);

  useEffect(() => setReady(false), [graph]);
  // For tests and benchmarks: how many asset nodes the drawn layout holds (in view or not).
  useEffect(() => {
    if (!layout || !graph) return;
    const assetNodes = graph.nodes.filter((n) => n.kind === "asset").length;
    (window as unknown as { __headwaterLineage: object }).__headwaterLineage = { assetNodes, nodes: layout.nodes.length };
  }, [layout]);
  const onDrawn = useCallback(() => setReady(true), []);

  return (
    <div className="page full" data-page="lineage" data-ready={ready && layout ? "true" : "false"}>
      <LineageToolbar
        assets={assets ?? []}
        byKey={byKey}
        children={children}
        matches={matches.size}
        readOnly={readOnly}
      />
      <div className="lineage-canvas">
        {error ? <div className="error card">{error}</div> : null}
        {layoutError ? <div className="error card">Layout failed: {layoutError}</div> : null}
        {!assets && !error ? <div className="muted" style={{ padding: 20 }}>Loading assets…</div> : null}
        {assets && assets.length === 0 ? <div className="muted" style={{ padding: 20 }}>No assets in this workspace.</div> : null}
        {graph && layout ? (
          <LineageGraph
            assets={byKey}
            graph={graph}
            layout={layout}
            selection={ui.selection}
            matches={matches}
            centerOn={firstMatch}
            onSelect={ui.select}
            onOpen={(key) => navigate(`/asset/${key}`)}
            onToggleGroup={toggleGroup}
            onDrawn={onDrawn}
          />
        ) : null}
      </div>
    </div>
  );
}
