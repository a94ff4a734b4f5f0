import { useEffect, useRef, useState } from "react";
import type { VisibleGraph } from "./graphModel";
import type { LayoutResult } from "./layout";

let spare: Worker | null = null;

function startWorker(): Worker {
  return new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
}

/** Starts a layout worker ahead of the first layout (while the API answers). */
export function prestartLayoutWorker(): void {
  spare ??= startWorker();
}

function takeWorker(): Worker {
  const w = spare ?? startWorker();
  spare = null;
  return w;
}

/** Lays `graph` out in the layout worker; the latest request wins. */
export function useLayout(graph: VisibleGraph | null): { layout: LayoutResult | null; error: string | null } {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [state, setState] = useState<{ layout: LayoutResult | null; error: string | null }>({
    layout: null,
    error: null,
  });

  useEffect(() => {
    const w = takeWorker();
    w.onmessage = (event: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      if (event.data.id !== latest.current) return;
      performance.mark("lineage:layout-received");
      setState({ layout: event.data.result ?? null, error: event.data.error ?? null });
    };
    worker.current = w;
    return () => w.terminate();
  }, []);

  useEffect(() => {
    if (!graph || !worker.current) return;
    latest.current += 1;
    performance.mark("lineage:layout-requested");
    worker.current.postMessage({ id: latest.current, graph });
  }, [graph]);

  return state;
}
