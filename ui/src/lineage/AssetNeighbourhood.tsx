// The one-hop lineage of an asset drawn as a small graph: its upstream assets, itself, its
// downstream assets (the same nodes as the lineage page; double-click opens one).
import { useMemo } from "react";
import { useNavigate } from "react-router-dom";
import { useAssets } from "../api/hooks";
import { visibleGraph } from "./graphModel";
import { LineageGraph } from "./LineageGraph";
import { useLayout } from "./useLayout";

const NONE = new Set<string>();

export function AssetNeighbourhood({ upstream, downstream, self }: { upstream: string[]; downstream: string[]; self: string }) {
  const { assets, structure } = useAssets();
  const navigate = useNavigate();
  const keys = useMemo(() => new Set([self, ...upstream, ...downstream]), [self, upstream, downstream]);
  const graph = useMemo(() => {
    if (!structure) return null;
    // only the edges of the one hop: to and from this asset
    const near = structure
      .filter((a) => keys.has(a.key))
      .map((a) => ({ ...a, deps: a.key === self ? a.deps : a.deps.filter((d) => d === self) }));
    return visibleGraph(near, NONE, keys);
  }, [structure, keys, self]);
  const { layout } = useLayout(graph);
  const byKey = useMemo(() => new Map((assets ?? []).map((a) => [a.key, a])), [assets]);
  const selected = useMemo(() => new Set([self]), [self]);
  return (
    <div data-testid="neighbourhood" style={{ height: 220, border: "1px solid var(--line)", borderRadius: 6 }}>
      {graph && layout ? (
        <LineageGraph
          assets={byKey}
          graph={graph}
          layout={layout}
          selection={selected}
          matches={NONE}
          centerOn={null}
          onSelect={(key) => key !== self && navigate(`/asset/${key}`)}
          onOpen={(key) => navigate(`/asset/${key}`)}
          onToggleGroup={() => undefined}
          onDrawn={() => undefined}
          compact
        />
      ) : (
        <div className="muted" style={{ padding: 10 }}>{upstream.length + downstream.length} neighbours</div>
      )}
    </div>
  );
}
