import type { Dominance } from './dominators.js';
import { classNameOf, selfSizeOf, type HeapGraph, type TypeIndex } from './graph.js';

/** Every class of the snapshot, by DevTools' Summary rules; `nodeClass` maps a node to its row. */
export interface ClassTable {
  names: string[];
  count: Float64Array;
  selfSize: Float64Array;
  retainedSize: Float64Array;
  nodeClass: Uint32Array;
}

/**
 * Count, self and retained size per class as DevTools' Summary shows them (HeapSnapshot.ts
 * `_buildAggregates`, `_calculateClassesRetainedSize`): a node counts when it has a self size
 * (native nodes always); a class's retained size adds an instance's retained size only when no
 * node above it in the dominator tree belongs to the same class, so a linked list of Item
 * counts once, at its head.
 */
export function classTable(graph: HeapGraph, types: TypeIndex, dominance: Dominance): ClassTable {
  const n = graph.nodeCount;
  const nodeClass = new Uint32Array(n);
  const names: string[] = [];
  const byName = new Map<number, number>();
  const byType = new Map<number, number>();
  for (let node = 0; node < n; node++) {
    const type = graph.nodeType[node]!;
    const named = type === types.object || type === types.native;
    const table = named ? byName : byType;
    const key = named ? graph.nodeName[node]! : type;
    let id = table.get(key);
    if (id === undefined) {
      id = names.length;
      table.set(key, id);
      names.push(classNameOf(graph, types, node));
    }
    nodeClass[node] = id;
  }
  // Two name indices can hold the same text only in a hand-made file; merge by name to be safe.
  const merged = mergeSameNames(names, nodeClass);
  const classes = merged.names.length;
  const count = new Float64Array(classes);
  const selfSize = new Float64Array(classes);
  for (let node = 0; node < n; node++) {
    const size = selfSizeOf(graph, node);
    if (size === 0 && graph.nodeType[node] !== types.native) continue;
    count[nodeClass[node]!]!++;
    selfSize[nodeClass[node]!]! += size;
  }
  const counted = (node: number) => graph.selfSize[node] !== 0 || graph.nodeType[node] === types.native;
  const retainedSize = classRetainedSizes(dominance.dominator, dominance.retained, nodeClass, classes, counted);
  return { names: merged.names, count, selfSize, retainedSize, nodeClass };
}

function mergeSameNames(names: string[], nodeClass: Uint32Array): { names: string[] } {
  const first = new Map<string, number>();
  const remap = new Uint32Array(names.length);
  const unique: string[] = [];
  names.forEach((name, id) => {
    let to = first.get(name);
    if (to === undefined) {
      to = unique.length;
      first.set(name, to);
      unique.push(name);
    }
    remap[id] = to;
  });
  if (unique.length !== names.length) for (let node = 0; node < nodeClass.length; node++) nodeClass[node] = remap[nodeClass[node]!]!;
  return { names: unique };
}

const childrenCache = new WeakMap<Uint32Array, { firstChild: Uint32Array; children: Uint32Array }>();

/** dominatorChildren, built once per dominator array (the class table and the largest objects share it). */
export function childrenOf(dominator: Uint32Array): { firstChild: Uint32Array; children: Uint32Array } {
  let tree = childrenCache.get(dominator);
  if (!tree) childrenCache.set(dominator, (tree = dominatorChildren(dominator)));
  return tree;
}

/** Forgets the cached tree (8 bytes a node) once nothing else needs it. */
export function dropChildren(dominator: Uint32Array): void {
  childrenCache.delete(dominator);
}

/** The dominator tree as CSR arrays: the nodes node n immediately dominates are children[firstChild[n] … firstChild[n + 1] - 1]. */
export function dominatorChildren(dominator: Uint32Array): { firstChild: Uint32Array; children: Uint32Array } {
  const n = dominator.length;
  // Counts, inclusive prefix sums (the end of each list), then filled from the ends backwards.
  const firstChild = new Uint32Array(n + 1);
  for (let node = 1; node < n; node++) firstChild[dominator[node]!]!++;
  for (let node = 1; node < n; node++) firstChild[node]! += firstChild[node - 1]!;
  firstChild[n] = n > 0 ? firstChild[n - 1]! : 0;
  const children = new Uint32Array(firstChild[n]!);
  for (let node = n - 1; node >= 1; node--) children[--firstChild[dominator[node]!]!] = node;
  return { firstChild, children };
}

/**
 * Depth-first over the dominator tree (node 0 is the root), remembering which classes are open
 * above the current node. Exported for the benchmark, which applies it to memlab's tree too.
 */
export function classRetainedSizes(
  dominator: Uint32Array,
  retained: Float64Array,
  nodeClass: Uint32Array,
  classes: number,
  counted: (node: number) => boolean,
): Float64Array {
  const { firstChild, children } = childrenOf(dominator);

  const result = new Float64Array(classes);
  const open = new Uint32Array(classes);
  // Stack of nodes to visit; when the stack shrinks back to `closeAt`, the class opened there closes.
  // Grown on demand: a wide or deep tree needs up to n slots, a typical heap far fewer.
  let stack: Uint32Array = new Uint32Array(1024);
  let closeAt: Uint32Array = new Uint32Array(1024);
  let closeClass: Uint32Array = new Uint32Array(1024);
  let closes = 0;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    const cls = nodeClass[node]!;
    const from = firstChild[node]!;
    const to = firstChild[node + 1]!;
    if (node !== 0 && open[cls] === 0 && counted(node)) {
      result[cls]! += retained[node]!;
      if (from !== to) {
        open[cls] = 1;
        if (closes === closeAt.length) [closeAt, closeClass] = [grow(closeAt), grow(closeClass)];
        closeAt[closes] = top;
        closeClass[closes++] = cls;
      }
    }
    while (top + (to - from) > stack.length) stack = grow(stack);
    for (let c = from; c < to; c++) stack[top++] = children[c]!;
    while (closes > 0 && closeAt[closes - 1] === top) open[closeClass[--closes]!] = 0;
  }
  return result;
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
