import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, isStringType, nameIndexOf, type HeapGraph, type TypeIndex } from './graph.js';
import type { DuplicatePlan } from './strings.js';

/**
 * The strings worth decoding: names of every node that is not itself a string (constructors,
 * closures, system names), names of every named edge (properties, context variables, internals),
 * and the values of the most duplicated strings. Other string values are skipped as they stream.
 */
export function stringsToKeep(graph: HeapGraph, types: TypeIndex, duplicates: DuplicatePlan): (index: number) => boolean {
  // One pass over the nodes and one over the edges (the marks grow as indices come); `max` is the
  // largest name index seen, so a candidate beyond every name is not kept, as before.
  let keep: Uint8Array = new Uint8Array(1 << 16);
  let max = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    const name = nameIndexOf(graph, node);
    if (name > max) max = name;
    if (isStringType(types, graph.nodeType[node]!)) continue;
    if (name >= keep.length) keep = grown(keep, name);
    keep[name] = 1;
  }
  const { edgeElement, edgeHidden } = types;
  const { edgeNameType } = graph;
  for (let edge = 0; edge < graph.edgeCount; edge++) {
    const packed = edgeNameType[edge]!;
    const type = packed & EDGE_TYPE_MASK;
    if (type === edgeElement || type === edgeHidden) continue;
    const name = packed >>> EDGE_TYPE_BITS;
    if (name > max) max = name;
    if (name >= keep.length) keep = grown(keep, name);
    keep[name] = 1;
  }
  for (const candidate of duplicates.candidates) {
    if (candidate.name > max) continue;
    if (candidate.name >= keep.length) keep = grown(keep, candidate.name);
    keep[candidate.name] = 1;
  }
  return (index) => keep[index] === 1;
}

function grown(keep: Uint8Array, index: number): Uint8Array {
  const bigger = new Uint8Array(Math.max(keep.length * 2, index + 1));
  bigger.set(keep);
  return bigger;
}
