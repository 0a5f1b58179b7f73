import { EDGE_TYPE_MASK, selfSizeOf, type HeapGraph, type TypeIndex } from './graph.js';
import { releaseMemory } from './release.js';

export interface Dominance {
  /** Immediate dominator of each node (by ordinal); the root (0) is its own. */
  dominator: Uint32Array;
  /** Retained size: the node's self size plus that of every node it dominates. */
  retained: Float64Array;
  /** Nodes the root does not reach over retaining edges (DevTools hangs them under the root too). */
  unreachable: number;
}

/**
 * Where "page objects" start: DevTools' rule (the user's globals, the root's shortcut edges), or
 * memlab's (every root edge but the shortcuts: TraceFinder.flagReachableNodesFromWindow), which
 * flags nearly everything and so almost never skips an edge. The benchmark uses the second to
 * hold both tools to one definition; the command always uses DevTools'.
 */
export type PageRule = 'user-globals' | 'gc-roots';

const ROOT = 0;
const PAGE = 1;
const VISITED = 2;

/**
 * Dominator tree and retained sizes by DevTools' rules (HeapSnapshot.ts): weak edges do not
 * retain; shortcut edges retain only from the root (they mark the user's global objects); and
 * an edge from an object the user's globals do not reach to one they do is skipped (DevTools'
 * "page object" flag), so that the debugger's or V8's own references do not steal dominance.
 * The algorithm is Cooper, Harvey and Kennedy's iterative one ("A Simple, Fast Dominance
 * Algorithm", 2001), as DevTools runs it, over post-order indices with retainer lists as CSR
 * typed arrays.
 */
export function computeDominance(graph: HeapGraph, types: TypeIndex, rule: PageRule = 'user-globals'): Dominance {
  const flags = markPageObjects(graph, types, rule);
  releaseMemory();
  const order = postOrder(graph, types, flags);
  releaseMemory();
  const dominatorPost = dominatorsInPostOrder(graph, types, order);
  releaseMemory();
  const { postToNode, reachable } = order;
  const n = graph.nodeCount;
  const dominator = new Uint32Array(n);
  for (let post = 0; post < n; post++) dominator[postToNode[post]!] = postToNode[dominatorPost[post]!]!;
  const retained = new Float64Array(n);
  for (let node = 0; node < n; node++) retained[node] = selfSizeOf(graph, node);
  // Post order puts every node before its dominator (an ancestor in the DFS tree); the root is last.
  for (let post = 0; post < n - 1; post++) {
    const node = postToNode[post]!;
    retained[dominator[node]!]! += retained[node]!;
  }
  return { dominator, retained, unreachable: n - reachable };
}

function retains(types: TypeIndex, flags: Uint8Array, from: number, type: number, to: number): boolean {
  if (type === types.edgeWeak) return false;
  if (type === types.edgeShortcut && from !== ROOT) return false;
  return from === ROOT || (flags[from]! & PAGE) !== 0 || (flags[to]! & PAGE) === 0;
}

/** Everything the root's shortcut edges (the user's global objects) reach over non-weak edges. */
function markPageObjects(graph: HeapGraph, types: TypeIndex, rule: PageRule): Uint8Array {
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const flags = new Uint8Array(graph.nodeCount);
  const stack = new Uint32Array(graph.nodeCount);
  let top = 0;
  for (let e = firstEdge[ROOT]!; e < firstEdge[ROOT + 1]!; e++) {
    const type = edgeNameType[e]! & EDGE_TYPE_MASK;
    const to = edgeTo[e]!;
    const domTrees = type === types.edgeElement && graph.strings.get(graph.nodeName[to]!) === '(Document DOM trees)';
    const seed = rule === 'user-globals' ? type === types.edgeShortcut || domTrees : type !== types.edgeShortcut && !domTrees;
    if (!seed || flags[to]! & PAGE) continue;
    flags[to] = PAGE;
    stack[top++] = to;
  }
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (flags[to]! & PAGE || (edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeWeak) continue;
      flags[to] = PAGE;
      stack[top++] = to;
    }
  }
  return flags;
}

/** Depth-first post order from the root over retaining edges; unreachable nodes after, the root last. */
/** Iterative depth-first search from the root; numbers nodes in post order; returns how many it reached. Its stacks die with it. */
function visitFromRoot(graph: HeapGraph, types: TypeIndex, flags: Uint8Array, postToNode: Uint32Array, nodeToPost: Uint32Array): number {
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const stackNodes = new Uint32Array(graph.nodeCount);
  const stackEdges = new Uint32Array(graph.nodeCount);
  let post = 0;
  let top = 0;
  stackNodes[0] = ROOT;
  stackEdges[0] = firstEdge[ROOT]!;
  flags[ROOT]! |= VISITED;
  while (top >= 0) {
    const node = stackNodes[top]!;
    const e = stackEdges[top]!;
    if (e < firstEdge[node + 1]!) {
      stackEdges[top] = e + 1;
      const to = edgeTo[e]!;
      if (flags[to]! & VISITED || !retains(types, flags, node, edgeNameType[e]! & EDGE_TYPE_MASK, to)) continue;
      flags[to]! |= VISITED;
      top++;
      stackNodes[top] = to;
      stackEdges[top] = firstEdge[to]!;
    } else {
      nodeToPost[node] = post;
      postToNode[post++] = node;
      top--;
    }
  }
  return post;
}

