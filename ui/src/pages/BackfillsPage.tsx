import { Link } from "react-router-dom";
import { useBackfills, useCancelBackfill, useCapabilities } from "../api/hooks";
import { formatTime } from "../components/format";

export function BackfillsPage() {
  const { backfills, error } = useBackfills();
  const { readOnly } = useCapabilities();
  const cancel = useCancelBackfill();
  return (
    <div className="page" data-page="backfills" data-ready={backfills ? "true" : "false"}>
      <h1>Backfills</h1>
      {error ? <div className="error">{error}</div> : null}
      <div className="card">
        {backfills && !backfills.length ? <div className="muted">No backfills yet.</div> : null}
        {backfills?.length ? (
          <table className="simple">
            <thead><tr><th>Backfill</th><th>Status</th><th>Assets</th><th>Partitions</th><th>Created</th><th>Runs</th><th /></tr></thead>
            <tbody>
              {backfills.map((b) => (
                <tr key={b.backfillId} data-backfill={b.backfillId}>
                  <td>{b.backfillId}</td>
                  <td>{b.status}{b.error ? <div className="error">{b.error}</div> : null}</td>
                  <td>{b.assetSelection.map((k) => k.path.join("/")).join(", ")}</td>
                  <td>{b.allPartitions ? "all" : b.partitionRange ? `${b.partitionRange[0]} … ${b.partitionRange[1]}` : `${b.partitionKeys?.length ?? 0} keys`}</td>
                  <td>{formatTime(b.createTime)}</td>
                  <td>{b.runIds.slice(0, 5).map((id) => <Link key={id} to={`/runs/${id}`} style={{ marginRight: 6 }}>{id.slice(0, 8)}</Link>)}{b.runIds.length > 5 ? `+${b.runIds.length - 5}` : ""}</td>
                  <td>{!readOnly && !["COMPLETED", "FAILED", "CANCELED", "CANCELING"].includes(b.status) ? <button className="danger" onClick={() => cancel(String(b.backfillId))}>Cancel</button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
