import type { AllocationTraces } from './traces.js';
/**
 * A V8 heap snapshot held as typed arrays, one slot per node or edge, never one JS object per
 * node: about 17 bytes a node and 8 an edge, less than the snapshot's own text.
 *
 * Nodes are numbered by ordinal (their position in the `nodes` array); node 0 is the synthetic
 * root. The edges of node n are firstEdge[n] … firstEdge[n + 1] - 1 (prefix sums of the
 * `edge_count` field, as DevTools builds them).
 */
export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  /** Index into nodeTypes. */
  nodeType: Uint8Array;
  /** Index into the strings table (the object's constructor, a string's value, a closure's name…). */
  nodeName: Uint32Array;
  /** V8's snapshot object id: stable for one object across snapshots of one process. */
  nodeId: Uint32Array;
  /** Self ("shallow") size in bytes; OVERSIZE means the size is in `oversize`. */
  selfSize: Uint32Array;
  oversize: Map<number, number>;
  firstEdge: Uint32Array;
  /** Edge name (string index, or element/hidden index) × 8 + edge type: both in one slot. */
  edgeNameType: Uint32Array;
  /** Target node ordinal. */
  edgeTo: Uint32Array;
  nodeTypes: string[];
  edgeTypes: string[];
  /** The strings that were kept (see parse.ts `keep`), by index. */
  strings: Map<number, string>;
  /** How many strings the snapshot's table holds; names made here (shapes, `Detached …`) are added after them. */
  stringCount: number;
  /** Nodes whose `detachedness` is set (Node writes it for its embedder objects), as node × 4 + state (1 attached, 2 detached). */
  detached: Float64Array;
  /**
   * An object with a constructor location (locations.ts) has LOCATED + i as its nodeName, where
   * located[i] holds its name's string index and 1 + the location's index in locationKeys: no
   * per-node array for the few hundred (name, location) pairs a heap has.
   */
  located: Array<{ name: number; location: number }>;
  /** "scriptId,line,column", as DevTools' class keys spell them. */
  locationKeys: string[];
  /** Bytes of the file read. */
  fileBytes: number;
  /** The allocation stacks, when the snapshot was taken with allocation tracking on (traces.ts). */
  traces?: AllocationTraces;
}

export const OVERSIZE = 0xffffffff;
/** nodeName values from here on name an entry of `located` (string indices stay far below). */
export const LOCATED = 0x80000000;

/** The string index of a node's name, whether or not it has a location. */
export function nameIndexOf(graph: Pick<HeapGraph, 'nodeName' | 'located'>, node: number): number {
  const name = graph.nodeName[node]!;
  return name >= LOCATED ? graph.located[name - LOCATED]!.name : name;
}
/** Edge types fit in 3 bits; V8 has 7. */
export const EDGE_TYPE_BITS = 3;
export const EDGE_TYPE_MASK = (1 << EDGE_TYPE_BITS) - 1;
/** An element index too large to pack beside its type (sparse arrays past 2^29) is stored as this. */
export const HUGE_NAME = 0xffffffff >>> EDGE_TYPE_BITS;

export function selfSizeOf(graph: HeapGraph, node: number): number {
  const size = graph.selfSize[node]!;
  return size === OVERSIZE ? graph.oversize.get(node)! : size;
}

/** Type indices the analysis needs, -1 when the snapshot's meta lacks that type. */
export interface TypeIndex {
  hidden: number;
  object: number;
  native: number;
  code: number;
  string: number;
  consString: number;
  slicedString: number;
  synthetic: number;
  edgeWeak: number;
  edgeShortcut: number;
  edgeElement: number;
  edgeHidden: number;
}

export function typeIndex(graph: Pick<HeapGraph, 'nodeTypes' | 'edgeTypes'>): TypeIndex {
  const node = (name: string) => graph.nodeTypes.indexOf(name);
  const edge = (name: string) => graph.edgeTypes.indexOf(name);
  return {
    hidden: node('hidden'),
    object: node('object'),
    native: node('native'),
    code: node('code'),
    string: node('string'),
    consString: node('concatenated string'),
    slicedString: node('sliced string'),
    synthetic: node('synthetic'),
    edgeWeak: edge('weak'),
    edgeShortcut: edge('shortcut'),
    edgeElement: edge('element'),
    edgeHidden: edge('hidden'),
  };
}

export function isStringType(types: TypeIndex, type: number): boolean {
  return type === types.string || type === types.consString || type === types.slicedString;
}

/** Edge type and printable name ("items", "[3]", "<hidden 2>") of an edge's packed name and type. */
export function labelOf(graph: Pick<HeapGraph, 'edgeTypes' | 'strings'>, packed: number): { type: string; name: string } {
  const type = graph.edgeTypes[packed & EDGE_TYPE_MASK] ?? 'unknown';
  const name = packed >>> EDGE_TYPE_BITS;
  if (type === 'element') return { type, name: name === HUGE_NAME ? '[…]' : `[${name}]` };
  if (type === 'hidden') return { type, name: `<hidden ${name}>` };
  return { type, name: graph.strings.get(name) ?? `<string ${name}>` };
}