interface PostOrder {
  postToNode: Uint32Array;
  /** Dropped (null) once the retainer lists are built, to lower the peak. */
  nodeToPost: Uint32Array | null;
  /** Page-object and visited flags per node; dropped with nodeToPost. */
  flags: Uint8Array | null;
  reachable: number;
}

function postOrder(graph: HeapGraph, types: TypeIndex, flags: Uint8Array): PostOrder {
  const n = graph.nodeCount;
  const postToNode = new Uint32Array(n);
  const nodeToPost = new Uint32Array(n);
  let post = visitFromRoot(graph, types, flags, postToNode, nodeToPost);
  const reachable = post;
  post--; // the root goes last, after the unreachable nodes
  for (let node = 0; node < n; node++) {
    if (flags[node]! & VISITED) continue;
    nodeToPost[node] = post;
    postToNode[post++] = node;
  }
  nodeToPost[ROOT] = post;
  postToNode[post] = ROOT;
  return { postToNode, nodeToPost, flags, reachable };
}

/**
 * Immediate dominators in post-order numbering. The retainer lists (CSR) are filled from their
 * ends backwards, so no second offsets array is needed; then the node → post-order map is
 * dropped and the fixpoint sweeps all reachable nodes in reverse post order until nothing
 * changes (two or three sweeps on heap graphs), which needs no forward edges and no `affected`
 * set: the smallest peak for the same answer.
 */
function dominatorsInPostOrder(graph: HeapGraph, types: TypeIndex, order: PostOrder): Uint32Array {
  const n = graph.nodeCount;
  const rootPost = n - 1;
  const { reachable } = order;
  const { firstRetainer, retainers } = retainerLists(graph, types, order);
  order.nodeToPost = null;
  order.flags = null;
  releaseMemory();

  const none = n;
  const dominators = new Uint32Array(n).fill(none);
  dominators[rootPost] = rootPost;
  // Unreachable nodes (post indices reachable-1 … n-2) hang under the root, as in DevTools.
  for (let post = reachable - 1; post < rootPost; post++) dominators[post] = rootPost;
  let changed = true;
  while (changed) {
    changed = false;
    for (let post = reachable - 2; post >= 0; post--) {
      let idom = none;
      for (let r = firstRetainer[post]!, end = firstRetainer[post + 1]!; r < end; r++) {
        let finger = retainers[r]!;
        if (dominators[finger] === none) continue;
        if (idom === none) idom = finger;
        else {
          while (finger !== idom) {
            while (finger < idom) finger = dominators[finger]!;
            while (idom < finger) idom = dominators[idom]!;
          }
        }
        if (idom === rootPost) break;
      }
      if (idom !== none && dominators[post] !== idom) {
        dominators[post] = idom;
        changed = true;
      }
    }
  }
  return dominators;
}

/** Retainers of each reachable node in post-order numbering, as CSR arrays (see dominatorsInPostOrder). */
function retainerLists(graph: HeapGraph, types: TypeIndex, order: PostOrder): { firstRetainer: Uint32Array; retainers: Uint32Array } {
  const n = graph.nodeCount;
  const flags = order.flags!;
  const nodeToPost = order.nodeToPost!;
  const { firstEdge, edgeNameType, edgeTo } = graph;
  const firstRetainer = new Uint32Array(n + 1);
  for (let node = 0; node < n; node++) {
    if (!(flags[node]! & VISITED)) continue;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (retains(types, flags, node, edgeNameType[e]! & EDGE_TYPE_MASK, to)) firstRetainer[nodeToPost[to]!]!++;
    }
  }
  for (let post = 1; post < n; post++) firstRetainer[post]! += firstRetainer[post - 1]!;
  firstRetainer[n] = firstRetainer[n - 1]!;
  const retainers = new Uint32Array(firstRetainer[n]!);
  for (let node = 0; node < n; node++) {
    if (!(flags[node]! & VISITED)) continue;
    const from = nodeToPost[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (retains(types, flags, node, edgeNameType[e]! & EDGE_TYPE_MASK, to)) retainers[--firstRetainer[nodeToPost[to]!]!] = from;
    }
  }
  return { firstRetainer, retainers };
}
