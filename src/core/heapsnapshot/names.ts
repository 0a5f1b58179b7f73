import { EDGE_TYPE_MASK, type HeapGraph, type TypeIndex } from './graph.js';

/**
 * The class name DevTools' Summary gives a node's kind (devtools-frontend 138048f, HeapSnapshot.ts
 * `calculateObjectNames` / JSHeapSnapshotNode.className): objects and native nodes by their name
 * (`<div id=x>` → `<div>`), closures `Function`, regexps `RegExp`, code `(compiled code)`, V8's
 * hidden objects `(system)`, every other kind its type in brackets: `(array)`, `(string)`,
 * `(concatenated string)`, `(number)`, `(object shape)`… Plain objects are renamed by shape after
 * this (shapes.ts).
 */
export function kindName(graph: HeapGraph, types: TypeIndex, type: number, rawName: string | undefined): string {
  if (type === types.object || type === types.native) return trimTag(rawName ?? '(unknown)');
  if (type === types.hidden) return '(system)';
  if (type === types.code) return '(compiled code)';
  const kind = graph.nodeTypes[type] ?? 'unknown';
  if (kind === 'closure') return 'Function';
  if (kind === 'regexp') return 'RegExp';
  return `(${kind})`;
}

function trimTag(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : `${name.slice(0, space)}>`;
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : `${name.slice(0, space)}>`;
  }
  return name;
}

/**
 * DevTools' `propagateDOMState`: native nodes the snapshot marks detached, and native nodes they
 * reach (not through hidden, invisible or weak edges, never through a JS object), are named
 * `Detached …`; what an attached node reaches stays attached. Node marks some of its embedder
 * objects this way. A renamed node gets a new string index past the snapshot's table.
 */
export function propagateDetachedness(graph: HeapGraph, types: TypeIndex): void {
  if (graph.detached.length === 0) return;
  const state = new Uint8Array(graph.nodeCount);
  const visited = new Uint8Array(graph.nodeCount);
  for (const packed of graph.detached) state[Math.floor(packed / 4)] = packed % 4;
  const skip = new Set(['hidden', 'invisible', 'weak'].map((name) => graph.edgeTypes.indexOf(name)));
  const attached: number[] = [];
  const detached: number[] = [];
  const renamed = new Map<number, number>();
  const visit = (node: number, to: number) => {
    if (visited[node]) return;
    visited[node] = 1;
    if (graph.nodeType[node] !== types.native) return;
    state[node] = to;
    if (to === 1) attached.push(node);
    else if (to === 2) {
      const name = graph.nodeName[node]!;
      let index = renamed.get(name);
      if (index === undefined) {
        index = graph.stringCount + graph.strings.size;
        while (graph.strings.has(index)) index++;
        graph.strings.set(index, `Detached ${graph.strings.get(name) ?? ''}`);
        renamed.set(name, index);
      }
      graph.nodeName[node] = index;
      detached.push(node);
    }
  };
  const children = (node: number, to: number) => {
    for (let e = graph.firstEdge[node]!; e < graph.firstEdge[node + 1]!; e++) {
      if (!skip.has(graph.edgeNameType[e]! & EDGE_TYPE_MASK)) visit(graph.edgeTo[e]!, to);
    }
  };
  for (const packed of graph.detached) visit(Math.floor(packed / 4), packed % 4);
  while (attached.length > 0) children(attached.pop()!, 1);
  while (detached.length > 0) {
    const node = detached.pop()!;
    if (state[node] !== 1) children(node, 2);
  }
}
