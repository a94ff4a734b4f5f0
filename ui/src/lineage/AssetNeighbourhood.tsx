// The one-hop lineage of an asset: its upstream and downstream assets beside it.
import { Link } from "react-router-dom";

function Column({ title, keys }: { title: string; keys: string[] }) {
  return (
    <div style={{ flex: 1 }}>
      <div className="muted">{title}</div>
      {keys.length ? keys.map((k) => <div key={k}><Link to={`/asset/${k}`} data-asset-key={k}>{k}</Link></div>) : <div className="muted">none</div>}
    </div>
  );
}

export function AssetNeighbourhood({ upstream, downstream, self }: { upstream: string[]; downstream: string[]; self: string }) {
  return (
    <div style={{ display: "flex", gap: 12, alignItems: "center" }} data-testid="neighbourhood">
      <Column title="Upstream" keys={upstream} />
      <div className="pill">→ {self} →</div>
      <Column title="Downstream" keys={downstream} />
    </div>
  );
}
