// A linear-time layered layout (longest-path ranks, one barycenter sweep each way) for graphs
// too large for ELK's layered algorithm within the UI's paint budget (ELK takes ~2 s for 1,000
// nodes on this class of machine; this takes ~30 ms for 10,000). Left to right.

export interface Box {
  id: string;
  width: number;
  height: number;
}
export interface Placed {
  x: number;
  y: number;
}
export interface Link {
  source: string;
  target: string;
}

const GAP_X = 80;
const GAP_Y = 18;
const MAX_PER_COLUMN = 30;

/** Edges that close a cycle (found by a depth-first search in input order), to leave out of
 * the ranking: a graph of groups can have cycles, a graph of assets never does. */
function backEdges(ids: string[], succs: Map<string, string[]>): Set<string> {
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  const back = new Set<string>();
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = (succs.get(top[0]) ?? [])[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        back.add(`${top[0]}\u0000${next}`);
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return back;
}

function ranks(ids: string[], preds: Map<string, string[]>, succs: Map<string, string[]>) {
  const back = backEdges(ids, succs);
  const forward = (from: string, to: string) => !back.has(`${from}\u0000${to}`);
  const indegree = new Map<string, number>();
  for (const id of ids) indegree.set(id, (preds.get(id) ?? []).filter((p) => forward(p, id)).length);
  const rank = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) rank.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const next of succs.get(id) ?? []) {
      if (!forward(id, next)) continue;
      rank.set(next, Math.max(rank.get(next) ?? 0, rank.get(id)! + 1));
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  return rank;
}

function sweep(layers: string[][], neighbours: Map<string, string[]>, order: Map<string, number>) {
  for (const layer of layers) {
    const weight = new Map<string, number>();
    for (const id of layer) {
      const around = (neighbours.get(id) ?? []).filter((n) => order.has(n));
      weight.set(
        id,
        around.length ? around.reduce((sum, n) => sum + order.get(n)!, 0) / around.length : order.get(id)!,
      );
    }
    layer.sort((a, b) => weight.get(a)! - weight.get(b)!);
    layer.forEach((id, index) => order.set(id, index));
  }
}

export function layeredLayout(boxes: Box[], links: Link[]): Map<string, Placed> {
  const ids = boxes.map((b) => b.id);
  const known = new Set(ids);
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const { source, target } of links) {
    if (!known.has(source) || !known.has(target) || source === target) continue;
    (preds.get(target) ?? preds.set(target, []).get(target)!).push(source);
    (succs.get(source) ?? succs.set(source, []).get(source)!).push(target);
  }
  const rank = ranks(ids, preds, succs);
  const layers: string[][] = [];
  for (const id of ids) (layers[rank.get(id)!] ??= []).push(id);
  const dense = layers.filter(Boolean);
  const order = new Map<string, number>();
  dense.forEach((layer) => layer.forEach((id, index) => order.set(id, index)));
  sweep(dense, preds, order);
  sweep([...dense].reverse(), succs, order);
  sweep(dense, preds, order);

  // A layer taller than MAX_PER_COLUMN nodes wraps into several columns side by side, so that
  // a group of 500 independent assets is a block, not one column 30,000 px tall.
  const size = new Map(boxes.map((b) => [b.id, b]));
  const columns: string[][] = [];
  const columnOfLayer: number[] = [];
  for (const layer of dense) {
    columnOfLayer.push(columns.length);
    for (let i = 0; i < layer.length; i += MAX_PER_COLUMN) columns.push(layer.slice(i, i + MAX_PER_COLUMN));
  }
  const heights = columns.map((column) => column.reduce((h, id) => h + size.get(id)!.height + GAP_Y, -GAP_Y));
  const tallest = Math.max(0, ...heights);
  const placed = new Map<string, Placed>();
  let x = 0;
  columns.forEach((column, index) => {
    let y = (tallest - heights[index]) / 2;
    let width = 0;
    for (const id of column) {
      const box = size.get(id)!;
      placed.set(id, { x, y });
      y += box.height + GAP_Y;
      width = Math.max(width, box.width);
    }
    const lastOfLayer = index + 1 === columns.length || columnOfLayer.includes(index + 1);
    x += width + (lastOfLayer ? GAP_X : GAP_Y * 2);
  });
  return placed;
}
