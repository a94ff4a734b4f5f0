// Mutations: each returns a payload with user errors, shown next to the button that asked.
import { useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { useUi } from "../store";

export interface LaunchState {
  fetching: boolean;
  runId: string | null;
  error: string | null;
}

const IDLE: LaunchState = { fetching: false, runId: null, error: null };

const MaterializeDocument = graphql(`
  mutation Materialize($input: MaterializeInput!) {
    materialize(input: $input) {
      run { runId status }
      errors { message kind field }
    }
  }
`);

/** Partition input: "a...b" is a range, anything else one key, "" none. */
export function partitionInput(partition: string | null) {
  if (!partition) return {};
  const [start, end] = partition.split("...");
  return end !== undefined ? { partitionRange: { start: start.trim(), end: end.trim() } } : { partitionKey: partition.trim() };
}

export function useMaterialize(): [(keys: string[], partition: string | null) => void, LaunchState] {
  const [state, setState] = useState<LaunchState>(IDLE);
  const [, run] = useMutation(MaterializeDocument);
  const bumpAssets = useUi((s) => s.bumpAssets);
  const materialize = async (keys: string[], partition: string | null) => {
    setState({ ...IDLE, fetching: true });
    const result = await run({ input: { assetKeys: keys.map((k) => ({ path: k.split("/") })), ...partitionInput(partition) } });
    const payload = result.data?.materialize;
    if (payload?.run) bumpAssets();
    setState({
      fetching: false,
      runId: payload?.run ? String(payload.run.runId) : null,
      error: result.error?.message ?? (payload?.errors.map((e) => e.message).join("\n") || null),
    });
  };
  return [materialize, state];
}

const LaunchJobDocument = graphql(`
  mutation LaunchJob($input: LaunchJobInput!) {
    launchJob(input: $input) {
      run { runId }
      errors { message kind field }
    }
  }
`);

export interface FieldError {
  message: string;
  field: string | null;
}

export function useLaunchJob() {
  const [state, setState] = useState<{ fetching: boolean; runId: string | null; errors: FieldError[] }>({ fetching: false, runId: null, errors: [] });
  const [, run] = useMutation(LaunchJobDocument);
  const launch = async (locationName: string, jobName: string, runConfig: unknown, partitionKey: string | null) => {
    setState({ fetching: true, runId: null, errors: [] });
    const result = await run({ input: { locationName, jobName, runConfig, partitionKey } });
    const payload = result.data?.launchJob;
    setState({
      fetching: false,
      runId: payload?.run ? String(payload.run.runId) : null,
      errors: result.error ? [{ message: result.error.message, field: null }] : (payload?.errors ?? []).map((e) => ({ message: e.message, field: e.field ?? null })),
    });
  };
  return { ...state, launch };
}

const TerminateDocument = graphql(`
  mutation Terminate($runIds: [ID!]!) {
    terminateRuns(runIds: $runIds) {
      results { runId changed message }
      errors { message }
    }
  }
`);

const ReexecuteDocument = graphql(`
  mutation Reexecute($input: ReexecuteInput!) {
    reexecuteRun(input: $input) {
      run { runId }
      errors { message }
    }
  }
`);

export function useRunControl() {
  const [state, setState] = useState<LaunchState>(IDLE);
  const [, terminateRuns] = useMutation(TerminateDocument);
  const [, reexecuteRun] = useMutation(ReexecuteDocument);
  return {
    ...state,
    terminate: async (runId: string) => {
      setState({ ...IDLE, fetching: true });
      const result = await terminateRuns({ runIds: [runId] });
      const payload = result.data?.terminateRuns;
      const failed = payload?.results.filter((r) => !r.changed).map((r) => r.message) ?? [];
      setState({ ...IDLE, error: result.error?.message ?? ([...(payload?.errors.map((e) => e.message) ?? []), ...failed].join("\n") || null) });
    },
    reexecute: async (runId: string, strategy: "ALL_STEPS" | "FROM_FAILURE") => {
      setState({ ...IDLE, fetching: true });
      const result = await reexecuteRun({ input: { runId, strategy } });
      const payload = result.data?.reexecuteRun;
      setState({
        fetching: false,
        runId: payload?.run ? String(payload.run.runId) : null,
        error: result.error?.message ?? (payload?.errors.map((e) => e.message).join("\n") || null),
      });
    },
  };
}

const ReloadDocument = graphql(`
  mutation ReloadLocation($name: String!) {
    reloadCodeLocation(name: $name) { errors { message } }
  }
`);

export function useReloadLocation() {
  const [result, reload] = useMutation(ReloadDocument);
  return { reload: (name: string) => reload({ name }), fetching: result.fetching };
}
