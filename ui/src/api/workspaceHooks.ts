import { useEffect, useRef } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
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
    schedules {
      name locationName cronSchedules jobName executionTimezone description defaultStatus status
      lastTickTimestamp nextTicks(count: 3)
      ticks(first: 10) { tickId timestamp status runIds skipReason error }
    }
    sensors {
      name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus status
      cursor lastTickTimestamp
      ticks(first: 10) { tickId timestamp status runIds skipReason error }
    }
  }
`);

export function useAutomation() {
  const [result, refetch] = useQuery({ query: AutomationDocument });
  usePoll(true, () => refetch({ requestPolicy: "network-only" }), 5000);
  return {
    schedules: result.data?.schedules ?? null,
    sensors: result.data?.sensors ?? null,
    error: result.error?.message ?? null,
    refetch: () => refetch({ requestPolicy: "network-only" }),
  };
}

const StartScheduleDocument = graphql(`
  mutation StartSchedule($locationName: String!, $name: String!) {
    startSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }
  }
`);
const StopScheduleDocument = graphql(`
  mutation StopSchedule($locationName: String!, $name: String!) {
    stopSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }
  }
`);
const StartSensorDocument = graphql(`
  mutation StartSensor($locationName: String!, $name: String!) {
    startSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }
  }
`);
const StopSensorDocument = graphql(`
  mutation StopSensor($locationName: String!, $name: String!) {
    stopSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }
  }
`);

/** Start or stop a schedule or sensor; resolves to the user errors' messages (empty: done). */
export function useInstigatorToggle() {
  const [, startSchedule] = useMutation(StartScheduleDocument);
  const [, stopSchedule] = useMutation(StopScheduleDocument);
  const [, startSensor] = useMutation(StartSensorDocument);
  const [, stopSensor] = useMutation(StopSensorDocument);
  return async (kind: "schedule" | "sensor", on: boolean, locationName: string, name: string): Promise<string[]> => {
    const variables = { locationName, name };
    if (kind === "schedule") {
      const r = await (on ? startSchedule : stopSchedule)(variables);
      const payload = r.data ? ("startSchedule" in r.data ? r.data.startSchedule : r.data.stopSchedule) : null;
      return r.error ? [r.error.message] : (payload?.errors ?? []).map((e) => e.message);
    }
    const r = await (on ? startSensor : stopSensor)(variables);
    const payload = r.data ? ("startSensor" in r.data ? r.data.startSensor : r.data.stopSensor) : null;
    return r.error ? [r.error.message] : (payload?.errors ?? []).map((e) => e.message);
  };
}

const CancelBackfillDocument = graphql(`
  mutation CancelBackfill($backfillId: ID!) {
    cancelBackfill(backfillId: $backfillId) { backfill { backfillId status } errors { message } }
  }
`);

export function useCancelBackfill() {
  const [, cancel] = useMutation(CancelBackfillDocument);
  return (backfillId: string) => cancel({ backfillId });
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
    codeLocations { name status snapshotId definitionsAreStale error { message } }
  }
`);

/** Refreshes asset data whenever a code location's definitions change (hot reload); the
 * locations that failed to load, for a banner on every page. */
export function useLocationChanges(): { name: string; message: string; stale: boolean }[] {
  const bumpAssets = useUi((s) => s.bumpAssets);
  const [result] = useSubscription({ query: LocationChangesDocument });
  const seen = useRef<string | null>(null);
  const signature = (result.data?.codeLocations ?? []).map((l) => `${l.name}:${l.status}:${l.snapshotId}`).join(",");
  useEffect(() => {
    if (!signature) return;
    if (seen.current !== null && seen.current !== signature) bumpAssets();
    seen.current = signature;
  }, [signature]);
  return (result.data?.codeLocations ?? [])
    .filter((l) => l.error)
    .map((l) => ({ name: l.name, message: l.error!.message, stale: l.definitionsAreStale }));
}
