import type { Dominance } from './dominators.js';
import { LOCATED, type HeapGraph, type TypeIndex } from './graph.js';
import { kindName } from './names.js';
import { NO_SET, type PlainObjects } from './shapes.js';

/** Every class of the snapshot, by DevTools' Summary rules; `nodeClass` maps a node to its row. */
export interface ClassTable {
  names: string[];
  /** DevTools' class key: `,Name`, or `scriptId,line,column,Name` for objects whose constructor has a source location. */
  keys: string[];
  count: Float64Array;
  selfSize: Float64Array;
  retainedSize: Float64Array;
  nodeClass: Uint32Array;
}

/** A shape definition as text, so one snapshot's definitions can name another's objects (heap diff). */
export interface ShapeName {
  name: string;
  properties: string[];
}

/**
 * Count, self and retained size per class as DevTools' Summary shows them (HeapSnapshot.ts
 * `buildAggregates`, `calculateClassesRetainedSize`, devtools-frontend 138048f): a node counts
 * when its (folded, shallow.ts) self size is not 0 — the only filter; a class's retained size
 * adds an instance's retained size only when no node above it in the dominator tree belongs to
 * the same class, so a linked list of Item counts once, at its head. Rows are keyed as DevTools
 * keys them: by name, and for objects also by their constructor's source location.
 */
export function classTable(graph: HeapGraph, types: TypeIndex, dominance: Dominance, plain: PlainObjects, shapes: ShapeName[]): ClassTable {
  const n = graph.nodeCount;
  const nodeClass = new Uint32Array(n);
  const keys: string[] = [];
  const names: string[] = [];
  const byKey = new Map<string, number>();
  const classOf = (name: string, location: number) => {
    const key = `${location === 0 ? '' : graph.locationKeys[location - 1]},${name}`;
    let id = byKey.get(key);
    if (id === undefined) {
      id = names.length;
      byKey.set(key, id);
      keys.push(key);
      names.push(name);
    }
    return id;
  };
  const byType = new Int32Array(graph.nodeTypes.length + 1).fill(-1);
  const byName = new Map<number, number>();
  const { nodeType, nodeName, located } = graph;
  for (let node = 0; node < n; node++) {
    const type = nodeType[node]!;
    if (type !== types.object && type !== types.native) {
      if (byType[type] === -1) byType[type] = classOf(kindName(graph, types, type, undefined), 0);
      nodeClass[node] = byType[type]!;
      continue;
    }
    // A located object's name is its (name, location) pair (locations.ts): one key either way.
    const key = nodeName[node]!;
    let id = byName.get(key);
    if (id === undefined) {
      const pair = key >= LOCATED ? located[key - LOCATED]! : { name: key, location: 0 };
      id = classOf(kindName(graph, types, type, graph.strings.get(pair.name)), type === types.object ? pair.location : 0);
      byName.set(key, id);
    }
    nodeClass[node] = id;
  }
  const shapeClass = matchShapes(plain, shapes).map((shape) => (shape < 0 ? -1 : classOf(shapes[shape]!.name, 0)));
  for (let i = 0; i < plain.nodes.length; i++) {
    const set = plain.setOf[i]!;
    if (set !== NO_SET && shapeClass[set]! >= 0) nodeClass[plain.nodes[i]!] = shapeClass[set]!;
  }
  const classes = names.length;
  const count = new Float64Array(classes);
  const selfSize = new Float64Array(classes);
  for (let node = 0; node < n; node++) {
    const size = graph.selfSize[node]!;
    if (size === 0) continue;
    count[nodeClass[node]!]!++;
    selfSize[nodeClass[node]!]! += size === 0xffffffff ? graph.oversize.get(node)! : size;
  }
  const counted = (node: number) => graph.selfSize[node] !== 0;
  const retainedSize = classRetainedSizes(dominance.dominator, dominance.retained, nodeClass, classes, counted);
  return { names, keys, count, selfSize, retainedSize, nodeClass };
}

/**
 * For each distinct property set, the definition it takes (applyInterfaceDefinitions): the one
 * with the most properties, all of which the set has; on a tie the earlier (more common) one; -1
 * for none.
 */
export function matchShapes(plain: PlainObjects, shapes: ShapeName[]): Int32Array {
  const indexOf = new Map<string, number>();
  for (const [index, name] of plain.names) indexOf.set(name, index);
  const wanted = shapes.map((shape) => {
    const indices = shape.properties.map((name) => indexOf.get(name));
    return indices.includes(undefined)
      ? null
      : new Set(indices as number[]).size === indices.length
        ? (indices as number[])
        : [...new Set(indices as number[])];
  });
  return Int32Array.from(plain.sets, (set) => {
    const members = new Set(set);
    let best = -1;
    wanted.forEach((properties, shape) => {
      if (!properties || properties.length > set.length || (best >= 0 && properties.length <= wanted[best]!.length)) return;
      if (properties.every((name) => members.has(name))) best = shape;
    });
    return best;
  });
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
