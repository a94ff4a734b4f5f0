import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useAssets, useDaemonHealth, useRuns } from "../api/hooks";
import { AssetStatusPill } from "../components/StatusPill";
import { RunsTable } from "./RunsPage";

export function OverviewPage() {
  const { runs } = useRuns(null, null, true);
  const { assets } = useAssets();
  const { health } = useDaemonHealth();
  const [ready, setReady] = useState(false);
  const attention = useMemo(
    () => (assets ?? []).filter((a) => a.status === "failed" || a.status === "check_failing" || a.status === "stale"),
    [assets],
  );
  useEffect(() => {
    if (runs && assets && health) requestAnimationFrame(() => setReady(true));
  }, [runs, assets, health]);
  return (
    <div className="page" data-page="overview" data-ready={ready ? "true" : "false"}>
      <h1>Overview</h1>
      <div className="grid2">
        <div className="card">
          <h2>Assets needing attention <span className="muted">{attention.length}</span></h2>
          {attention.length ? (
            <table className="simple">
              <tbody>
                {attention.slice(0, 15).map((a) => (
                  <tr key={a.key} data-asset-key={a.key}>
                    <td><Link to={`/asset/${a.key}`}>{a.key}</Link></td>
                    <td><AssetStatusPill status={a.status} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="muted">{assets ? `All ${assets.length} assets are fine (or never ran).` : "Loading…"}</div>
          )}
        </div>
        <div className="card">
          <h2>Daemon</h2>
          {health ? (
            <div>
              <span className={`pill ${health.healthy ? "status-materialized" : "status-failed"}`}>
                {health.running ? (health.healthy ? "healthy" : "unhealthy") : "not running"}
              </span>{" "}
              <Link to="/daemon">details</Link>
            </div>
          ) : null}
        </div>
      </div>
      <div className="card">
        <h2>Recent runs</h2>
        <RunsTable runs={(runs ?? []).slice(0, 10)} />
      </div>
    </div>
  );
}
