import { useState } from "react";
import { Link } from "react-router-dom";
import { useMaterialize } from "../api/hooks";
import type { AssetSummary } from "../model/types";
import { useUi } from "../store";
import { downstreamOf, upstreamOf } from "./graphModel";

interface Props {
  assets: AssetSummary[];
  byKey: Map<string, AssetSummary>;
  children: Map<string, string[]>;
  matches: number;
  readOnly: boolean;
}

export function LineageToolbar({ assets, byKey, children, matches, readOnly }: Props) {
  const ui = useUi();
  const [materialize, state] = useMaterialize();
  const [partition, setPartition] = useState("");
  const selected = [...ui.selection];
  const single = selected.length === 1 ? selected[0] : null;
  const anyPartitioned = selected.some((k) => byKey.get(k)?.partitioned);
  const groups = [...new Set(assets.map((a) => a.group))];

  return (
    <div className="toolbar">
      <input
        placeholder="Search assets…"
        value={ui.search}
        onChange={(e) => ui.setSearch(e.target.value)}
        aria-label="Search assets"
      />
      {ui.search ? <span className="muted">{matches} match{matches === 1 ? "" : "es"}</span> : null}
      <button onClick={() => ui.setExpandedGroups(groups)}>Expand all</button>
      <button onClick={() => ui.setExpandedGroups([])}>Collapse all</button>
      {single ? (
        <>
          <button onClick={() => ui.setFocus({ key: single, direction: "upstream" })}>Upstream</button>
          <button onClick={() => ui.setFocus({ key: single, direction: "downstream" })}>Downstream</button>
          <button onClick={() => ui.setFocus({ key: single, direction: "both" })}>Lineage</button>
          <button onClick={() => ui.setSelection(upstreamOf(byKey, single))}>Select upstream</button>
          <button onClick={() => ui.setSelection(downstreamOf(children, single))}>Select downstream</button>
        </>
      ) : null}
      {ui.focus ? <button onClick={() => ui.setFocus(null)}>Show whole graph</button> : null}
      <span className="spacer" />
      {selected.length ? (
        <span className="muted">
          {selected.length} selected · <a onClick={() => ui.setSelection([])}>clear</a>
        </span>
      ) : (
        <span className="muted">Click an asset to select it, shift-click to add, double-click to open.</span>
      )}
      {!readOnly && anyPartitioned ? (
        <input placeholder="partition (or a...b)" value={partition} onChange={(e) => setPartition(e.target.value)} />
      ) : null}
      {!readOnly ? (
        <button
          className="primary"
          data-testid="materialize-selected"
          disabled={!selected.length || state.fetching}
          onClick={() => materialize(selected, partition || null)}
        >
          Materialize selected
        </button>
      ) : null}
      {state.runId ? (
        <Link to={`/runs/${state.runId}`} data-testid="launched-run">
          Run {state.runId.slice(0, 8)} launched
        </Link>
      ) : null}
      {state.error ? <span className="error">{state.error}</span> : null}
    </div>
  );
}
