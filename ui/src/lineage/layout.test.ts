// Component tests of the lineage model and layout on generated graphs (no server involved).
import { describe, expect, it } from "vitest";
import { layoutGraph } from "./layout";
import { visibleGraph } from "./graphModel";
import type { AssetSummary } from "../model/types";

function generated(count: number, groups: number): AssetSummary[] {
  const assets: AssetSummary[] = [];
  for (let i = 0; i < count; i++) {
    const deps: string[] = [];
    for (let j = 0; j < 1 + (i % 3) && i > 0; j++) deps.push(`a${Math.max(0, i - 1 - ((i * 7 + j * 13) % Math.min(i, 50)))}`);
    assets.push({
      key: `a${i}`, path: [`a${i}`], group: `g${i % groups}`, codeLocation: "loc", kinds: [], owners: [], tags: [],
      deps: [...new Set(deps)], status: "missing", partitioned: false, description: null, lastMaterializedAt: null,
    });
  }
  return assets;
}

describe("lineage layout", () => {
  it("draws collapsed groups as one node each, with edges merged between groups", async () => {
    const graph = visibleGraph(generated(1000, 20), new Set(), null);
    expect(graph.nodes).toHaveLength(20);
    expect(graph.nodes.every((n) => n.kind === "group" && n.members.length === 50)).toBe(true);
    const layout = await layoutGraph(null, graph);
    expect(layout.nodes).toHaveLength(20);
  });

  it("lays out 10,000 assets with every group expanded quickly and without overlaps", async () => {
    const assets = generated(10_000, 20);
    const graph = visibleGraph(assets, new Set(assets.map((a) => a.group)), null);
    const started = performance.now();
    const layout = await layoutGraph(null, graph);
    const elapsed = performance.now() - started;
    expect(layout.nodes).toHaveLength(10_000);
    expect(layout.groups).toHaveLength(20);
    expect(elapsed).toBeLessThan(1500);
    const seen = new Set(layout.nodes.map((n) => `${Math.round(n.x)},${Math.round(n.y)}`));
    expect(seen.size).toBe(10_000);
  });

  it("restricts a focused view to the given assets", () => {
    const assets = generated(100, 4);
    const graph = visibleGraph(assets, new Set(), new Set(["a1", "a2"]));
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(["a1", "a2"]);
  });
});

describe("layered layout", () => {
  it("ranks a cyclic graph of groups by leaving out the edges that close cycles", async () => {
    const { layeredLayout } = await import("./layeredLayout");
    const boxes = ["a", "b", "c"].map((id) => ({ id, width: 10, height: 10 }));
    const placed = layeredLayout(boxes, [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "a" },
    ]);
    expect([placed.get("a")!.x < placed.get("b")!.x, placed.get("b")!.x < placed.get("c")!.x]).toEqual([true, true]);
  });
});
