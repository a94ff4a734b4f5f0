import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { AssetStatus } from "../model/types";

export type GroupNodeType = Node<
  { group: string; count: number; statusCounts: Partial<Record<AssetStatus, number>>; onToggle: (g: string) => void },
  "group"
>;
export type GroupBoxType = Node<{ group: string; onToggle: (g: string) => void }, "groupBox">;

const ORDER: AssetStatus[] = ["failed", "check_failing", "running", "stale", "missing", "materialized"];

function GroupNodeView({ data }: NodeProps<GroupNodeType>) {
  return (
    <div className="group-node" data-group={data.group} onClick={() => data.onToggle(data.group)}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="group-node-name">{data.group}</div>
      <div className="group-node-count">{data.count} assets · click to expand</div>
      <div className="status-bar">
        {ORDER.map((status) =>
          data.statusCounts[status] ? (
            <span key={status} className={`status-${status}`} style={{ flex: data.statusCounts[status] }} />
          ) : null,
        )}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

function GroupBoxView({ data }: NodeProps<GroupBoxType>) {
  return (
    <div className="group-box" data-group={data.group}>
      <button className="group-box-header" onClick={() => data.onToggle(data.group)} title="Collapse group">
        ▾ {data.group}
      </button>
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
export const GroupBox = memo(GroupBoxView);
