import { isStringType, nameIndexOf, selfSizeOf } from './graph.js';
import { dropChildren } from './classes.js';
import { largestNodes } from './largest.js';
import { releaseMemory } from './release.js';
import type { LoadedSnapshot } from './load.js';
import { retainerPath } from './paths.js';
import type { HeapClassRow, HeapObjectRow, SnapshotSummary, StringsSummary } from '../../results/heap.js';
import { truncateValue } from './strings.js';
import { markData } from '../../lib/data-strings.js';
import { shownNodeName } from './data-names.js';

/** A string's value, cut for a table, marked as data (data-names.ts). */
function markValue(value: string): string {
  return markData(truncateValue(value), value.length);
}

export function snapshotSummary(loaded: LoadedSnapshot, top: number, startedAt: number): SnapshotSummary {
  const { graph, types, classes, dominance } = loaded;
  let totalSizeBytes = 0;
  let nativeBytes = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    const size = selfSizeOf(graph, node);
    totalSizeBytes += size;
    if (graph.nodeType[node] === types.native) nativeBytes += size;
  }
  const rows: HeapClassRow[] = classes.names.map((className, id) => ({
    className,
    ...locationOf(classes.keys[id]!, className),
    count: classes.count[id]!,
    selfSizeBytes: classes.selfSize[id]!,
    retainedSizeBytes: classes.retainedSize[id]!,
  }));
  const shown = rows.filter((row) => row.count > 0).sort((a, b) => b.retainedSizeBytes - a.retainedSizeBytes || b.selfSizeBytes - a.selfSizeBytes);
  return {
    path: loaded.path,
    fileBytes: graph.fileBytes,
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    totalSizeBytes,
    nativeBytes,
    unreachableNodes: dominance.unreachable,
    classCount: shown.length,
    classes: shown.slice(0, top),
    largest: largestObjects(loaded, top),
    strings: stringsSummary(loaded, totalSizeBytes, top),
    timings: { ...loaded.timings, totalMs: performance.now() - startedAt },
  };
}

/** A row's constructor location (`scriptId,line,column`, as V8 writes it) when DevTools keys the row by one. */
function locationOf(key: string, className: string): { location?: string } {
  const location = key.slice(0, key.length - className.length - 1);
  return location === '' ? {} : { location };
}

/** A node as DevTools names it in a retainer path: its Summary row's name, a closure's `name()`, a string's value. */
export function describeNode(loaded: Pick<LoadedSnapshot, 'graph' | 'types' | 'classes'>, node: number): { node: string; className: string } {
  const { graph, types } = loaded;
  const className = loaded.classes.names[loaded.classes.nodeClass[node]!]!;
  const type = graph.nodeType[node]!;
  const name = graph.strings.get(nameIndexOf(graph, node));
  if (node === 0) return { node: '(root)', className };
  const kind = graph.nodeTypes[type] ?? 'unknown';
  if (isStringType(types, type)) return { node: name === undefined ? className : `"${markValue(name)}"`, className };
  if (kind === 'closure') return { node: `${name ? shownNodeName(kind, name) : '(anonymous)'}()`, className };
  if (type === types.object || type === types.native || name === undefined || name === '') return { node: className, className };
  return { node: shownNodeName(kind, name), className };
}

function largestObjects(loaded: LoadedSnapshot, top: number): HeapObjectRow[] {
  const nodes = largestNodes(loaded, top);
  dropChildren(loaded.dominance.dominator);
  releaseMemory();
  return nodes.map((node) => objectRow(loaded, node));
}

export function objectRow(loaded: LoadedSnapshot, node: number): HeapObjectRow {
  const { graph, types, dominance } = loaded;
  const described = describeNode(loaded, node);
  return {
    id: graph.nodeId[node]!,
    className: described.className,
    name: described.node,
    selfSizeBytes: selfSizeOf(graph, node),
    retainedSizeBytes: dominance.retained[node]!,
    retainers: retainerPath(graph, types, loaded.paths, node, (at) => describeNode(loaded, at)),
  };
}

function stringsSummary(loaded: LoadedSnapshot, totalSizeBytes: number, top: number): StringsSummary {
  const plan = loaded.duplicates;
  return {
    stringCount: plan.stringCount,
    stringBytes: plan.stringBytes,
    share: totalSizeBytes > 0 ? plan.stringBytes / totalSizeBytes : 0,
    concatenatedBytes: plan.concatenatedBytes,
    slicedBytes: plan.slicedBytes,
    duplicatedValues: plan.duplicatedValues,
    wastedBytes: plan.wastedBytes,
    top: plan.candidates.slice(0, top).map((candidate) => ({
      value: markValue(loaded.graph.strings.get(candidate.name) ?? ''),
      count: candidate.count,
      totalBytes: candidate.bytes,
      wastedBytes: (candidate.bytes * (candidate.count - 1)) / candidate.count,
    })),
  };
}
