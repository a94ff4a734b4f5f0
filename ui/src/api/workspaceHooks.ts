import { useEffect, useRef } from "react";
import { useQuery, useSubscription } from "urql";
import { useUi } from "../store";
import { graphql } from "../gql";
import { usePoll } from "./runHooks";

const DaemonHealthDocument = graphql(`
  query DaemonHealth {
    daemonHealth { running healthy daemonId loops { name healthy lastHeartbeat lastError } }
  }
`);

export function useDaemonHealth() {
  const [result, refetch] = useQuery({ query: DaemonHealthDocument });
  usePoll(true, () => refetch({ requestPolicy: "network-only" }), 5000);
  return { health: result.data?.daemonHealth ?? null, error: result.error?.message ?? null };
}

const CodeLocationsDocument = graphql(`
  query CodeLocations {
    codeLocations {
      name status definitionsAreStale snapshotId pid restarts assetCount
      error { message traceback }
      jobs { name }
      schedules { name }
      sensors { name }
    }
  }
`);

export function useCodeLocations() {
  const [result, refetch] = useQuery({ query: CodeLocationsDocument });
  usePoll(true, () => refetch({ requestPolicy: "network-only" }), 3000);
  return { locations: result.data?.codeLocations ?? null, error: result.error?.message ?? null };
}

const AutomationDocument = graphql(`
  query Automation {
    schedules { name locationName cronSchedules jobName executionTimezone description defaultStatus }
    sensors { name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus }
  }
`);

export function useAutomation() {
  const [result] = useQuery({ query: AutomationDocument });
  return { schedules: result.data?.schedules ?? null, sensors: result.data?.sensors ?? null, error: result.error?.message ?? null };
}

const BackfillsDocument = graphql(`
  query Backfills {
    backfills(first: 100) {
      backfillId status partitionKeys partitionRange allPartitions createTime runIds error
      assetSelection { path }
    }
  }
`);

export function useBackfills() {
  const [result, refetch] = useQuery({ query: BackfillsDocument });
  usePoll(true, () => refetch({ requestPolicy: "network-only" }), 3000);
  return { backfills: result.data?.backfills ?? null, error: result.error?.message ?? null };
}

const JobsDocument = graphql(`
  query Jobs {
    jobs { name kind locationName description partitionsDescription assetKeys { path } }
  }
`);

export function useJobs() {
  const [result] = useQuery({ query: JobsDocument });
  return { jobs: result.data?.jobs ?? null, error: result.error?.message ?? null };
}

const LocationChangesDocument = graphql(`
  subscription LocationChanges {
    codeLocations { name status snapshotId }
  }
`);

/** Refreshes asset data whenever a code location's definitions change (hot reload). */
export function useLocationChanges() {
  const bumpAssets = useUi((s) => s.bumpAssets);
  const [result] = useSubscription({ query: LocationChangesDocument });
  const seen = useRef<string | null>(null);
  const signature = (result.data?.codeLocations ?? []).map((l) => `${l.name}:${l.status}:${l.snapshotId}`).join(",");
  useEffect(() => {
    if (!signature) return;
    if (seen.current !== null && seen.current !== signature) bumpAssets();
    seen.current = signature;
  }, [signature]);
}
