// The layout worker: receives a visible graph, answers with positions. ELK (1.5 MB) is loaded
// only for the first graph small enough to use it; large graphs never wait for it.
import type { ELK as ElkApi } from "elkjs/lib/elk-api";
import { layoutGraph } from "./layout";
import type { VisibleGraph } from "./graphModel";

let elk: Promise<ElkApi> | null = null;

function loadElk(): Promise<ElkApi> {
  // elk.bundled.js, evaluated inside a worker, installs its own self.onmessage (it can serve as
  // ELK's worker script), and the bundle evaluates it when its export is first read: read it,
  // then put our handler back.
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => {
    const instance = new m.default();
    self.onmessage = onMessage;
    return instance;
  });
  return elk;
}

async function onMessage(event: MessageEvent<{ id: number; graph: VisibleGraph }>) {
  const { id, graph } = event.data;
  try {
    const result = await layoutGraph(loadElk, graph);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
}

self.onmessage = onMessage;
