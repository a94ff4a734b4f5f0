import { NavLink, Route, Routes } from "react-router-dom";
import { useCapabilities } from "./api/hooks";
import { OverviewPage } from "./pages/OverviewPage";
import { LineagePage } from "./pages/LineagePage";
import { CatalogPage } from "./pages/CatalogPage";
import { AssetPage } from "./pages/AssetPage";
import { RunsPage } from "./pages/RunsPage";
import { RunPage } from "./pages/RunPage";
import { LaunchpadPage } from "./pages/LaunchpadPage";
import { AutomationPage } from "./pages/AutomationPage";
import { BackfillsPage } from "./pages/BackfillsPage";
import { CodeLocationsPage } from "./pages/CodeLocationsPage";
import { DaemonPage } from "./pages/DaemonPage";

const NAV: [string, string][] = [
  ["/", "Overview"],
  ["/lineage", "Lineage"],
  ["/assets", "Catalog"],
  ["/runs", "Runs"],
  ["/launchpad", "Launchpad"],
  ["/automation", "Schedules & sensors"],
  ["/backfills", "Backfills"],
  ["/locations", "Code locations"],
  ["/daemon", "Daemon"],
];

export function App() {
  const { readOnly } = useCapabilities();
  return (
    <div className="shell">
      <nav className="nav">
        <div className="brand">headwater</div>
        {NAV.map(([to, label]) => (
          <NavLink key={to} to={to} end={to === "/"}>
            {label}
          </NavLink>
        ))}
        {readOnly ? <div className="read-only-badge" data-testid="read-only">read-only</div> : null}
      </nav>
      <main className="main">
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/lineage" element={<LineagePage />} />
          <Route path="/assets" element={<CatalogPage />} />
          <Route path="/assets/*" element={<AssetPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:runId" element={<RunPage />} />
          <Route path="/launchpad" element={<LaunchpadPage />} />
          <Route path="/automation" element={<AutomationPage />} />
          <Route path="/backfills" element={<BackfillsPage />} />
          <Route path="/locations" element={<CodeLocationsPage />} />
          <Route path="/daemon" element={<DaemonPage />} />
        </Routes>
      </main>
    </div>
  );
}
