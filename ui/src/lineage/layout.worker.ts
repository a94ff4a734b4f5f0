// The layout worker: receives a visible graph, answers with positions. Keeps one ELK instance.
import ELK from "elkjs/lib/elk.bundled.js";
import { layoutGraph } from "./layout";
import type { VisibleGraph } from "./graphModel";

const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: VisibleGraph }>) => {
  const { id, graph } = event.data;
  try {
    const result = await layoutGraph(elk, graph);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
