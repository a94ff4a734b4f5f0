import { useCallback, useEffect, useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAssets, useCapabilities } from "../api/hooks";
import { LineageGraph } from "../lineage/LineageGraph";
import { LineageToolbar } from "../lineage/LineageToolbar";
import { downstreamIndex, downstreamOf, upstreamOf, visibleGraph } from "../lineage/graphModel";
import { prestartLayoutWorker, useLayout } from "../lineage/useLayout";
import { useUi } from "../store";

prestartLayoutWorker();

/** Workspaces up to this many assets open with every group expanded. */
const EXPANDED_BY_DEFAULT = 300;

export function LineagePage() {
  const { assets, structure, error } = useAssets();
  const { readOnly } = useCapabilities();
  const ui = useUi();
  const navigate = useNavigate();
  // ?expand=all opens every group (a link to the whole graph expanded).
  const [params] = useSearchParams();
  const expandAll = params.get("expand") === "all";
  const [ready, setReady] = useState(false);

  const byKey = useMemo(() => new Map((assets ?? []).map((a) => [a.key, a])), [assets]);
  const definitions = useMemo(() => new Map((structure ?? []).map((a) => [a.key, a])), [structure]);
  const children = useMemo(() => downstreamIndex(definitions.values()), [definitions]);
  const only = useMemo(() => {
    if (!ui.focus || !definitions.has(ui.focus.key)) return null;
    const { key, direction } = ui.focus;
    const up = direction !== "downstream" ? upstreamOf(definitions, key) : new Set<string>();
    const down = direction !== "upstream" ? downstreamOf(children, key) : new Set<string>();
    return new Set([...up, ...down]);
  }, [ui.focus, definitions, children]);
  const expanded = useMemo(
    () =>
      ui.expandedGroups ??
      new Set(
        structure && (expandAll || structure.length <= EXPANDED_BY_DEFAULT) ? structure.map((a) => a.group) : [],
      ),
    [ui.expandedGroups, structure, expandAll],
  );
  const toggleGroup = useCallback((group: string) => ui.toggleGroup(group, expanded), [expanded]);
  // The graph and its layout depend on the definitions only: new statuses only recolour it.
  const graph = useMemo(
    () => (structure ? visibleGraph(structure, expanded, only) : null),
    [structure, expanded, only],
  );
  const { layout, error: layoutError } = useLayout(graph);

  const matches = useMemo(() => {
    const needle = ui.search.trim().toLowerCase();
    if (!needle || !assets) return new Set<string>();
    return new Set(assets.filter((a) => a.key.toLowerCase().includes(needle)).map((a) => a.key));
  }, [ui.search, assets]);
  const firstMatch = matches.size ? [...matches][0] : null;

  // A search match inside a collapsed group opens that group so the match can be shown.
  useEffect(() => {
    const asset = firstMatch ? definitions.get(firstMatch) : undefined;
    if (asset && !expanded.has(asset.group) && !only) toggleGroup(asset.group);
  }, [firstMatch]);

  useEffect(() => setReady(false), [graph]);
  // For tests and benchmarks: how many asset nodes the drawn layout holds (in view or not).
  useEffect(() => {
    if (!layout || !graph) return;
    const assetNodes = graph.nodes.filter((n) => n.kind === "asset").length;
    (window as unknown as { __headwaterLineage: object }).__headwaterLineage = { assetNodes, nodes: layout.nodes.length };
  }, [layout]);
  const onDrawn = useCallback(() => {
    performance.mark("lineage:drawn");
    setReady(true);
  }, []);

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
