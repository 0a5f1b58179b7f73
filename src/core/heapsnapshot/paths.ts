import { EDGE_TYPE_MASK, labelOf, type HeapGraph, type TypeIndex } from './graph.js';
import { NONE, searchPaths, type PathsInput } from './paths-search.js';
import type { RetainerPath } from '../../results/heap.js';
import { shownEdgeName } from './data-names.js';

export type { RetainerPath, RetainerStep } from '../../results/heap.js';

export { NONE } from './paths-search.js';

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
  const from = new Uint32Array(graph.nodeCount);
  const label = new Uint32Array(graph.nodeCount);
  searchPaths(pathsInput(graph, types), from, label);
  return { from, label };
}

/**
 * What the search needs of the graph, names resolved beforehand (the nodes whose edges it may
 * skip, as bits), so it reads no node name or id and those may be parked while it runs. With
 * `shared`, the bits are in SharedArrayBuffers, for the paths thread.
 */
export function pathsInput(graph: HeapGraph, types: TypeIndex, shared = false): PathsInput {
  const bytes = Math.ceil(graph.nodeCount / 8);
  const bits = () => new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const nativeContexts = bits();
  const mapDescriptors = bits();
  const array = graph.nodeTypes.indexOf('array');
  const wanted = (text: string) => [...graph.strings].filter(([, value]) => value === text).map(([index]) => index);
  const contextNames = new Set(wanted('system / NativeContext'));
  const descriptorNames = new Set(wanted('(map descriptors)'));
  if (contextNames.size + descriptorNames.size > 0) {
    for (let node = 0; node < graph.nodeCount; node++) {
      const type = graph.nodeType[node]!;
      if (type === types.hidden && contextNames.has(graph.nodeName[node]!)) nativeContexts[node >>> 3]! |= 1 << (node & 7);
      else if (type === array && descriptorNames.has(graph.nodeName[node]!)) mapDescriptors[node >>> 3]! |= 1 << (node & 7);
    }
  }
  const { nodeCount, firstEdge, edgeNameType, edgeTo } = graph;
  const sloppyNames = Uint32Array.from(wanted('sloppy_function_map'));
  return {
    nodeCount,
    firstEdge,
    edgeNameType,
    edgeTo,
    edgeWeak: types.edgeWeak,
    edgeShortcut: types.edgeShortcut,
    sloppyNames,
    nativeContexts,
    mapDescriptors,
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
