import { useEffect, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { graphql } from "../gql";
import type { RunEventsQuery, RunStatus } from "../gql/graphql";

const RunsDocument = graphql(`
  query Runs($filter: RunsFilter, $first: Int, $after: String) {
    runs(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        runId jobName status partition createTime startTime endTime durationSeconds
        assetSelection { path }
        tags { key value }
      }
    }
  }
`);

export function useRuns(statuses: RunStatus[] | null, jobName: string | null, poll: boolean) {
  const filter = statuses?.length || jobName ? { statuses: statuses?.length ? statuses : null, jobName } : null;
  const [result, refetch] = useQuery({ query: RunsDocument, variables: { filter, first: 200 } });
  usePoll(poll, () => refetch({ requestPolicy: "network-only" }));
  return { runs: result.data?.runs.nodes ?? null, total: result.data?.runs.totalCount ?? 0, error: result.error?.message ?? null };
}

const RunDocument = graphql(`
  query Run($runId: ID!) {
    run(runId: $runId) {
      runId jobName status partition parentRunId rootRunId locationName
      createTime startTime endTime durationSeconds isFinished runConfig
      assetSelection { path }
      tags { key value }
    }
  }
`);

export function useRun(runId: string) {
  const [result, refetch] = useQuery({ query: RunDocument, variables: { runId } });
  const run = result.data?.run ?? null;
  usePoll(!!run && !run.isFinished, () => refetch({ requestPolicy: "network-only" }));
  return { run, fetching: result.fetching, error: result.error?.message ?? null, refetch };
}

const RunEventsDocument = graphql(`
  query RunEvents($runId: ID!, $after: String) {
    runEvents(runId: $runId, after: $after, first: 1000) {
      pageInfo { hasNextPage endCursor }
      nodes { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }
    }
  }
`);

export type RunEvent = RunEventsQuery["runEvents"]["nodes"][number];

/** A run's events, oldest first, growing live while the run is in progress. */
export function useRunEvents(runId: string, live: boolean): { events: RunEvent[]; loaded: boolean; error: string | null } {
  const client = useClient();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<string | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    setEvents([]);
    setLoaded(false);
    cursor.current = null;
  }, [runId]);

  const pull = async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      for (;;) {
        const result = await client
          .query(RunEventsDocument, { runId, after: cursor.current }, { requestPolicy: "network-only" })
          .toPromise();
        if (result.error) {
          setError(result.error.message);
          break;
        }
        const page = result.data!.runEvents;
        if (page.nodes.length) setEvents((prev) => prev.concat(page.nodes));
        if (page.pageInfo.endCursor) cursor.current = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage) break;
      }
      setLoaded(true);
    } finally {
      busy.current = false;
    }
  };

  useEffect(() => {
    void pull();
  }, [runId]);
  usePoll(live, pull, 500);
  return { events, loaded, error };
}

export function usePoll(active: boolean, tick: () => unknown, everyMs = 1000) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => latest.current(), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
}
