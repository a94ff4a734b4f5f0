import { useEffect, useState } from "react";
import { useJobs } from "../api/hooks";
import { YamlEditor } from "../components/YamlEditor";

export function LaunchpadPage() {
  const { jobs, error } = useJobs();
  const [job, setJob] = useState("");
  const [config, setConfig] = useState("{}\n");
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    if (!job && jobs?.length) setJob(`${jobs[0].locationName}/${jobs[0].name}`);
  }, [jobs]);
  return (
    <div className="page" data-page="launchpad" data-ready={jobs ? "true" : "false"}>
      <h1>Launchpad</h1>
      {error ? <div className="error">{error}</div> : null}
      <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <select aria-label="job" value={job} onChange={(e) => setJob(e.target.value)}>
          {(jobs ?? []).map((j) => (
            <option key={`${j.locationName}/${j.name}`} value={`${j.locationName}/${j.name}`}>{j.name} ({j.locationName})</option>
          ))}
        </select>
      </div>
      <YamlEditor value={config} onChange={setConfig} onProblems={setProblems} />
      <div data-testid="config-problems">
        {problems.map((p, i) => <div key={i} className="error">{p}</div>)}
      </div>
    </div>
  );
}
