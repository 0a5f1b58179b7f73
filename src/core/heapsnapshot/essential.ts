import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, type HeapGraph, type TypeIndex } from './graph.js';

/**
 * Where "page objects" start: DevTools' rule (the user's globals, the root's shortcut edges), or
 * memlab's (every root edge but the shortcuts: TraceFinder.flagReachableNodesFromWindow), which
 * flags nearly everything and so almost never skips an edge. The benchmark uses the second to
 * hold imdiag and memlab to one definition; the command always uses DevTools'.
 */
export type PageRule = 'user-globals' | 'gc-roots';

const ROOT = 0;

/**
 * What the retaining edges need of node names and ids, found beforehand so that those may be
 * parked (load.ts) while the edges are sorted: the root's edges that seed the page objects, and
 * which node each WeakMap table edge's name points at.
 */
export interface EssentialPlan {
  /** Targets of the root's edges that seed the page objects, in edge order. */
  seeds: Uint32Array;
  /** Edge name string index → the node (ordinal) of the WeakMap table it names. */
  tables: Map<number, number>;
}

export function essentialPlan(graph: HeapGraph, types: TypeIndex, rule: PageRule): EssentialPlan {
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const seeds: number[] = [];
  for (let e = firstEdge[ROOT]!; e < firstEdge[ROOT + 1]!; e++) {
    const type = edgeNameType[e]! & EDGE_TYPE_MASK;
    const to = edgeTo[e]!;
    const domTrees = type === types.edgeElement && graph.strings.get(graph.nodeName[to]!) === '(Document DOM trees)';
    if (rule === 'user-globals' ? type === types.edgeShortcut || domTrees : type !== types.edgeShortcut && !domTrees) seeds.push(to);
  }
  return { seeds: Uint32Array.from(seeds), tables: weakMapTables(graph) };
}

/**
 * The edges that retain, by devtools-frontend's `computeIsEssentialEdge` (138048f): not weak
 * edges; not a WeakMap table's edge to a value (V8 names it `N / part of key (… @K) -> value
 * (… @V) pair in WeakMap (table @T)`; the key's edge to the value stays); not self edges; not
 * shortcuts except the root's (they mark the user's globals); and not an edge from an object the
 * user's globals do not reach to one they do, so the debugger's or V8's own references do not
 * steal dominance. One bit per edge, and per node whether any essential edge reaches it. Reads
 * the edges, node types and the plan; no node name or id.
 */
export function essentialEdges(graph: HeapGraph, types: TypeIndex, plan: EssentialPlan): { bits: Uint8Array; retained: Uint8Array } {
  const { nodeCount, firstEdge, edgeNameType, edgeTo } = graph;
  const page = markPageObjects(graph, types, plan.seeds);
  const tables = plan.tables;
  const internal = graph.edgeTypes.indexOf('internal');
  const bits = new Uint8Array(Math.ceil(graph.edgeCount / 8));
  const retained = page; // reused: bit 1 = page object, bit 2 = has an essential retainer
  for (let node = 0; node < nodeCount; node++) {
    const fromPage = (page[node]! & 1) !== 0;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const packed = edgeNameType[e]!;
      const type = packed & EDGE_TYPE_MASK;
      const to = edgeTo[e]!;
      if (type === types.edgeWeak || to === node) continue;
      if (node !== ROOT && (type === types.edgeShortcut || (!fromPage && (page[to]! & 1) !== 0))) continue;
      if (type === internal && tables.size > 0 && tables.get(packed >>> EDGE_TYPE_BITS) === node) continue;
      bits[e >>> 3]! |= 1 << (e & 7);
      retained[to]! |= 2;
    }
  }
  for (let node = 0; node < nodeCount; node++) retained[node] = retained[node]! >>> 1;
  return { bits, retained };
}

const WEAK_MAP_EDGE = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/;

/** Edge name string index → the node (ordinal) of the WeakMap table it names (V8's ids are unique). */
function weakMapTables(graph: HeapGraph): Map<number, number> {
  const ids = new Map<number, number>();
  for (const [index, text] of graph.strings) {
    const first = text.charCodeAt(0);
    if (first < 48 || first > 57 || !text.includes('pair in WeakMap')) continue;
    const match = WEAK_MAP_EDGE.exec(text);
    if (match) ids.set(index, Number(match[1]));
  }
  const tables = new Map<number, number>();
  if (ids.size === 0) return tables;
  const wanted = new Set(ids.values());
  const nodeOf = new Map<number, number>();
  for (let node = 0; node < graph.nodeCount; node++)
    if (wanted.has(graph.nodeId[node]!) && !nodeOf.has(graph.nodeId[node]!)) nodeOf.set(graph.nodeId[node]!, node);
  for (const [index, id] of ids) if (nodeOf.has(id)) tables.set(index, nodeOf.get(id)!);
  return tables;
}

/** Everything the seeds reach over non-weak edges (bit 1); DevTools' `markPageOwnedNodes`. */
function markPageObjects(graph: HeapGraph, types: TypeIndex, seeds: Uint32Array): Uint8Array {
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const flags = new Uint8Array(graph.nodeCount);
  let stack = new Uint32Array(1024);
  let top = 0;
  const push = (node: number) => {
    if (top === stack.length) {
      const bigger = new Uint32Array(stack.length * 2);
      bigger.set(stack);
      stack = bigger;
    }
    flags[node] = 1;
    stack[top++] = node;
  };
  for (const to of seeds) if (!flags[to]) push(to);
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (!flags[to] && (edgeNameType[e]! & EDGE_TYPE_MASK) !== types.edgeWeak) push(to);
    }
  }
  return flags;
}
