import { markData } from '../../lib/data-strings.js';
import { isIdentifierName } from './data-names.js';
import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, nameIndexOf, type HeapGraph, type TypeIndex } from './graph.js';

/**
 * Plain objects (type `object`, V8 name `Object`: literals, JSON.parse results) named by their
 * shape, as DevTools' Summary names them since 2023: `{ast, size}`. The rules are those of
 * devtools-frontend at commit 138048f (the revision heap-snapshot-toolkit 1.1.3 bundles),
 * HeapSnapshot.ts `inferInterfaceDefinitions` / `applyInterfaceDefinitions`:
 *  - an object's candidate name lists its `property` edges in snapshot order (not `__proto__`),
 *    each written as JSONHeapSnapshotNode.formatPropertyName does, adding names while the text
 *    so far plus the next name stays within MAX_NAME_LENGTH (the first always goes in);
 *  - a candidate becomes a definition when at least max(2, plain objects / 1000) objects have it
 *    (a minimum share, not a cap on how many: later revisions cap the count instead);
 *  - each plain object then takes the definition with the most properties whose properties it all
 *    has (ties: the more common one), or stays `Object`.
 * V8 writes a property edge only for a value that is a heap object: `{s: 1, t: 2}` has none.
 */
export const MAX_NAME_LENGTH = 120;
export const MIN_COUNT = 2;
export const MIN_SHARE = 1000;

export interface ShapeDefinition {
  name: string;
  /** String indices of the property names. */
  properties: number[];
}

/** Every plain object's full property set, kept so the objects can be renamed with another snapshot's definitions (heap diff). */
export interface PlainObjects {
  /** Plain object node ordinals, ascending. */
  nodes: Uint32Array;
  /** Per plain object, its property set's index in `sets`, or NO_SET for an object without property edges. */
  setOf: Uint32Array;
  /** Distinct property sets: sorted unique string indices of property names (`__proto__` included). */
  sets: Uint32Array[];
  /** Property names by string index, for definitions carried to another snapshot. */
  names: Map<number, string>;
}

export const NO_SET = 0xffffffff;

/** A property name in a shape's name as DevTools writes it, marked as data when it is not an identifier (data-names.ts). */
export function shownPropertyName(name: string): string {
  return isIdentifierName(name) ? formatPropertyName(name) : markData(formatPropertyName(name));
}

export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify({ [name]: 0 }).slice(1, -3) : name;
}

/** String indices whose text is `text` (V8's table holds one, a hand-written file may hold more). */
export function indicesOf(graph: HeapGraph, text: string): Set<number> {
  const found = new Set<number>();
  for (const [index, value] of graph.strings) if (value === text) found.add(index);
  return found;
}

/**
 * One pass over the plain objects: the definitions (inferInterfaceDefinitions) and each object's
 * property set. Sequences and sets are interned in tries keyed by (state, string index), so no
 * name is built for an object, only for the candidates that become definitions.
 */
export function inferShapes(graph: HeapGraph, types: TypeIndex): { definitions: ShapeDefinition[]; plain: PlainObjects } {
  const { firstEdge, edgeNameType, nodeType } = graph;
  const objectNames = indicesOf(graph, 'Object');
  const protoNames = indicesOf(graph, '__proto__');
  const property = graph.edgeTypes.indexOf('property');
  const stride = graph.stringCount + 1;
  const formattedLength = new Map<number, number>();
  const lengthOf = (name: number) => {
    let length = formattedLength.get(name);
    if (length === undefined) formattedLength.set(name, (length = formatPropertyName(graph.strings.get(name) ?? '').length));
    return length;
  };
  // Candidate trie: state → child per property; each state knows its name's length so far.
  const candidateChild = new Map<number, number>();
  const candidateLength: number[] = [1];
  const candidateParent: number[] = [0];
  const candidateProperty: number[] = [0];
  const candidateCount: number[] = [0];
  const candidateOrder: number[] = [];
  const setChild = new Map<number, number>();
  const setParent: number[] = [0];
  const setProperty: number[] = [0];
  const setIndexOf: number[] = [NO_SET];
  const sets: Uint32Array[] = [];
  const plainNodes: number[] = [];
  const setOf: number[] = [];
  const scratch: number[] = [];
  let total = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    if (nodeType[node] !== types.object || !objectNames.has(nameIndexOf(graph, node))) continue;
    total++;
    let state = 0;
    let full = false;
    scratch.length = 0;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const packed = edgeNameType[e]!;
      if ((packed & EDGE_TYPE_MASK) !== property) continue;
      const name = packed >>> EDGE_TYPE_BITS;
      scratch.push(name);
      if (full || protoNames.has(name)) continue;
      const length = candidateLength[state]! + (state === 0 ? 0 : 2) + lengthOf(name);
      if (state !== 0 && candidateLength[state]! + lengthOf(name) > MAX_NAME_LENGTH) {
        full = true;
        continue;
      }
      const key = state * stride + name;
      let next = candidateChild.get(key);
      if (next === undefined) {
        next = candidateLength.length;
        candidateChild.set(key, next);
        candidateLength.push(length);
        candidateParent.push(state);
        candidateProperty.push(name);
        candidateCount.push(0);
      }
      state = next;
    }
    if (state !== 0 && candidateCount[state]!++ === 0) candidateOrder.push(state);
    plainNodes.push(node);
    setOf.push(internSet(scratch));
  }

  function internSet(names: number[]): number {
    if (names.length === 0) return NO_SET;
    names.sort((a, b) => a - b);
    let state = 0;
    for (let i = 0; i < names.length; i++) {
      if (i > 0 && names[i] === names[i - 1]) continue;
      const key = state * stride + names[i]!;
      let next = setChild.get(key);
      if (next === undefined) {
        next = setParent.length;
        setChild.set(key, next);
        setParent.push(state);
        setProperty.push(names[i]!);
        setIndexOf.push(NO_SET);
      }
      state = next;
    }
    if (setIndexOf[state] === NO_SET) {
      setIndexOf[state] = sets.length;
      const members: number[] = [];
      for (let at = state; at !== 0; at = setParent[at]!) members.push(setProperty[at]!);
      sets.push(Uint32Array.from(members.reverse()));
    }
    return setIndexOf[state]!;
  }

  const minCount = Math.max(MIN_COUNT, total / MIN_SHARE);
  // Array.prototype.sort is stable: equal counts keep the order first seen.
  const kept = candidateOrder.filter((state) => candidateCount[state]! >= minCount).sort((a, b) => candidateCount[b]! - candidateCount[a]!);
  const names = new Map<number, string>();
  const definitions = kept.map((state) => {
    const properties: number[] = [];
    for (let at = state; at !== 0; at = candidateParent[at]!) properties.push(candidateProperty[at]!);
    properties.reverse();
    for (const name of properties) names.set(name, graph.strings.get(name) ?? '');
    const name = `{${properties.map((index) => shownPropertyName(graph.strings.get(index) ?? '')).join(', ')}}`;
    return { name, properties };
  });
  for (const set of sets) for (const name of set) names.set(name, graph.strings.get(name) ?? '');
  return { definitions, plain: { nodes: Uint32Array.from(plainNodes), setOf: Uint32Array.from(setOf), sets, names } };
}
