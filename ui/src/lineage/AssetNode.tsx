import { memo } from "react";
import { Handle, Position, useStore, type Node, type NodeProps } from "@xyflow/react";
import { STATUS_LABEL, type AssetSummary } from "../model/types";

/** Below this zoom an asset is drawn as a coloured box with its name only (cheaper to draw). */
export const LOW_ZOOM = 0.45;

export type AssetNodeType = Node<{ asset: AssetSummary; selected: boolean; matched: boolean }, "asset">;

function AssetNodeView({ data }: NodeProps<AssetNodeType>) {
  const { asset, selected, matched } = data;
  const name = asset.path[asset.path.length - 1];
  const far = useStore((s) => s.transform[2] < LOW_ZOOM);
  if (far) {
    return (
      <div className={`asset-node far status-${asset.status}${selected ? " selected" : ""}${matched ? " matched" : ""}`} data-asset-key={asset.key} data-status={asset.status}>
        <Handle type="target" position={Position.Left} isConnectable={false} />
        <div className="asset-node-name">{name}</div>
        <Handle type="source" position={Position.Right} isConnectable={false} />
      </div>
    );
  }
  return (
    <div
      className={`asset-node status-${asset.status}${selected ? " selected" : ""}${matched ? " matched" : ""}`}
      data-asset-key={asset.key}
      data-status={asset.status}
      title={`${asset.key} — ${STATUS_LABEL[asset.status]}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="asset-node-name">{name}</div>
      <div className="asset-node-meta">
        <span className="status-dot" />
        {STATUS_LABEL[asset.status]}
        {asset.kinds.length ? <span className="kind">{asset.kinds[0]}</span> : null}
        {asset.partitioned ? <span className="kind">partitioned</span> : null}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const AssetNode = memo(AssetNodeView);
