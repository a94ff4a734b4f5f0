import { STATUS_LABEL, type AssetStatus } from "../model/types";

export function AssetStatusPill({ status }: { status: AssetStatus }) {
  return (
    <span className={`pill status-${status}`} data-status={status}>
      <span className="status-dot" />
      {STATUS_LABEL[status]}
    </span>
  );
}

export function RunStatusPill({ status }: { status: string }) {
  return (
    <span className={`pill run-${status}`} data-run-status={status}>
      <span className="status-dot" />
      {status}
    </span>
  );
}
