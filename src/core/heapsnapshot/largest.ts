import { childrenOf } from './classes.js';
import type { LoadedSnapshot } from './load.js';

/**
 * The `top` nodes with the most retained size such that none is inside (dominated by) another,
 * leaving out the root's synthetic nodes, V8's system and code objects and the user's global
 * objects (they retain nearly everything): a best-first walk down the dominator tree that takes
 * the largest node on its frontier, or opens it up when it is one of those left out. As a
 * dominator retains at least what it dominates, this is the same as going down the list sorted by
 * retained size and skipping whatever a taken node already contains.
 */
export function largestNodes(loaded: LoadedSnapshot, top: number): number[] {
  const { graph, types, dominance } = loaded;
  const { retained } = dominance;
  const globals = new Set(loaded.globals);
  const skipped = (node: number) => {
    const type = graph.nodeType[node]!;
    return node === 0 || type === types.synthetic || type === types.hidden || type === types.code || globals.has(node);
  };
  const { firstChild, children } = childrenOf(dominance.dominator);
  const heap = new MaxHeap(retained);
  heap.push(0);
  const chosen: number[] = [];
  while (chosen.length < top && heap.size > 0) {
    const node = heap.pop();
    if (!skipped(node)) {
      chosen.push(node);
      continue;
    }
    for (let c = firstChild[node]!; c < firstChild[node + 1]!; c++) heap.push(children[c]!);
  }
  return chosen;
}

/** A binary max-heap of node ordinals keyed by a Float64Array. */
class MaxHeap {
  private readonly items: number[] = [];
  private readonly key: Float64Array;

  constructor(key: Float64Array) {
    this.key = key;
  }

  get size(): number {
    return this.items.length;
  }

  push(node: number): void {
    const { items, key } = this;
    items.push(node);
    let at = items.length - 1;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (key[items[up]!]! >= key[node]!) break;
      items[at] = items[up]!;
      at = up;
    }
    items[at] = node;
  }

  pop(): number {
    const { items, key } = this;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length === 0) return top;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && key[items[child + 1]!]! > key[items[child]!]!) child++;
      if (key[items[child]!]! <= key[last]!) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
