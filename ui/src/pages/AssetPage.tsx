import { useEffect, useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useAssetDetail, useCapabilities, useMaterialize } from "../api/hooks";
import { MetadataPlot, type Series } from "../components/MetadataPlot";
import { PartitionHeatmap } from "../components/PartitionHeatmap";
import { formatTime } from "../components/format";
import { MetadataTable } from "../components/MetadataTable";
import { AssetNeighbourhood } from "../lineage/AssetNeighbourhood";
import { keyToString } from "../model/types";

type Detail = NonNullable<ReturnType<typeof useAssetDetail>["asset"]>;

function numericSeries(asset: Detail): Series[] {
  const byLabel = new Map<string, { t: number; v: number }[]>();
  for (const event of asset.materializations.nodes) {
    for (const entry of event.metadata) {
      if (entry.number == null) continue;
      const points = byLabel.get(entry.label) ?? byLabel.set(entry.label, []).get(entry.label)!;
      points.push({ t: event.timestamp, v: entry.number });
    }
  }
  return [...byLabel]
    .filter(([, points]) => points.length > 0)
    .map(([label, points]) => {
      points.sort((a, b) => a.t - b.t);
      return { label, times: points.map((p) => p.t), values: points.map((p) => p.v) };
    });
}

export function AssetPage() {
  const path = (useParams()["*"] ?? "").split("/").filter(Boolean);
  const key = keyToString(path);
  const { asset, error, fetching } = useAssetDetail(path);
  const { readOnly } = useCapabilities();
  const [materialize, launch] = useMaterialize();
  const series = useMemo(() => (asset ? numericSeries(asset) : []), [asset]);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(false), [key]);
  useEffect(() => {
    if (asset) requestAnimationFrame(() => setReady(true));
  }, [asset]);

  if (error) return <div className="page error">{error}</div>;
  if (!asset) return <div className="page muted">{fetching ? "Loading…" : `No asset ${key} in this workspace.`}</div>;
  const latest = asset.materializations.nodes[0];
  return (
    <div className="page" data-page="asset" data-asset-key={key} data-ready={ready ? "true" : "false"}>
      <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
        <h1>{key}</h1>
        <span className="muted">group {asset.groupName} · {asset.locationName}</span>
        <span style={{ flex: 1 }} />
        {!readOnly && asset.isMaterializable && !asset.isPartitioned ? (
          <button className="primary" data-testid="materialize-asset" onClick={() => materialize([key], null)}>
            Materialize
          </button>
        ) : null}
        {launch.runId ? <Link to={`/runs/${launch.runId}`}>Run launched</Link> : null}
        {launch.error ? <span className="error">{launch.error}</span> : null}
      </div>
      {asset.description ? <div className="card">{asset.description}</div> : null}
      <div className="grid2">
        <div className="card">
          <h2>Definition</h2>
          <table className="simple">
            <tbody>
              <tr><th>Kinds</th><td>{asset.kinds.join(", ") || "—"}</td></tr>
              <tr><th>Owners</th><td>{asset.owners.join(", ") || "—"}</td></tr>
              <tr><th>Code version</th><td>{asset.codeVersion ?? "—"}</td></tr>
              <tr><th>Partitions</th><td>{asset.partitionsDescription ?? "not partitioned"}</td></tr>
              <tr><th>Automation</th><td>{asset.automationCondition ?? "—"}</td></tr>
              <tr><th>Tags</th><td>{asset.tags.map((t) => `${t.key}=${t.value}`).join(", ") || "—"}</td></tr>
            </tbody>
          </table>
          <MetadataTable entries={asset.metadata} />
        </div>
        <div className="card">
          <h2>Status</h2>
          <div>
            <span className={`pill status-${asset.staleStatus.status === "FRESH" ? "materialized" : asset.staleStatus.status === "STALE" ? "stale" : "missing"}`}>
              {asset.staleStatus.status.toLowerCase()}
            </span>
            {latest ? <span className="muted"> · last materialized {formatTime(latest.timestamp)} by <Link to={`/runs/${latest.runId}`}>{latest.runId.slice(0, 8)}</Link></span> : null}
          </div>
          {asset.staleStatus.causes.length ? (
            <ul>{asset.staleStatus.causes.map((c, i) => <li key={i}>{c.reason}</li>)}</ul>
          ) : null}
          <h2 style={{ marginTop: 12 }}>Lineage</h2>
          <AssetNeighbourhood
            upstream={asset.dependencyKeys.map((k) => keyToString(k.path))}
            downstream={asset.dependedByKeys.map((k) => keyToString(k.path))}
            self={key}
          />
        </div>
      </div>
      {asset.partitionStatus ? (
        <div className="card" data-testid="partitions">
          <h2>Partitions <span className="muted">{asset.partitionStatus.description}</span></h2>
          <div className="muted" style={{ marginBottom: 6 }}>
            {asset.partitionStatus.counts.materialized} of {asset.partitionStatus.counts.total} materialized ·{" "}
            {asset.partitionStatus.counts.failed} failed · {asset.partitionStatus.counts.missing} missing
          </div>
          <PartitionHeatmap ranges={asset.partitionStatus.ranges} />
          {asset.partitionStatus.error ? <div className="error">{asset.partitionStatus.error}</div> : null}
        </div>
      ) : null}
      <div className="card">
        <h2>Metadata over time</h2>
        {series.length ? (
          <div style={{ display: "flex", flexWrap: "wrap", gap: 16 }}>
            {series.map((s) => <MetadataPlot key={s.label} series={s} />)}
          </div>
        ) : (
          <div className="muted">No numeric metadata recorded yet.</div>
        )}
      </div>
      {asset.checks.length ? (
        <div className="card">
          <h2>Checks</h2>
          <table className="simple">
            <thead><tr><th>Check</th><th>Latest</th><th>History (newest first)</th></tr></thead>
            <tbody>
              {asset.checks.map((c) => (
                <tr key={c.name} data-check={c.name}>
                  <td>{c.name}{c.blocking ? <span className="muted"> (blocking)</span> : null}<div className="muted">{c.description}</div></td>
                  <td>{c.evaluations[0] ? <span className={`pill check-${c.evaluations[0].passed ? "passed" : "failed"}`}>{c.evaluations[0].passed ? "passed" : `failed (${c.evaluations[0].severity})`}</span> : <span className="muted">never ran</span>}</td>
                  <td>{c.evaluations.map((e, i) => <span key={i} className={`status-dot check-${e.passed ? "passed" : "failed"}`} title={formatTime(e.timestamp)} style={{ marginRight: 3 }} />)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="card">
        <h2>Materializations</h2>
        <table className="simple">
          <thead><tr><th>When</th><th>Partition</th><th>Run</th><th>Metadata</th></tr></thead>
          <tbody>
            {asset.materializations.nodes.slice(0, 50).map((m) => (
              <tr key={m.storageId}>
                <td>{formatTime(m.timestamp)}</td>
                <td>{m.partition ?? "—"}</td>
                <td><Link to={`/runs/${m.runId}`}>{m.runId.slice(0, 8)}</Link></td>
                <td className="muted">{m.metadata.map((e) => `${e.label}: ${typeof e.value === "object" ? JSON.stringify(e.value) : String(e.value)}`).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
