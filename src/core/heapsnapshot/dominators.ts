import { selfSizeOf, type HeapGraph, type TypeIndex } from './graph.js';
import { essentialEdges, essentialPlan, type PageRule } from './essential.js';
import { releaseMemory } from './release.js';

export type { PageRule } from './essential.js';

export interface Dominance {
  /** Immediate dominator of each node (by ordinal); the root (0) is its own. */
  dominator: Uint32Array;
  /** Retained size: the node's self size plus that of every node it dominates. */
  retained: Float64Array;
  /** Nodes the root does not reach over retaining edges (DevTools hangs them under the root too). */
  unreachable: number;
  /** Where the time went, ms per step. */
  phases: { essentialMs: number; searchMs: number; retainersMs: number; semiNcaMs: number; retainedMs: number };
}

export interface DominanceOptions {
  /** Reuse the edges' memory for the retainer lists and drop the edges (the command's load). */
  consumeEdges?: boolean;
}

/** The retaining edges (essential.ts): one bit an edge, and one byte a node (1: an essential edge reaches it). */
export interface RetainingEdges {
  bits: Uint8Array;
  retained: Uint8Array;
}

const ROOT = 0;
const EMPTY = new Uint32Array(0);
const EMPTY_BYTES = new Uint8Array(0);

/**
 * Dominator tree and retained sizes over DevTools' retaining ("essential") edges (essential.ts),
 * on the graph devtools-frontend's `calculateDominatorsAndRetainedSizes` builds: a depth-first
 * search from the root, then from each node no essential edge reaches (as if the root held it),
 * then every node still unvisited hung under the root, whose edges then count for nothing. The dominator tree of a graph is unique,
 * so any correct algorithm gives DevTools' tree; this is Semi-NCA (Georgiadis, Tarjan and
 * Werneck, "Finding Dominators in Practice", 2006), near-linear like DevTools' Lengauer–Tarjan,
 * where the iterative Cooper–Harvey–Kennedy algorithm walks the tree once per retainer and takes
 * seconds on deep graphs (parsers' ASTs) whose shared objects have 100,000s of retainers.
 *
 * Memory: one bit per edge (essential), 12 bytes a node for the search (order, vertex, parent),
 * 4 an edge plus 4 a node for the retainer lists in search order, then 12 a node for Semi-NCA
 * (idom, semi, best); the node → order map and the essential bits are gone by then, and with
 * `consumeEdges` the edges too (the command's load does that: what it needs of them later, the
 * shortest paths and the globals, it keeps beforehand).
 */
export function computeDominance(graph: HeapGraph, types: TypeIndex, rule: PageRule = 'user-globals', options: DominanceOptions = {}): Dominance {
  const started = performance.now();
  const essential = essentialEdges(graph, types, essentialPlan(graph, types, rule));
  releaseMemory();
  return dominatorTree(graph, essential, performance.now() - started, options);
}

/**
 * The tree from retaining edges found beforehand (load.ts finds them while the shortest paths are
 * searched in another thread, and parks what the tree does not read before calling this);
 * `essentialMs` is the time they took, for the phases. Takes the edges' arrays over (`consumeEdges`).
 */
export function dominatorTree(graph: HeapGraph, essential: RetainingEdges, essentialMs: number, options: DominanceOptions = {}): Dominance {
  const n = graph.nodeCount;
  const consumeEdges = options.consumeEdges ?? false;
  let at = performance.now();
  const lap = () => -at + (at = performance.now());
  const search = depthFirst(graph, essential.bits, essential.retained);
  const searchMs = lap();
  const { reachable, firstLeftover } = search;
  essential.retained = EMPTY_BYTES;
  // Consuming: the edge names' array (no longer read) holds the retainer lists, and the forward
  // edges go once those are built, so the edges' 8 bytes are never held beside the lists' 4.
  const into = consumeEdges ? graph.edgeNameType : null;
  const lists = retainerLists(graph, essential.bits, search.order, into);
  essential.bits = EMPTY_BYTES;
  if (consumeEdges) Object.assign(graph, { edgeNameType: EMPTY, edgeTo: EMPTY, firstEdge: EMPTY });
  // The edges' memory goes back before the next array arrives, not after it.
  releaseMemory();
  // Preorder number → node, the inverse of the order, made only now that the edges are gone.
  const vertex = new Uint32Array(n + 1);
  for (let node = 0; node < n; node++) vertex[search.order[node]!] = node;
  search.order = EMPTY;
  releaseMemory();
  const retainersMs = lap();
  const idom = semiNca(n, search.parent, firstLeftover, lists);
  search.parent = EMPTY;
  lists.firstRetainer = lists.retainers = EMPTY;
  releaseMemory();
  const semiNcaMs = lap();
  const dominator = new Uint32Array(n);
  for (let pre = 1; pre <= n; pre++) dominator[vertex[pre]!] = vertex[idom[pre]!]!;
  dominator[ROOT] = ROOT;
  const retained = new Float64Array(n);
  for (let node = 0; node < n; node++) retained[node] = selfSizeOf(graph, node);
  // Reverse preorder puts every node before its dominator (a search-tree ancestor).
  for (let pre = n; pre > 1; pre--) retained[vertex[idom[pre]!]!]! += retained[vertex[pre]!]!;
  const phases = { essentialMs, searchMs, retainersMs, semiNcaMs, retainedMs: lap() };
  return { dominator, retained, unreachable: n - reachable, phases };
}

interface Search {
  /** Node → preorder number (1-based). */
  order: Uint32Array;
  /** Preorder number → its search-tree parent's number (the root, 1, for the nodes hung under it). */
  parent: Uint32Array;
  /** How many the search from the root reached. */
  reachable: number;
  /** The nodes from here on neither the root nor an unretained node reaches (cliques that retain one another). */
  firstLeftover: number;
}

