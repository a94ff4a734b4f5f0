// A Gantt chart of a run's steps, from their STEP_START and STEP_SUCCESS/FAILURE/SKIPPED events.
import type { RunEvent } from "../api/hooks";
import { formatDuration } from "../components/format";

export interface StepSpan {
  key: string;
  start: number | null;
  end: number | null;
  status: "running" | "success" | "failure" | "skipped" | "pending";
}

const END_STATUS: Record<string, StepSpan["status"]> = {
  STEP_SUCCESS: "success",
  STEP_FAILURE: "failure",
  STEP_SKIPPED: "skipped",
};
const COLOUR: Record<StepSpan["status"], string> = {
  running: "var(--running)", success: "var(--materialized)", failure: "var(--failed)", skipped: "var(--missing)", pending: "var(--line)",
};

export function stepsOf(events: RunEvent[]): StepSpan[] {
  const steps = new Map<string, StepSpan>();
  for (const e of events) {
    if (!e.stepKey) continue;
    let step = steps.get(e.stepKey);
    if (!step) {
      step = { key: e.stepKey, start: null, end: null, status: "pending" };
      steps.set(e.stepKey, step);
    }
    if (e.eventType === "STEP_START") {
      step.start = e.timestamp;
      step.status = "running";
    } else if (END_STATUS[e.eventType]) {
      step.end = e.timestamp;
      step.start ??= e.timestamp;
      step.status = END_STATUS[e.eventType];
    }
  }
  return [...steps.values()];
}

export function StepTimeline({ steps, runStart, runEnd, onPick }: { steps: StepSpan[]; runStart: number; runEnd: number | null | undefined; onPick: (key: string) => void }) {
  if (!steps.length) return <div className="muted">No step has started yet.</div>;
  const now = Date.now() / 1000;
  const end = Math.max(runEnd ?? now, ...steps.map((s) => s.end ?? now));
  const span = Math.max(end - runStart, 0.001);
  return (
    <div className="gantt" data-testid="step-timeline">
      {steps.map((s) => {
        const left = (((s.start ?? end) - runStart) / span) * 100;
        const width = ((((s.end ?? now) - (s.start ?? end)) / span) * 100);
        return (
          <div key={s.key} className="gantt-row" data-step={s.key} data-step-status={s.status} onClick={() => onPick(s.key)}>
            <div className="gantt-label" title={s.key}>{s.key}</div>
            <div className="gantt-track">
              <div className="gantt-bar" style={{ left: `${left}%`, width: `${Math.max(width, 0.3)}%`, color: COLOUR[s.status] }} title={`${s.status} · ${formatDuration(s.start && s.end ? s.end - s.start : null)}`} />
            </div>
          </div>
        );
      })}
    </div>
  );
}
