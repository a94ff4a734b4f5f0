import { useAutomation } from "../api/hooks";

export function AutomationPage() {
  const { schedules, sensors, error } = useAutomation();
  return (
    <div className="page" data-page="automation" data-ready={schedules && sensors ? "true" : "false"}>
      <h1>Schedules &amp; sensors</h1>
      {error ? <div className="error">{error}</div> : null}
      <div className="card">
        <h2>Schedules</h2>
        {schedules && !schedules.length ? <div className="muted">No schedules.</div> : null}
        {schedules?.length ? (
          <table className="simple">
            <thead><tr><th>Name</th><th>Cron</th><th>Job</th><th>Location</th><th>Default</th></tr></thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={`${s.locationName}/${s.name}`} data-schedule={s.name}>
                  <td>{s.name}<div className="muted">{s.description}</div></td>
                  <td><code>{s.cronSchedules.join(", ")}</code> {s.executionTimezone ?? ""}</td>
                  <td>{s.jobName}</td><td>{s.locationName}</td><td>{s.defaultStatus.toLowerCase()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="card">
        <h2>Sensors</h2>
        {sensors && !sensors.length ? <div className="muted">No sensors.</div> : null}
        {sensors?.length ? (
          <table className="simple">
            <thead><tr><th>Name</th><th>Type</th><th>Jobs</th><th>Interval</th><th>Default</th></tr></thead>
            <tbody>
              {sensors.map((s) => (
                <tr key={`${s.locationName}/${s.name}`} data-sensor={s.name}>
                  <td>{s.name}<div className="muted">{s.description}</div></td>
                  <td>{s.sensorType}</td><td>{s.jobNames.join(", ")}</td><td>{s.minimumIntervalSeconds} s</td><td>{s.defaultStatus.toLowerCase()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
