import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useAssets } from "../api/hooks";
import { AssetStatusPill } from "../components/StatusPill";
import { VirtualRows } from "../components/VirtualRows";
import { formatTime } from "../components/format";
import { STATUS_LABEL, type AssetStatus, type AssetSummary } from "../model/types";

const COLUMNS = "minmax(240px, 2fr) 140px 150px 160px 1fr 180px";

function distinct(assets: AssetSummary[], pick: (a: AssetSummary) => string[]): string[] {
  return [...new Set(assets.flatMap(pick))].sort();
}

function Choice({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All {label}</option>
      {options.map((o) => (
        <option key={o} value={o}>{o}</option>
      ))}
    </select>
  );
}

export function CatalogPage() {
  const { assets, error } = useAssets();
  const [text, setText] = useState("");
  const [group, setGroup] = useState("");
  const [kind, setKind] = useState("");
  const [owner, setOwner] = useState("");
  const [tag, setTag] = useState("");
  const [status, setStatus] = useState("");
  const [ready, setReady] = useState(false);
  const all = assets ?? [];
  const options = useMemo(
    () => ({
      groups: distinct(all, (a) => [a.group]),
      kinds: distinct(all, (a) => a.kinds),
      owners: distinct(all, (a) => a.owners),
      tags: distinct(all, (a) => a.tags),
    }),
    [assets],
  );
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return all.filter(
      (a) =>
        (!needle || a.key.toLowerCase().includes(needle)) &&
        (!group || a.group === group) &&
        (!kind || a.kinds.includes(kind)) &&
        (!owner || a.owners.includes(owner)) &&
        (!tag || a.tags.includes(tag)) &&
        (!status || a.status === status),
    );
  }, [assets, text, group, kind, owner, tag, status]);
  useEffect(() => {
    if (assets) requestAnimationFrame(() => setReady(true));
  }, [assets]);

  return (
    <div className="page" style={{ height: "100%" }} data-page="catalog" data-ready={ready ? "true" : "false"}>
      <h1>Assets <span className="muted">{assets ? `${shown.length} of ${all.length}` : ""}</span></h1>
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
        <input placeholder="Filter by key…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter by key" />
        <Choice label="groups" value={group} options={options.groups} onChange={setGroup} />
        <Choice label="kinds" value={kind} options={options.kinds} onChange={setKind} />
        <Choice label="owners" value={owner} options={options.owners} onChange={setOwner} />
        <Choice label="tags" value={tag} options={options.tags} onChange={setTag} />
        <select aria-label="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any status</option>
          {Object.entries(STATUS_LABEL).map(([s, label]) => (
            <option key={s} value={s}>{label}</option>
          ))}
        </select>
      </div>
      {error ? <div className="error">{error}</div> : null}
      <VirtualRows
        items={shown}
        rowHeight={38}
        testId="catalog"
        header={
          <div className="vrow vhead" style={{ gridTemplateColumns: COLUMNS, position: "sticky", height: 34 }}>
            <div className="cell">Key</div><div className="cell">Group</div><div className="cell">Status</div>
            <div className="cell">Kinds</div><div className="cell">Owners</div><div className="cell">Last materialized</div>
          </div>
        }
        renderRow={(a, _i, style) => (
          <div key={a.key} className="vrow" style={{ ...style, gridTemplateColumns: COLUMNS }} data-asset-key={a.key}>
            <div className="cell"><Link to={`/asset/${a.key}`}>{a.key}</Link></div>
            <div className="cell">{a.group}</div>
            <div className="cell"><AssetStatusPill status={a.status as AssetStatus} /></div>
            <div className="cell">{a.kinds.join(", ")}</div>
            <div className="cell">{a.owners.join(", ")}</div>
            <div className="cell">{formatTime(a.lastMaterializedAt)}</div>
          </div>
        )}
      />
    </div>
  );
}
