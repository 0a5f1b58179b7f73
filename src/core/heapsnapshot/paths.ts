import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, labelOf, type HeapGraph, type TypeIndex } from './graph.js';
import type { RetainerPath } from '../../results/heap.js';
import { shownEdgeName } from './data-names.js';

export type { RetainerPath, RetainerStep } from '../../results/heap.js';

export const NONE = 0xffffffff;

/**
 * The shortest retaining path to every node, one step a node: the node it is reached from (NONE
 * for the root and unreachable nodes) and that edge's name and type (packed as in
 * HeapGraph.edgeNameType). Kept instead of the edges, which the dominator tree's retainer lists
 * replace: 8 bytes a node instead of 8 an edge.
 */
export interface ShortestPaths {
  from: Uint32Array;
  label: Uint32Array;
}

/**
 * Shortest retaining path from the roots to every node, as DevTools' distances find it
 * (JSHeapSnapshot.calculateDistances): breadth-first from the user's global objects first, then
 * from the remaining GC roots; weak edges are not followed, nor the two edge kinds DevTools
 * skips (a NativeContext's `sloppy_function_map`, and descriptor-array slots that maps share).
 */
export function shortestPaths(graph: HeapGraph, types: TypeIndex): ShortestPaths {
  const n = graph.nodeCount;
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const from = new Uint32Array(n).fill(NONE);
  const label = new Uint32Array(n);
  // The queue holds only the frontier, in a ring that doubles when full: a breadth-first frontier is
  // a fraction of the nodes, so this is not another 4 bytes a node at the load's peak.
  let queue = new Uint32Array(1 << 16);
  let head = 0;
  let size = 0;
  const skip = skippedEdges(graph, types);
  const array = graph.nodeTypes.indexOf('array');
  const visit = (node: number, edge: number) => {
    const to = edgeTo[edge]!;
    if (to === 0 || from[to] !== NONE) return;
    from[to] = node;
    label[to] = edgeNameType[edge]!;
    if (size === queue.length) {
      const bigger = new Uint32Array(queue.length * 2);
      bigger.set(queue.subarray(head));
      bigger.set(queue.subarray(0, head), queue.length - head);
      queue = bigger;
      head = 0;
    }
    queue[(head + size++) & (queue.length - 1)] = to;
  };
  const drain = () => {
    while (size > 0) {
      const node = queue[head]!;
      head = (head + 1) & (queue.length - 1);
      size--;
      const type = graph.nodeType[node]!;
      const mightSkip = type === types.hidden || type === array;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        if ((edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeWeak || (mightSkip && skip(node, e))) continue;
        visit(node, e);
      }
    }
  };
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeShortcut) visit(0, e);
  drain();
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) !== types.edgeWeak) visit(0, e);
  drain();
  return { from, label };
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
export function pathNodes(paths: ShortestPaths, node: number): number[] {
  const chain: number[] = [];
  let at = node;
  while (at !== 0 && paths.from[at] !== NONE && chain.length < 10_000) {
    chain.push(at);
    at = paths.from[at]!;
  }
  return at === 0 ? chain.reverse() : [];
}

export function retainerPath(
  graph: HeapGraph,
  types: TypeIndex,
  paths: ShortestPaths,
  node: number,
  describe: (node: number) => { node: string; className: string },
): RetainerPath | null {
  const chain = pathNodes(paths, node);
  if (chain.length === 0) return null;
  const steps = chain.map((at) => {
    const label = labelOf(graph, paths.label[at]!);
    return { edge: shownEdgeName(label.type, label.name), edgeType: label.type, ...describe(at), id: graph.nodeId[at]! };
  });
  const fromUserGlobal = (paths.label[chain[0]!]! & EDGE_TYPE_MASK) === types.edgeShortcut;
  const parts = [steps[steps.length - 1]!.node];
  for (let i = steps.length - 1; i > 0; i--) parts.push(`${steps[i]!.edge} in ${steps[i - 1]!.node}`);
  return { steps, text: parts.join(' ← '), fromUserGlobal };
}
