// Partition status drawn as ranges on one canvas: one rectangle per range of consecutive keys
// with the same status, never one element per partition (100,000 partitions stay cheap).
import { useEffect, useRef } from "react";

export interface PartitionRangeView {
  start: string;
  end: string;
  status: string;
  count: number;
}

const COLOURS: Record<string, string> = {
  MATERIALIZED: "#1f9d55",
  FAILED: "#d64545",
  IN_PROGRESS: "#2463eb",
  MISSING: "#d6dbe4",
};

export function PartitionHeatmap({ ranges }: { ranges: PartitionRangeView[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const total = ranges.reduce((n, r) => n + r.count, 0);
  useEffect(() => {
    const el = canvas.current;
    if (!el || !total) return;
    const width = el.clientWidth * devicePixelRatio;
    const height = el.clientHeight * devicePixelRatio;
    el.width = width;
    el.height = height;
    const ctx = el.getContext("2d")!;
    let offset = 0;
    for (const range of ranges) {
      const x = (offset / total) * width;
      const w = Math.max((range.count / total) * width, 1);
      ctx.fillStyle = COLOURS[range.status.toUpperCase()] ?? "#9aa3b2";
      ctx.fillRect(x, 0, w, height);
      offset += range.count;
    }
  }, [ranges, total]);
  const onMove = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const el = event.currentTarget;
    const at = (event.nativeEvent.offsetX / el.clientWidth) * total;
    let offset = 0;
    for (const range of ranges) {
      if (at < offset + range.count) {
        el.title = `${range.start} … ${range.end}: ${range.status.toLowerCase()} (${range.count})`;
        return;
      }
      offset += range.count;
    }
  };
  return (
    <div>
      <canvas ref={canvas} className="heatmap" data-testid="partition-heatmap" data-ranges={ranges.length} onMouseMove={onMove} />
      <div className="legend">
        {Object.entries(COLOURS).map(([status, colour]) => (
          <span key={status}>
            <span className="status-dot" style={{ color: colour }} /> {status.toLowerCase().replace("_", " ")}
          </span>
        ))}
      </div>
    </div>
  );
}
