// Typed hooks over the GraphQL API. Documents are typed by graphql-codegen (src/gql/, from the
// webserver's schema.graphql); components receive the UI's own shapes (model/types.ts).
import { useEffect, useMemo, useRef } from "react";
import { useQuery, type Client } from "urql";
import { graphql } from "../gql";
import type { AssetStatus, AssetSummary } from "../model/types";
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

const AssetGraphDocument = graphql(`
  query AssetGraph {
    assetGraph { definitions }
  }
`);

const AssetGraphStateDocument = graphql(`
  query AssetGraphState {
    assetGraph { state }
  }
`);

/** Starts the definitions query at start-up, while the page's code loads (the hook then finds
 * it in flight or in the cache). */
export function prefetchAssetGraph(client: Client): void {
  void client.query(AssetGraphDocument, {}).toPromise();
}

/** The JSON columns of `assetGraph.definitions` (see the schema's description). */
interface DefinitionColumns {
  keys: string[];
  groups: string[];
  groupIndex: number[];
  locations: string[];
  locationIndex: number[];
  deps: number[][];
  kinds: string[][];
  owners: string[][];
  tags: string[][];
  isPartitioned: boolean[];
  isMaterializable: boolean[];
}

/** The JSON columns of `assetGraph.state`. */
interface StateColumns {
  statuses: string[];
  lastMaterializedAt: (number | null)[];
}

const STATUS: Record<string, AssetStatus> = {
  RUNNING: "running",
  FAILED: "failed",
  CHECK_FAILING: "check_failing",
  MISSING: "missing",
  STALE: "stale",
  MATERIALIZED: "materialized",
};

/** The assets of the definition columns, their status unknown. */
export function assetsOf(defs: DefinitionColumns): AssetSummary[] {
  return defs.keys.map((key, i) => ({
    key,
    path: key.split("/"),
    group: defs.groups[defs.groupIndex[i]],
    codeLocation: defs.locations[defs.locationIndex[i]],
    kinds: defs.kinds[i],
    owners: defs.owners[i],
    tags: defs.tags[i],
    deps: defs.deps[i].map((d) => defs.keys[d]),
    status: "unknown",
    partitioned: defs.isPartitioned[i],
    description: null,
    lastMaterializedAt: null,
  }));
}

/** The same assets with the state columns' statuses (when they match the definitions). */
export function withState(assets: AssetSummary[], state: StateColumns | null): AssetSummary[] {
  if (!state || state.statuses.length !== assets.length) return assets;
  return assets.map((a, i) => ({
    ...a,
    status: STATUS[state.statuses[i]] ?? "unknown",
    lastMaterializedAt: state.lastMaterializedAt[i],
  }));
}

/**
 * Every asset of the workspace with its status: the definitions first (enough to draw the
 * graph and the catalog), the statuses as soon as they are computed; refreshed after a launch,
 * a code location change, and every 2 s while an asset's run is in progress.
 */
export function useAssets(): {
  assets: AssetSummary[] | null;
  /** The same assets without their state: changes only when the definitions do. */
  structure: AssetSummary[] | null;
  error: string | null;
} {
  const [defs, refetchDefs] = useQuery({ query: AssetGraphDocument, requestPolicy: "cache-first" });
  const [state, refetchState] = useQuery({ query: AssetGraphStateDocument });
  const version = useUi((s) => s.assetsVersion);
  const first = useRef(version);
  useEffect(() => {
    if (version === first.current) return;
    refetchDefs({ requestPolicy: "network-only" });
    refetchState({ requestPolicy: "network-only" });
  }, [version]);
  const definitions = defs.data?.assetGraph.definitions as DefinitionColumns | undefined;
  const columns = state.data?.assetGraph.state as StateColumns | undefined;
  const structure = useMemo(() => (definitions ? assetsOf(definitions) : null), [definitions]);
  const assets = useMemo(() => (structure ? withState(structure, columns ?? null) : null), [structure, columns]);
  const running = !!columns?.statuses.includes("RUNNING");
  usePoll(running, () => refetchState({ requestPolicy: "network-only" }), 2000);
  const error = defs.error?.message ?? state.error?.message ?? null;
  return { assets, structure, error };
}
