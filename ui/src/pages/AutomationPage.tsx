import { useState } from "react";
import { Link } from "react-router-dom";
import { useAutomation, useCapabilities, useInstigatorToggle } from "../api/hooks";
import { formatTime } from "../components/format";

interface Tick {
  tickId?: string | null;
  timestamp: number;
  status: string;
  runIds: string[];
  skipReason?: string | null;
  error?: string | null;
}

function TickHistory({ ticks }: { ticks: Tick[] }) {
  if (!ticks.length) return <div className="muted">No tick yet.</div>;
  return (
    <table className="simple" data-testid="ticks">
      <tbody>
        {ticks.map((t, i) => (
          <tr key={t.tickId ?? i} data-tick-status={t.status}>
            <td>{formatTime(t.timestamp)}</td>
            <td className={t.status === "FAILURE" ? "error" : t.status === "SUCCESS" ? "status-materialized" : "muted"}>{t.status.toLowerCase()}</td>
            <td>
              {t.runIds.map((id) => <Link key={id} to={`/runs/${id}`} style={{ marginRight: 6 }}>{id.slice(0, 8)}</Link>)}
              {t.skipReason ? <span className="muted">{t.skipReason}</span> : null}
              {t.error ? <pre className="code error">{t.error}</pre> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Toggle(props: { on: boolean; disabled: boolean; onChange: (on: boolean) => void; name: string }) {
  return (
    <label className="pill" style={{ cursor: props.disabled ? "default" : "pointer" }}>
      <input type="checkbox" checked={props.on} disabled={props.disabled} data-testid={`toggle-${props.name}`} onChange={(e) => props.onChange(e.target.checked)} />
      {props.on ? "running" : "stopped"}
    </label>
  );
}

export function AutomationPage() {
  const { schedules, sensors, error, refetch } = useAutomation();
  const { readOnly } = useCapabilities();
  const toggle = useInstigatorToggle();
  const [open, setOpen] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const change = async (kind: "schedule" | "sensor", on: boolean, location: string, name: string) => {
    setProblems(await toggle(kind, on, location, name));
    refetch();
  };
  return (
    <div className="page" data-page="automation" data-ready={schedules && sensors ? "true" : "false"}>
      <h1>Schedules &amp; sensors</h1>
      {error ? <div className="error">{error}</div> : null}
      {problems.map((p, i) => <div key={i} className="error">{p}</div>)}
      <div className="card">
        <h2>Schedules</h2>
        {schedules && !schedules.length ? <div className="muted">No schedules.</div> : null}
        {schedules?.length ? (
          <table className="simple">
            <thead><tr><th>Name</th><th>Status</th><th>Cron</th><th>Job</th><th>Next ticks</th><th>Last tick</th></tr></thead>
            <tbody>
              {schedules.flatMap((s) => {
                const id = `schedule:${s.locationName}/${s.name}`;
                const rows = [
                  <tr key={id} data-schedule={s.name} onClick={() => setOpen(open === id ? null : id)}>
                    <td>{s.name}<div className="muted">{s.description}</div></td>
                    <td onClick={(e) => e.stopPropagation()}>
                      <Toggle name={s.name} on={s.status === "RUNNING"} disabled={readOnly} onChange={(on) => change("schedule", on, s.locationName, s.name)} />
                    </td>
                    <td><code>{s.cronSchedules.join(", ")}</code> {s.executionTimezone ?? ""}</td>
                    <td>{s.jobName}</td>
                    <td className="muted">{s.nextTicks.map((t) => formatTime(t)).join(" · ")}</td>
                    <td>{formatTime(s.lastTickTimestamp)}</td>
                  </tr>,
                ];
                if (open === id) rows.push(<tr key={`${id}:ticks`}><td colSpan={6}><TickHistory ticks={s.ticks} /></td></tr>);
                return rows;
              })}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="card">
        <h2>Sensors</h2>
        {sensors && !sensors.length ? <div className="muted">No sensors.</div> : null}
        {sensors?.length ? (
          <table className="simple">
            <thead><tr><th>Name</th><th>Status</th><th>Type</th><th>Jobs</th><th>Interval</th><th>Cursor</th><th>Last tick</th></tr></thead>
            <tbody>
              {sensors.flatMap((s) => {
                const id = `sensor:${s.locationName}/${s.name}`;
                const rows = [
                  <tr key={id} data-sensor={s.name} onClick={() => setOpen(open === id ? null : id)}>
                    <td>{s.name}<div className="muted">{s.description}</div></td>
                    <td onClick={(e) => e.stopPropagation()}>
                      <Toggle name={s.name} on={s.status === "RUNNING"} disabled={readOnly} onChange={(on) => change("sensor", on, s.locationName, s.name)} />
                    </td>
                    <td>{s.sensorType}</td><td>{s.jobNames.join(", ")}</td><td>{s.minimumIntervalSeconds} s</td>
                    <td className="muted">{s.cursor ?? "—"}</td>
                    <td>{formatTime(s.lastTickTimestamp)}</td>
                  </tr>,
                ];
                if (open === id) rows.push(<tr key={`${id}:ticks`}><td colSpan={7}><TickHistory ticks={s.ticks} /></td></tr>);
                return rows;
              })}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="muted">Click a row for its tick history. The daemon (<code>headwater daemon run</code>) evaluates what is running.</div>
    </div>
  );
}
