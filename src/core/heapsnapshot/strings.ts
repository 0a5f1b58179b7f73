import { isStringType, selfSizeOf, type HeapGraph, type TypeIndex } from './graph.js';

/** How many duplicated values are decoded from the strings table (the rest are counted only). */
export const DUPLICATE_CANDIDATES = 200;
/** A shown value is cut to this many characters. */
export const VALUE_CHARS = 80;

export interface DuplicatePlan {
  /** String index → [count, total self size], largest total first, at most DUPLICATE_CANDIDATES. */
  candidates: Array<{ name: number; count: number; bytes: number }>;
  /** Every flat string with a value that occurs more than once. */
  duplicatedValues: number;
  /** Bytes of the copies beyond the first of each duplicated value. */
  wastedBytes: number;
  stringBytes: number;
  stringCount: number;
  concatenatedBytes: number;
  slicedBytes: number;
}

/**
 * Groups flat strings (V8 type `string`) by value before the strings table streams past, so only
 * the values worth showing are decoded. V8 names a string node by its value cut to its
 * --heap-snapshot-string-limit (1,024 characters by default), so two strings that differ only
 * after that count as one value. Concatenated (cons) and sliced strings are not values of their
 * own: a cons string's node is its two-pointer header and its parts are separate string nodes,
 * a sliced string points into its parent; both count toward the share of heap in strings (their
 * self sizes), never as duplicates.
 */
export function planDuplicates(graph: HeapGraph, types: TypeIndex): DuplicatePlan {
  let maxName = 0;
  for (let node = 0; node < graph.nodeCount; node++)
    if (graph.nodeType[node] === types.string && graph.nodeName[node]! > maxName) maxName = graph.nodeName[node]!;
  const counts = new Uint32Array(maxName + 1);
  const bytes = new Float64Array(maxName + 1);
  let stringBytes = 0;
  let stringCount = 0;
  let concatenatedBytes = 0;
  let slicedBytes = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    const type = graph.nodeType[node]!;
    if (!isStringType(types, type)) continue;
    const size = selfSizeOf(graph, node);
    stringBytes += size;
    stringCount++;
    if (type === types.consString) concatenatedBytes += size;
    else if (type === types.slicedString) slicedBytes += size;
    else {
      counts[graph.nodeName[node]!]!++;
      bytes[graph.nodeName[node]!]! += size;
    }
  }
  let duplicatedValues = 0;
  let wastedBytes = 0;
  const top: Array<{ name: number; count: number; bytes: number }> = [];
  for (let name = 0; name <= maxName; name++) {
    const count = counts[name]!;
    if (count < 2) continue;
    duplicatedValues++;
    wastedBytes += (bytes[name]! * (count - 1)) / count;
    if (top.length === DUPLICATE_CANDIDATES && bytes[name]! <= top[top.length - 1]!.bytes) continue;
    insertSorted(top, { name, count, bytes: bytes[name]! });
  }
  return { candidates: top, duplicatedValues, wastedBytes, stringBytes, stringCount, concatenatedBytes, slicedBytes };
}

function insertSorted(top: Array<{ bytes: number }>, item: { name: number; count: number; bytes: number }): void {
  let at = top.length;
  while (at > 0 && top[at - 1]!.bytes < item.bytes) at--;
  top.splice(at, 0, item);
  if (top.length > DUPLICATE_CANDIDATES) top.pop();
}

export function truncateValue(value: string): string {
  const flat = JSON.stringify(value).slice(1, -1);
  return flat.length > VALUE_CHARS ? `${flat.slice(0, VALUE_CHARS - 1)}…` : flat;
}
