// Mutations. Until the API offers them these hooks report that the action is unavailable.
import { useState } from "react";

export interface LaunchState {
  fetching: boolean;
  runId: string | null;
  error: string | null;
}

const UNAVAILABLE = "This webserver's API offers no such mutation yet.";

export function useMaterialize(): [(keys: string[], partition: string | null) => void, LaunchState] {
  const [state, setState] = useState<LaunchState>({ fetching: false, runId: null, error: null });
  return [() => setState({ fetching: false, runId: null, error: UNAVAILABLE }), state];
}

export function useRunControl() {
  const [state, setState] = useState<LaunchState>({ fetching: false, runId: null, error: null });
  return {
    ...state,
    terminate: (_runId: string) => setState({ ...state, error: UNAVAILABLE }),
    reexecute: (_runId: string, _strategy: "ALL_STEPS" | "FROM_FAILURE") => setState({ ...state, error: UNAVAILABLE }),
  };
}
