import { lazy, Suspense } from "react";
import { NavLink, Route, Routes } from "react-router-dom";
import { useCapabilities, useLocationChanges } from "./api/hooks";
const OverviewPage = lazy(() => import("./pages/OverviewPage").then((m) => ({ default: m.OverviewPage })));
const LineagePage = lazy(() => import("./pages/LineagePage").then((m) => ({ default: m.LineagePage })));
const CatalogPage = lazy(() => import("./pages/CatalogPage").then((m) => ({ default: m.CatalogPage })));
const AssetPage = lazy(() => import("./pages/AssetPage").then((m) => ({ default: m.AssetPage })));
const RunsPage = lazy(() => import("./pages/RunsPage").then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import("./pages/RunPage").then((m) => ({ default: m.RunPage })));
const LaunchpadPage = lazy(() => import("./pages/LaunchpadPage").then((m) => ({ default: m.LaunchpadPage })));
const AutomationPage = lazy(() => import("./pages/AutomationPage").then((m) => ({ default: m.AutomationPage })));
const BackfillsPage = lazy(() => import("./pages/BackfillsPage").then((m) => ({ default: m.BackfillsPage })));
const CodeLocationsPage = lazy(() => import("./pages/CodeLocationsPage").then((m) => ({ default: m.CodeLocationsPage })));
const DaemonPage = lazy(() => import("./pages/DaemonPage").then((m) => ({ default: m.DaemonPage })));

const NAV: [string, string][] = [
  ["/", "Overview"],
  ["/lineage", "Lineage"],
  ["/catalog", "Catalog"],
  ["/runs", "Runs"],
  ["/launchpad", "Launchpad"],
  ["/automation", "Schedules & sensors"],
  ["/backfills", "Backfills"],
  ["/locations", "Code locations"],
  ["/daemon", "Daemon"],
];

export function App() {
  const { readOnly } = useCapabilities();
  const failing = useLocationChanges();
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
        {failing.map((f) => (
          <div key={f.name} className="banner" data-testid="location-error">
            Code location <NavLink to="/locations">{f.name}</NavLink> failed to load
            {f.stale ? " (showing its last good definitions)" : ""}: {f.message.split("\n")[0]}
          </div>
        ))}
        <Suspense fallback={<div className="page muted">Loading…</div>}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/lineage" element={<LineagePage />} />
          <Route path="/catalog" element={<CatalogPage />} />
          <Route path="/asset/*" element={<AssetPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:runId" element={<RunPage />} />
          <Route path="/launchpad" element={<LaunchpadPage />} />
          <Route path="/automation" element={<AutomationPage />} />
          <Route path="/backfills" element={<BackfillsPage />} />
          <Route path="/locations" element={<CodeLocationsPage />} />
          <Route path="/daemon" element={<DaemonPage />} />
        </Routes>
        </Suspense>
      </main>
    </div>
  );
}
