import { EDGE_TYPE_MASK, OVERSIZE, selfSizeOf, type HeapGraph, type TypeIndex } from './graph.js';
import { indicesOf } from './shapes.js';

const UNVISITED = 0xffffffff;
const SHARED = 0xfffffffe;

/**
 * DevTools' shallow sizes (devtools-frontend 138048f, JSHeapSnapshot `calculateShallowSizes`):
 * V8's internal pieces of an object — `hidden` nodes, `array` nodes (properties and elements
 * stores, a Map's table) and `system / ExternalStringData` — that only one other object reaches
 * (over non-weak edges, possibly through other such pieces) are counted in that object's self
 * size and leave the table: an Array of 1,000 elements then weighs its store. A piece reached
 * from two owners, or only through the root or a synthetic node, keeps its own size. Skipped for
 * a snapshot taken with internals exposed (no root edge leads to a user root, `#hasUserRoots`),
 * as DevTools does. Rewrites graph.selfSize; returns whether it did.
 */
export function foldOwnedSizes(graph: HeapGraph, types: TypeIndex): boolean {
  if (!hasUserRoots(graph, types)) return false;
  const { nodeCount, nodeType, nodeName, firstEdge, edgeNameType, edgeTo } = graph;
  const external = indicesOf(graph, 'system / ExternalStringData');
  const array = graph.nodeTypes.indexOf('array');
  const owner = new Uint32Array(nodeCount);
  let stack = new Uint32Array(Math.min(nodeCount, 1 << 20));
  let top = 0;
  const push = (node: number) => {
    if (top === stack.length) {
      const bigger = new Uint32Array(Math.min(nodeCount * 2, stack.length * 2));
      bigger.set(stack);
      stack = bigger;
    }
    stack[top++] = node;
  };
  for (let node = 0; node < nodeCount; node++) {
    const type = nodeType[node]!;
    if (type === types.hidden || type === array || (type === types.native && external.has(nodeName[node]!))) owner[node] = UNVISITED;
    else owner[node] = node;
  }
  // Every owner seeds the walk; pieces are pushed as they are reached (the order does not matter).
  for (let seed = nodeCount - 1; seed >= 0; seed--) {
    if (owner[seed] !== seed) continue;
    push(seed);
    while (top > 0) {
      const node = stack[--top]!;
      const from = owner[node]!;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        if ((edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeWeak) continue;
        const to = edgeTo[e]!;
        const at = owner[to]!;
        if (at === UNVISITED) {
          owner[to] = from;
          push(to);
        } else if (at !== to && at !== from && at !== SHARED) {
          owner[to] = SHARED;
          push(to);
        }
      }
    }
  }
  for (let node = 0; node < nodeCount; node++) {
    const to = owner[node]!;
    if (to === UNVISITED || to === SHARED || to === node || to === 0 || nodeType[to] === types.synthetic) continue;
    setSize(graph, to, selfSizeOf(graph, to) + selfSizeOf(graph, node));
    setSize(graph, node, 0);
  }
  return true;
}

function setSize(graph: HeapGraph, node: number, size: number): void {
  if (size >= OVERSIZE) {
    graph.selfSize[node] = OVERSIZE;
    graph.oversize.set(node, size);
  } else {
    graph.selfSize[node] = size;
    graph.oversize.delete(node);
  }
}

/** DevTools' `#hasUserRoots`: some root edge leads to a node that is not synthetic, or to `(Document DOM trees)`. */
export function hasUserRoots(graph: HeapGraph, types: TypeIndex): boolean {
  for (let e = graph.firstEdge[0]!; e < graph.firstEdge[1]!; e++) {
    const to = graph.edgeTo[e]!;
    if (graph.nodeType[to] !== types.synthetic || graph.strings.get(graph.nodeName[to]!) === '(Document DOM trees)') return true;
  }
  return false;
}
