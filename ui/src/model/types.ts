// The UI's own view of the API's data. Hooks in api/ map GraphQL results onto these shapes so
// components never depend on the wire format.

export type AssetStatus =
  | "materialized"
  | "stale"
  | "failed"
  | "running"
  | "missing"
  | "check_failing"
  | "unknown";

export interface AssetSummary {
  /** The key path joined with "/" (the same string as `data-asset-key`). */
  key: string;
  path: string[];
  group: string;
  codeLocation: string;
  kinds: string[];
  owners: string[];
  tags: string[];
  /** Keys (joined with "/") this asset depends on. */
  deps: string[];
  status: AssetStatus;
  partitioned: boolean;
  description: string | null;
  lastMaterializedAt: number | null;
}

export const STATUS_LABEL: Record<AssetStatus, string> = {
  materialized: "Materialized",
  stale: "Stale",
  failed: "Failed",
  running: "Running",
  missing: "Never materialized",
  check_failing: "Check failing",
  unknown: "…",
};

export function keyToString(path: readonly string[]): string {
  return path.join("/");
}