function depthFirst(graph: HeapGraph, bits: Uint8Array, hasRetainer: Uint8Array): Search {
  const n = graph.nodeCount;
  const { firstEdge, edgeTo } = graph;
  const order = new Uint32Array(n);
  const parent = new Uint32Array(n + 1);
  let stackNode: Uint32Array = new Uint32Array(1024);
  let stackEdge: Uint32Array = new Uint32Array(1024);
  let count = 0;
  const visit = (node: number, from: number) => {
    order[node] = ++count;
    parent[count] = from;
  };
  const search = (start: number) => {
    let top = 0;
    stackNode[0] = start;
    stackEdge[0] = firstEdge[start]!;
    while (top >= 0) {
      const node = stackNode[top]!;
      const e = stackEdge[top]!;
      if (e === firstEdge[node + 1]!) {
        top--;
        continue;
      }
      stackEdge[top] = e + 1;
      const to = edgeTo[e]!;
      if (order[to] !== 0 || (bits[e >>> 3]! & (1 << (e & 7))) === 0) continue;
      visit(to, order[node]!);
      if (++top === stackNode.length) [stackNode, stackEdge] = [grow(stackNode), grow(stackEdge)];
      stackNode[top] = to;
      stackEdge[top] = firstEdge[to]!;
    }
  };
  visit(ROOT, 1);
  search(ROOT);
  const reachable = count;
  for (let node = 0; node < n; node++) {
    if (order[node] !== 0 || hasRetainer[node]) continue;
    visit(node, 1);
    search(node);
  }
  const firstLeftover = count + 1;
  for (let node = 0; node < n; node++) if (order[node] === 0) visit(node, 1);
  return { order, parent, reachable, firstLeftover };
}

interface RetainerLists {
  firstRetainer: Uint32Array;
  retainers: Uint32Array;
}

/** Essential retainers of each node, in preorder numbers, as CSR arrays (filled from their ends backwards). */
function retainerLists(graph: HeapGraph, bits: Uint8Array, order: Uint32Array, into: Uint32Array | null): RetainerLists {
  const n = graph.nodeCount;
  const { firstEdge, edgeTo } = graph;
  const firstRetainer = new Uint32Array(n + 2);
  for (let e = 0; e < graph.edgeCount; e++) if (bits[e >>> 3]! & (1 << (e & 7))) firstRetainer[order[edgeTo[e]!]!]!++;
  for (let pre = 1; pre <= n + 1; pre++) firstRetainer[pre]! += firstRetainer[pre - 1]!;
  const retainers = into ? into.subarray(0, firstRetainer[n + 1]!) : new Uint32Array(firstRetainer[n + 1]!);
  for (let node = 0; node < n; node++) {
    const from = order[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if (bits[e >>> 3]! & (1 << (e & 7))) retainers[--firstRetainer[order[edgeTo[e]!]!]!] = from;
    }
  }
  return { firstRetainer, retainers };
}

/**
 * Semi-NCA over preorder numbers 1…n (1 is the root): semidominators by path-compressed
 * evaluation in reverse preorder, then each immediate dominator as the nearest common ancestor of
 * the semidominator and the search-tree parent. `parent` doubles as the compressed ancestor
 * links, so the parents are copied into the result first. Returns idom by preorder number.
 *
 * The evaluation only ever compares the semidominators of the path's labels, so each vertex keeps
 * the least semidominator on its compressed path itself (`best`, where the textbook keeps the
 * label vertex and reads semi[label[v]]): one random read a step fewer over millions of vertices
 * (babel's 5.2 M nodes: Semi-NCA 0.96 s before, measured with `--cpu-prof`; docs/benchmarks.md).
 * An unprocessed vertex's is its own number, as its semidominator is until it is processed.
 */
function semiNca(n: number, parent: Uint32Array, firstLeftover: number, lists: RetainerLists): Uint32Array {
  const { firstRetainer, retainers } = lists;
  const idom = Uint32Array.from(parent);
  const semi = new Uint32Array(n + 1);
  const best = new Uint32Array(n + 1);
  for (let v = 1; v <= n; v++) best[v] = v;
  let stack: Uint32Array = new Uint32Array(1024);
  for (let w = n; w >= 2; w--) {
    // DevTools numbers the leftover cliques last with the root as their search parent but no
    // edge from it, so their semidominators stay among themselves and never lower a reachable
    // node's: an edge from a leftover into the reachable graph changes no dominator there.
    let s = w >= firstLeftover ? w : parent[w]!;
    const linked = w + 1;
    for (let r = firstRetainer[w]!, end = firstRetainer[w + 1]!; r < end; r++) {
      let v = retainers[r]!;
      if (parent[v]! >= linked) {
        // Path compression: point v's ancestors at the top of their linked chain, keeping the least semidominator on it.
        let depth = 0;
        do {
          if (depth === stack.length) stack = grow(stack);
          stack[depth++] = v;
          v = parent[v]!;
        } while (parent[v]! >= linked);
        let above = v;
        let aboveBest = best[above]!;
        while (depth > 0) {
          v = stack[--depth]!;
          parent[v] = parent[above]!;
          if (aboveBest < best[v]!) best[v] = aboveBest;
          else aboveBest = best[v]!;
          above = v;
        }
      }
      const candidate = best[v]!;
      if (candidate < s) s = candidate;
    }
    semi[w] = s;
    best[w] = s;
  }
  for (let w = 2; w <= n; w++) {
    let candidate = idom[w]!;
    while (candidate > semi[w]!) candidate = idom[candidate]!;
    idom[w] = candidate;
  }
  return idom;
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
