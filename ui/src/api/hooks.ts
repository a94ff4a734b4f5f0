// Typed hooks over the GraphQL API. Documents are typed by graphql-codegen (src/gql/, from the
// webserver's schema.graphql); components receive the UI's own shapes (model/types.ts).
import { useEffect, useMemo, useRef } from "react";
import { useQuery } from "urql";
import { graphql } from "../gql";
import type { AssetsQuery } from "../gql/graphql";
import type { AssetStatus, AssetSummary } from "../model/types";
import { keyToString } from "../model/types";
import { useUi } from "../store";
import { usePoll } from "./runHooks";

export * from "./runHooks";
export * from "./assetHooks";
export * from "./mutations";
export * from "./workspaceHooks";

const CapabilitiesDocument = graphql(`
  query Capabilities {
    server {
      version
      readOnly
    }
  }
`);

export function useCapabilities(): { readOnly: boolean; version: string | null } {
  const [result] = useQuery({ query: CapabilitiesDocument, requestPolicy: "cache-first" });
  return { readOnly: result.data?.server.readOnly ?? true, version: result.data?.server.version ?? null };
}

const AssetsDocument = graphql(`
  query Assets {
    assets {
      totalCount
      nodes {
        key { path }
        locationName
        groupName
        description
        kinds
        owners
        tags { key value }
        isPartitioned
        dependencyKeys { path }
        lastRunId
        latestMaterialization { runId timestamp }
        staleStatus { status }
        checks { latestEvaluation { passed severity } }
      }
    }
  }
`);

const RunStatusesDocument = graphql(`
  query RunStatuses($runIds: [String!]!) {
    runs(filter: { runIds: $runIds }, first: 1000) {
      nodes { runId status }
    }
  }
`);

const IN_PROGRESS = new Set(["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"]);

type AssetNode = AssetsQuery["assets"]["nodes"][number];

export function assetStatus(node: AssetNode, runStatus: string | undefined): AssetStatus {
  if (runStatus && IN_PROGRESS.has(runStatus)) return "running";
  const materialized = node.latestMaterialization;
  if (runStatus === "FAILURE" && materialized?.runId !== node.lastRunId) return "failed";
  if (!materialized) return "missing";
  if (node.checks.some((c) => c.latestEvaluation && !c.latestEvaluation.passed)) return "check_failing";
  if (node.staleStatus.status === "STALE") return "stale";
  return "materialized";
}

/** Every asset of the workspace with its status; refreshed while runs are in progress. */
export function useAssets(): { assets: AssetSummary[] | null; error: string | null } {
  const [result, refetch] = useQuery({ query: AssetsDocument });
  const nodes = result.data?.assets.nodes;
  const version = useUi((s) => s.assetsVersion);
  const first = useRef(version);
  useEffect(() => {
    if (version !== first.current) refetch({ requestPolicy: "network-only" });
  }, [version]);
  const runIds = useMemo(
    () => [...new Set((nodes ?? []).map((n) => n.lastRunId).filter((id): id is string => !!id))],
    [nodes],
  );
  const [runs] = useQuery({ query: RunStatusesDocument, variables: { runIds }, pause: !runIds.length });
  const statuses = useMemo(
    () => new Map((runs.data?.runs.nodes ?? []).map((r) => [String(r.runId), String(r.status)])),
    [runs.data],
  );
  const waitingForRuns = runIds.length > 0 && !runs.data && !runs.error;
  const assets = useMemo(() => {
    if (!nodes || waitingForRuns) return null;
    return nodes.map(
      (n): AssetSummary => ({
        key: keyToString(n.key.path),
        path: n.key.path,
        group: n.groupName,
        codeLocation: n.locationName,
        kinds: n.kinds,
        owners: n.owners,
        tags: n.tags.map((t) => (t.value ? `${t.key}=${t.value}` : t.key)),
        deps: n.dependencyKeys.map((k) => keyToString(k.path)),
        status: assetStatus(n, n.lastRunId ? statuses.get(n.lastRunId) : undefined),
        partitioned: n.isPartitioned,
        description: n.description ?? null,
        lastMaterializedAt: n.latestMaterialization?.timestamp ?? null,
      }),
    );
  }, [nodes, statuses, waitingForRuns]);
  usePoll(!!assets?.some((a) => a.status === "running"), () => refetch({ requestPolicy: "network-only" }), 2000);
  const error = result.error?.message ?? runs.error?.message ?? null;
  return { assets, error };
}
