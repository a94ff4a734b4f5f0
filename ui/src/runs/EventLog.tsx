// A run's event log, virtualized, with filters by level, step and event type.
import { useMemo, useState } from "react";
import type { RunEvent } from "../api/hooks";
import { VirtualRows } from "../components/VirtualRows";

export function EventLog({ events, steps }: { events: RunEvent[]; steps: string[] }) {
  const [level, setLevel] = useState("");
  const [step, setStep] = useState("");
  const [type, setType] = useState("");
  const [text, setText] = useState("");
  const types = useMemo(() => [...new Set(events.map((e) => e.eventType))].sort(), [events]);
  const shown = useMemo(
    () =>
      events.filter(
        (e) =>
          (!level || e.levelName === level) &&
          (!step || e.stepKey === step) &&
          (!type || e.eventType === type) &&
          (!text || e.message.toLowerCase().includes(text.toLowerCase())),
      ),
    [events, level, step, type, text],
  );
  return (
    <>
      <div style={{ display: "flex", gap: 8, marginBottom: 8 }}>
        <select aria-label="level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">Any level</option>
          {["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].map((l) => <option key={l}>{l}</option>)}
        </select>
        <select aria-label="step" value={step} onChange={(e) => setStep(e.target.value)}>
          <option value="">Any step</option>
          {steps.map((s) => <option key={s}>{s}</option>)}
        </select>
        <select aria-label="event type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">Any type</option>
          {types.map((t) => <option key={t}>{t}</option>)}
        </select>
        <input placeholder="Search messages" value={text} onChange={(e) => setText(e.target.value)} />
        <span className="muted">{shown.length} shown</span>
      </div>
      <VirtualRows
        items={shown}
        rowHeight={24}
        className="log"
        testId="event-log"
        renderRow={(e, _i, style) => (
          <div key={e.storageId} className={`log-row level-${e.levelName}`} style={style} data-event-type={e.eventType}>
            <span>{new Date(e.timestamp * 1000).toLocaleTimeString()}</span>
            <span>{e.levelName}</span>
            <span className="cell">{e.stepKey ?? ""}</span>
            <span className="cell">{e.eventType}</span>
            <span className="cell" title={e.message}>{e.message}</span>
          </div>
        )}
      />
    </>
  );
}
