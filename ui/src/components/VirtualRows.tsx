// A virtualized list of fixed-height rows: only the rows in view are in the DOM.
import { useRef, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";

interface Props<T> {
  items: T[];
  rowHeight: number;
  header?: ReactNode;
  renderRow: (item: T, index: number, style: React.CSSProperties) => ReactNode;
  className?: string;
  testId?: string;
}

export function VirtualRows<T>({ items, rowHeight, header, renderRow, className, testId }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    initialRect: { width: 1000, height: 800 },
  });
  return (
    <div ref={scroller} className={`vtable ${className ?? ""}`} data-testid={testId}>
      {header}
      <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
        {virtual.getVirtualItems().map((row) =>
          renderRow(items[row.index], row.index, { top: row.start, height: rowHeight }),
        )}
      </div>
    </div>
  );
}
