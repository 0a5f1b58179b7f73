/**
 * The shortest paths' breadth-first search on its own, reading nothing but what PathsInput holds,
 * so it runs alike in the load's thread and in the paths thread (paths-worker.ts) beside it.
 */
import { EDGE_TYPE_BITS, EDGE_TYPE_MASK } from './graph.js';

export const NONE = 0xffffffff;

/** What the search reads: the edges, and which nodes have edges DevTools skips. */
export interface PathsInput {
  nodeCount: number;
  firstEdge: Uint32Array;
  edgeNameType: Uint32Array;
  edgeTo: Uint32Array;
  edgeWeak: number;
  edgeShortcut: number;
  /** The string indices that spell `sloppy_function_map`. */
  sloppyNames: Uint32Array;
  /** One bit a node: a hidden `system / NativeContext`. */
  nativeContexts: Uint8Array;
  /** One bit a node: a `(map descriptors)` array. */
  mapDescriptors: Uint8Array;
}

/** Whether bit `node` of a one-bit-a-node set is on. */
export function hasBit(bits: Uint8Array, node: number): boolean {
  return (bits[node >>> 3]! & (1 << (node & 7))) !== 0;
}

/**
 * Fills `from` and `label` (nodeCount each): breadth-first from the root's shortcut edges (the
 * user's globals) first, then from every other non-weak root edge, as paths.ts describes.
 */
export function searchPaths(input: PathsInput, from: Uint32Array, label: Uint32Array): void {
  const { firstEdge, edgeNameType, edgeTo, edgeWeak, edgeShortcut, nativeContexts, mapDescriptors } = input;
  const sloppy = new Set(input.sloppyNames);
  from.fill(NONE);
  // The queue holds only the frontier, in a ring that doubles when full: a breadth-first frontier is
  // a fraction of the nodes, so this is not another 4 bytes a node at the load's peak.
  let queue = new Uint32Array(1 << 16);
  let head = 0;
  let size = 0;
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
  // DevTools skips a NativeContext's `sloppy_function_map` and the descriptor-array slots that maps share.
  const skip = (node: number, edge: number) => {
    const name = edgeNameType[edge]! >>> EDGE_TYPE_BITS;
    if (hasBit(nativeContexts, node)) return sloppy.has(name);
    return hasBit(mapDescriptors, node) && !(name < 2 || name % 3 !== 1);
  };
  const drain = () => {
    while (size > 0) {
      const node = queue[head]!;
      head = (head + 1) & (queue.length - 1);
      size--;
      const mightSkip = hasBit(nativeContexts, node) || hasBit(mapDescriptors, node);
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        if ((edgeNameType[e]! & EDGE_TYPE_MASK) === edgeWeak || (mightSkip && skip(node, e))) continue;
        visit(node, e);
      }
    }
  };
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) === edgeShortcut) visit(0, e);
  drain();
  for (let e = firstEdge[0]!; e < firstEdge[1]!; e++) if ((edgeNameType[e]! & EDGE_TYPE_MASK) !== edgeWeak) visit(0, e);
  drain();
}
