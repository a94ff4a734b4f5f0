// A line plot of one numeric metadata entry over time (uPlot: small, fast, canvas).
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  /** Seconds since the epoch, ascending. */
  times: number[];
  values: number[];
}

export function MetadataPlot({ series, width = 420, height = 160 }: { series: Series; width?: number; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        scales: { x: { time: true } },
        series: [{}, { label: series.label, stroke: "#2463eb", width: 2, points: { show: series.times.length < 60 } }],
        axes: [{}, { size: 80 }],
      },
      [series.times, series.values],
      box.current,
    );
    return () => plot.destroy();
  }, [series, width, height]);
  return (
    <div className="plot" data-plot={series.label}>
      <div className="muted" style={{ fontSize: 12 }}>{series.label}</div>
      <div ref={box} />
    </div>
  );
}
