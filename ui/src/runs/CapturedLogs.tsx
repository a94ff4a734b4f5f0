import { useQuery } from "urql";
import { graphql } from "../gql";

const CapturedLogsDocument = graphql(`
  query CapturedLogs($runId: ID!, $stepKey: String) {
    capturedLogs(runId: $runId, stepKey: $stepKey) { stepKey stdout stderr truncated }
  }
`);

export function CapturedLogs({ runId, steps, step, onStep }: { runId: string; steps: string[]; step: string | null; onStep: (s: string | null) => void }) {
  const [result] = useQuery({ query: CapturedLogsDocument, variables: { runId, stepKey: step }, pause: !step });
  return (
    <div>
      <select aria-label="step for logs" value={step ?? ""} onChange={(e) => onStep(e.target.value || null)}>
        <option value="">Choose a step…</option>
        {steps.map((s) => <option key={s}>{s}</option>)}
      </select>
      {result.error ? <div className="error">{result.error.message}</div> : null}
      {(result.data?.capturedLogs ?? []).map((log, i) => (
        <div key={i} className="grid2" style={{ marginTop: 8 }}>
          <div><div className="muted">stdout{log.truncated ? " (truncated)" : ""}</div><pre className="code">{log.stdout || "(empty)"}</pre></div>
          <div><div className="muted">stderr</div><pre className="code">{log.stderr || "(empty)"}</pre></div>
        </div>
      ))}
    </div>
  );
}
