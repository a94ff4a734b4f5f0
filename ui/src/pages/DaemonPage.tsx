import { useDaemonHealth } from "../api/hooks";
import { formatTime } from "../components/format";

export function DaemonPage() {
  const { health, error } = useDaemonHealth();
  return (
    <div className="page" data-page="daemon" data-ready={health ? "true" : "false"}>
      <h1>Daemon</h1>
      {error ? <div className="error">{error}</div> : null}
      {health ? (
        <div className="card">
          <p>
            <span className={`pill ${health.healthy ? "status-materialized" : "status-failed"}`}>
              {health.running ? (health.healthy ? "healthy" : "unhealthy") : "not running"}
            </span>
            {health.daemonId ? <span className="muted"> · daemon {health.daemonId}</span> : null}
          </p>
          <table className="simple">
            <thead><tr><th>Loop</th><th>Status</th><th>Last heartbeat</th><th>Last error</th></tr></thead>
            <tbody>
              {health.loops.map((l) => (
                <tr key={l.name} data-loop={l.name}>
                  <td>{l.name}</td>
                  <td className={l.healthy ? "status-materialized" : "status-failed"}>{l.healthy ? "healthy" : "unhealthy"}</td>
                  <td>{formatTime(l.lastHeartbeat)}</td>
                  <td className="error">{l.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!health.running ? <p className="muted">Start it with <code>headwater daemon run</code> (or use <code>headwater dev</code>).</p> : null}
        </div>
      ) : null}
    </div>
  );
}
