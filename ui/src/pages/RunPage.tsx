import { useEffect, useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useCapabilities, useRun, useRunEvents, useRunControl } from "../api/hooks";
import { RunStatusPill } from "../components/StatusPill";
import { formatDuration, formatTime } from "../components/format";
import { StepTimeline, stepsOf } from "../runs/StepTimeline";
import { EventLog } from "../runs/EventLog";
import { CapturedLogs } from "../runs/CapturedLogs";

export function RunPage() {
  const runId = useParams().runId!;
  const { run, error, fetching, refetch } = useRun(runId);
  const { readOnly } = useCapabilities();
  const { events, loaded, status: liveStatus } = useRunEvents(runId);
  const steps = useMemo(() => stepsOf(events), [events]);
  const [stepForLogs, setStepForLogs] = useState<string | null>(null);
  const control = useRunControl();
  const [ready, setReady] = useState(false);
  // The live status of the subscription refreshes the run's own fields (end time, duration).
  useEffect(() => {
    if (liveStatus) refetch({ requestPolicy: "network-only" });
  }, [liveStatus]);
  useEffect(() => {
    if (run && loaded) requestAnimationFrame(() => setReady(true));
  }, [run, loaded]);

  if (error) return <div className="page error">{error}</div>;
  if (!run) return <div className="page muted">{fetching ? "Loading…" : `No run ${runId}.`}</div>;
  return (
    <div className="page" data-page="run" data-run-id={runId} data-ready={ready ? "true" : "false"}>
      <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
        <h1>Run {runId.slice(0, 8)}</h1>
        <RunStatusPill status={run.status} />
        <span className="muted">
          {run.jobName} · created {formatTime(run.createTime)} · {formatDuration(run.durationSeconds)}
          {run.partition ? ` · partition ${run.partition}` : ""}
          {run.parentRunId ? <> · re-execution of <Link to={`/runs/${run.parentRunId}`}>{run.parentRunId.slice(0, 8)}</Link></> : null}
        </span>
        <span style={{ flex: 1 }} />
        {!readOnly && !run.isFinished ? (
          <button className="danger" data-testid="terminate" onClick={() => control.terminate(runId)}>Terminate</button>
        ) : null}
        {!readOnly && run.isFinished ? (
          <>
            <button data-testid="reexecute-all" onClick={() => control.reexecute(runId, "ALL_STEPS")}>Re-execute all</button>
            {run.status === "FAILURE" ? (
              <button data-testid="reexecute-failed" onClick={() => control.reexecute(runId, "FROM_FAILURE")}>From failure</button>
            ) : null}
          </>
        ) : null}
        {control.runId ? <Link to={`/runs/${control.runId}`}>New run {control.runId.slice(0, 8)}</Link> : null}
        {control.error ? <span className="error">{control.error}</span> : null}
      </div>
      <div className="card">
        <h2>Steps</h2>
        <StepTimeline steps={steps} runStart={run.startTime ?? run.createTime} runEnd={run.endTime} onPick={setStepForLogs} />
      </div>
      <div className="card" style={{ display: "flex", flexDirection: "column", height: 460 }}>
        <h2>Events <span className="muted">{events.length}{run.isFinished ? "" : " · live"}</span></h2>
        <EventLog events={events} steps={steps.map((s) => s.key)} />
      </div>
      <div className="card">
        <h2>stdout / stderr</h2>
        <CapturedLogs runId={runId} steps={steps.map((s) => s.key)} step={stepForLogs} onStep={setStepForLogs} />
      </div>
    </div>
  );
}
