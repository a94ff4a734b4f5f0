import { useEffect, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { graphql } from "../gql";
import type { RunEventsSubscription, RunStatus } from "../gql/graphql";

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
  subscription RunEvents($runId: ID!, $after: String) {
    runEvents(runId: $runId, after: $after) {
      cursor
      runStatus
      isFinished
      events { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }
    }
  }
`);

export type RunEvent = RunEventsSubscription["runEvents"]["events"][number];

/**
 * A run's events, oldest first, from the `runEvents` subscription: every stored event first,
 * then new ones as the run writes them, until it finishes. A dropped connection resumes from
 * the last cursor.
 */
export function useRunEvents(runId: string): { events: RunEvent[]; loaded: boolean; status: string | null; error: string | null } {
  const client = useClient();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<string | null>(null);
  const seen = useRef(new Set<string>());

  useEffect(() => {
    setEvents([]);
    setLoaded(false);
    cursor.current = null;
    seen.current = new Set();
    let done = false;
    let subscription: { unsubscribe: () => void } | null = null;
    const start = () => {
      subscription = client.subscription(RunEventsDocument, { runId, after: cursor.current }).subscribe((result) => {
        if (result.error) {
          setError(result.error.message);
          if (!done) setTimeout(() => !done && start(), 1000);
          return;
        }
        const batch = result.data?.runEvents;
        if (!batch) return;
        setError(null);
        // A resumed subscription may repeat events around its cursor: keep each event once.
        const fresh = batch.events.filter((e) => !seen.current.has(String(e.storageId)));
        for (const e of fresh) seen.current.add(String(e.storageId));
        if (fresh.length) setEvents((prev) => prev.concat(fresh));
        if (batch.cursor) cursor.current = batch.cursor;
        if (batch.runStatus) setStatus(batch.runStatus);
        setLoaded(true);
      });
    };
    start();
    return () => {
      done = true;
      subscription?.unsubscribe();
    };
  }, [runId, client]);
  return { events, loaded, status, error };
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
