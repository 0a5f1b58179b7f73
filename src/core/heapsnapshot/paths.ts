import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, edgeLabel, type HeapGraph, type TypeIndex } from './graph.js';
import type { RetainerPath } from '../../results/heap.js';

export type { RetainerPath, RetainerStep } from '../../results/heap.js';

export const NONE = 0xffffffff;

/**
 * Shortest retaining path from the roots to every node, as DevTools' distances find it
 * (JSHeapSnapshot.calculateDistances): breadth-first from the user's global objects first, then
 * from the remaining GC roots; weak edges are not followed, nor the two edge kinds DevTools
 * skips (a NativeContext's `sloppy_function_map`, and descriptor-array slots that maps share).
 * Returns the edge that reached each node (NONE for the root and unreachable nodes).
 */
export function shortestRetainers(graph: HeapGraph, types: TypeIndex): Uint32Array {
  const n = graph.nodeCount;
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const parent = new Uint32Array(n).fill(NONE);
  const queue = new Uint32Array(n);
  const seen = new Uint8Array(n);
  seen[0] = 1;
  let head = 0;
  let tail = 0;
  const skip = skippedEdges(graph, types);
  const visit = (edge: number) => {
    const to = edgeTo[edge]!;
    if (seen[to]) return;
    seen[to] = 1;
    parent[to] = edge;
    queue[tail++] = to;
  };
  const drain = () => {
    while (head < tail) {
      const node = queue[head++]!;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        if ((edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeWeak || skip(node, e)) continue;
        visit(e);
      }
    }
  };
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeShortcut) visit(e);
  drain();
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) !== types.edgeWeak) visit(e);
  drain();
  return parent;
}

function skippedEdges(graph: HeapGraph, types: TypeIndex): (node: number, edge: number) => boolean {
  return (node, edge) => {
    const type = graph.nodeType[node]!;
    if (type === types.hidden) {
      const name = graph.edgeNameType[edge]! >>> EDGE_TYPE_BITS;
      return graph.strings.get(name) === 'sloppy_function_map' && graph.strings.get(graph.nodeName[node]!) === 'system / NativeContext';
    }
    if (graph.nodeTypes[type] === 'array' && graph.strings.get(graph.nodeName[node]!) === '(map descriptors)') {
      const index = graph.edgeNameType[edge]! >>> EDGE_TYPE_BITS;
      return !(index < 2 || index % 3 !== 1);
    }
    return false;
  };
}

/** Which nodes the path needs named: every node and edge on the way. */
export function pathNodes(graph: HeapGraph, parent: Uint32Array, node: number): number[] {
  const chain: number[] = [];
  let at = node;
  while (at !== 0 && parent[at] !== NONE && chain.length < 10_000) {
    chain.push(at);
    at = sourceOf(graph, parent[at]!);
  }
  return at === 0 ? chain.reverse() : [];
}

/** Source node of an edge: binary search over firstEdge. */
export function sourceOf(graph: HeapGraph, edge: number): number {
  let lo = 0;
  let hi = graph.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (graph.firstEdge[mid]! <= edge) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function retainerPath(
  graph: HeapGraph,
  types: TypeIndex,
  parent: Uint32Array,
  node: number,
  describe: (node: number) => { node: string; className: string },
): RetainerPath | null {
  const chain = pathNodes(graph, parent, node);
  if (chain.length === 0) return null;
  const steps = chain.map((at) => {
    const label = edgeLabel(graph, parent[at]!);
    return { edge: label.name, edgeType: label.type, ...describe(at), id: graph.nodeId[at]! };
  });
  const fromUserGlobal = (graph.edgeNameType[parent[chain[0]!]!]! & EDGE_TYPE_MASK) === types.edgeShortcut;
  const parts = [steps[steps.length - 1]!.node];
  for (let i = steps.length - 1; i > 0; i--) parts.push(`${steps[i]!.edge} in ${steps[i - 1]!.node}`);
  return { steps, text: parts.join(' ← '), fromUserGlobal };
}
