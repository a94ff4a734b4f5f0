import { useEffect, useRef, useState } from "react";
import type { VisibleGraph } from "./graphModel";
import type { LayoutResult } from "./layout";

/** Lays `graph` out in the layout worker; the latest request wins. */
export function useLayout(graph: VisibleGraph | null): { layout: LayoutResult | null; error: string | null } {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [state, setState] = useState<{ layout: LayoutResult | null; error: string | null }>({
    layout: null,
    error: null,
  });

  useEffect(() => {
    const w = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (event: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      if (event.data.id !== latest.current) return;
      setState({ layout: event.data.result ?? null, error: event.data.error ?? null });
    };
    worker.current = w;
    return () => w.terminate();
  }, []);

  useEffect(() => {
    if (!graph || !worker.current) return;
    latest.current += 1;
    worker.current.postMessage({ id: latest.current, graph });
  }, [graph]);

  return state;
}
