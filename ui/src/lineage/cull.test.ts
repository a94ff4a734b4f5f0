import { describe, expect, it } from "vitest";
import { cull, viewRect } from "./cull";

const node = (id: string, x: number, y: number) => ({ id, x, y, width: 100, height: 50 });

describe("culling to the view", () => {
  const nodes = [node("a", 0, 0), node("b", 5000, 0), node("c", 20_000, 0)];
  const edges = [
    { id: "a->b", source: "a", target: "b" },
    { id: "b->c", source: "b", target: "c" },
  ];
  const rect = { left: -100, top: -100, right: 1000, bottom: 1000 };

  it("keeps the nodes in view and the far ends of the edges leaving it", () => {
    const { ids, edges: kept } = cull(nodes, [], edges, rect);
    expect([...ids].sort()).toEqual(["a", "b"]);
    expect(kept.map((e) => e.id)).toEqual(["a->b"]);
  });

  it("zoomed far out keeps only the edges inside the view", () => {
    const { ids, edges: kept } = cull(nodes, [], edges, rect, true);
    expect([...ids]).toEqual(["a"]);
    expect(kept).toEqual([]);
  });

  it("snaps the view's rectangle so that a small pan keeps it", () => {
    const one = viewRect({ x: -10, y: -5, zoom: 1 }, 1000, 800);
    const two = viewRect({ x: -20, y: -10, zoom: 1 }, 1000, 800);
    expect(two).toEqual(one);
    expect(one.left).toBeLessThan(0);
    expect(one.right).toBeGreaterThan(1000);
  });
});
