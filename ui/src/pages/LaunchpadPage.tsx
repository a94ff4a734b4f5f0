import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { parse } from "yaml";
import { useCapabilities, useJobs, useLaunchJob } from "../api/hooks";
import { YamlEditor } from "../components/YamlEditor";

export function LaunchpadPage() {
  const { jobs, error } = useJobs();
  const { readOnly } = useCapabilities();
  const [job, setJob] = useState("");
  const [config, setConfig] = useState("{}\n");
  const [partition, setPartition] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const launch = useLaunchJob();
  useEffect(() => {
    if (!job && jobs?.length) setJob(`${jobs[0].locationName}/${jobs[0].name}`);
  }, [jobs]);
  const chosen = useMemo(() => jobs?.find((j) => `${j.locationName}/${j.name}` === job) ?? null, [jobs, job]);
  const onLaunch = () => {
    if (!chosen) return;
    let value: unknown;
    try {
      value = parse(config) ?? {};
    } catch {
      return;
    }
    void launch.launch(chosen.locationName, chosen.name, value, partition || null);
  };
  const inline = launch.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  return (
    <div className="page" data-page="launchpad" data-ready={jobs ? "true" : "false"}>
      <h1>Launchpad</h1>
      {error ? <div className="error">{error}</div> : null}
      <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <select aria-label="job" value={job} onChange={(e) => setJob(e.target.value)}>
          {(jobs ?? []).map((j) => (
            <option key={`${j.locationName}/${j.name}`} value={`${j.locationName}/${j.name}`}>
              {j.name} ({j.locationName})
            </option>
          ))}
        </select>
        {chosen?.partitionsDescription ? (
          <input placeholder={`partition (${chosen.partitionsDescription})`} value={partition} onChange={(e) => setPartition(e.target.value)} aria-label="partition" />
        ) : null}
        <span style={{ flex: 1 }} />
        {!readOnly ? (
          <button className="primary" data-testid="launch" disabled={!chosen || problems.length > 0 || launch.fetching} onClick={onLaunch}>
            Launch run
          </button>
        ) : null}
        {launch.runId ? <Link to={`/runs/${launch.runId}`} data-testid="launched-run">Run {launch.runId.slice(0, 8)} launched</Link> : null}
      </div>
      {chosen?.description ? <div className="muted">{chosen.description}</div> : null}
      <YamlEditor value={config} onChange={setConfig} onProblems={setProblems} />
      <div data-testid="config-problems">
        {[...problems, ...inline].map((p, i) => (
          <div key={i} className="error">{p}</div>
        ))}
      </div>
    </div>
  );
}
