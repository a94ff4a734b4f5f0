import { useCapabilities, useCodeLocations, useReloadLocation } from "../api/hooks";

export function CodeLocationsPage() {
  const { locations, error } = useCodeLocations();
  const { readOnly } = useCapabilities();
  const { reload, fetching } = useReloadLocation();
  return (
    <div className="page" data-page="locations" data-ready={locations ? "true" : "false"}>
      <h1>Code locations</h1>
      {error ? <div className="error">{error}</div> : null}
      {(locations ?? []).map((l) => (
        <div key={l.name} className="card" data-location={l.name}>
          <h2>
            {l.name} <span className={`pill ${l.error ? "status-failed" : "status-materialized"}`}>{l.status.toLowerCase()}</span>
            {l.definitionsAreStale ? <span className="muted"> · showing the last good definitions</span> : null}
            {!readOnly ? <button style={{ marginLeft: 12 }} disabled={fetching} onClick={() => reload(l.name)}>Reload</button> : null}
          </h2>
          <div className="muted">
            {l.assetCount} assets · {l.jobs.length} jobs · {l.schedules.length} schedules · {l.sensors.length} sensors
            {l.pid ? ` · pid ${l.pid}` : ""} · {l.restarts} restarts
          </div>
          {l.error ? <pre className="code error">{l.error.message}{"\n"}{l.error.traceback}</pre> : null}
        </div>
      ))}
    </div>
  );
}
