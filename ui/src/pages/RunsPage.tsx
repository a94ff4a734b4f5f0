import { useState } from "react";
import { Link } from "react-router-dom";
import { useRuns } from "../api/hooks";
import { RunStatusPill } from "../components/StatusPill";
import { formatDuration, formatTime } from "../components/format";
import type { RunStatus } from "../gql/graphql";

const STATUSES: RunStatus[] = ["QUEUED", "STARTED", "SUCCESS", "FAILURE", "CANCELED"];

export function RunsPage() {
  const [status, setStatus] = useState<RunStatus | "">("");
  const [job, setJob] = useState("");
  const { runs, total, error } = useRuns(status ? [status] : null, job || null, true);
  return (
    <div className="page" data-page="runs" data-ready={runs ? "true" : "false"}>
      <h1>Runs <span className="muted">{runs ? total : ""}</span></h1>
      <div style={{ display: "flex", gap: 8 }}>
        <select aria-label="status" value={status} onChange={(e) => setStatus(e.target.value as RunStatus | "")}>
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s}>{s}</option>)}
        </select>
        <input placeholder="Job name" value={job} onChange={(e) => setJob(e.target.value)} aria-label="Job name" />
      </div>
      {error ? <div className="error">{error}</div> : null}
      <div className="card">
        <RunsTable runs={runs ?? []} />
      </div>
    </div>
  );
}

type RunRow = NonNullable<ReturnType<typeof useRuns>["runs"]>[number];

export function RunsTable({ runs }: { runs: RunRow[] }) {
  if (!runs.length) return <div className="muted">No runs yet.</div>;
  return (
    <table className="simple" data-testid="runs-table">
      <thead>
        <tr><th>Run</th><th>Status</th><th>Job</th><th>Target</th><th>Created</th><th>Duration</th></tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.runId} data-run-id={r.runId}>
            <td><Link to={`/runs/${r.runId}`}>{String(r.runId).slice(0, 8)}</Link></td>
            <td><RunStatusPill status={r.status} /></td>
            <td>{r.jobName}</td>
            <td className="muted">
              {r.assetSelection ? `${r.assetSelection.length} asset${r.assetSelection.length === 1 ? "" : "s"}` : "—"}
              {r.partition ? ` · ${r.partition}` : ""}
            </td>
            <td>{formatTime(r.createTime)}</td>
            <td>{formatDuration(r.durationSeconds)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
