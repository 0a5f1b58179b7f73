import { stat } from 'node:fs/promises';
import { CheckError, InputError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import { classTable, type ClassTable, type ShapeName } from './classes.js';
import { computeDominance, type Dominance } from './dominators.js';
import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, isStringType, nameIndexOf, typeIndex, type HeapGraph, type TypeIndex } from './graph.js';
import { parseSnapshot, SnapshotFormatError, type ReadPhases } from './parse.js';
import { parkArrays } from './park.js';
import { EDGES_THREAD_BYTES } from './edges-thread.js';
import { propagateDetachedness } from './names.js';
import { releaseMemory } from './release.js';
import { foldOwnedSizes } from './shallow.js';
import { inferShapes, type PlainObjects } from './shapes.js';
import { shortestPaths, type ShortestPaths } from './paths.js';
import { planDuplicates, type DuplicatePlan } from './strings.js';
import { stopCause } from '../../lib/stop.js';
import { CHUNK_BYTES, readChunks } from './read-chunks.js';

export { CHUNK_BYTES, readChunks } from './read-chunks.js';

/** A snapshot read and analysed: the graph, its dominator tree and the per-class table. */
export interface LoadedSnapshot {
  path: string;
  graph: HeapGraph;
  types: TypeIndex;
  dominance: Dominance;
  classes: ClassTable;
  /** The plain objects' property sets, to name them again with another snapshot's shapes. */
  plain: PlainObjects;
  /** The shapes this snapshot's plain objects are named by (its own unless given). */
  shapes: ShapeName[];
  /** Whether owned internals were folded into their owners' self sizes (not for exposed-internals snapshots). */
  folded: boolean;
  /** Each node's shortest retaining path's last step (the edges themselves are gone unless keepEdges). */
  paths: ShortestPaths;
  /** The user's global objects (targets of the root's shortcut edges). */
  globals: Uint32Array;
  duplicates: DuplicatePlan;
  timings: { readMs: number; dominatorsMs: number; classesMs: number; foldMs: number; shapesMs: number };
  /** The read and the dominator tree step by step, ms each (read: nodes, edges, …; tree: essential edges, search, …). */
  phases: { read: ReadPhases; dominators: Dominance['phases'] };
}

/**
 * Reads a snapshot file into typed arrays and computes dominators, retained sizes and classes.
 * Bad input — a missing file, not a heap snapshot, a file cut short — is an InputError naming the
 * file and what is wrong (exit 2).
 */
export async function loadSnapshot(
  path: string,
  startProgress?: (fileBytes: number) => Progress,
  signal?: AbortSignal,
  options: { shapes?: ShapeName[]; keepEdges?: boolean; edgesThreadFrom?: number } = {},
): Promise<LoadedSnapshot> {
  const size = await fileSize(path);
  const progress = startProgress?.(size);
  const started = performance.now();
  let duplicates: DuplicatePlan | undefined;
  let types: TypeIndex | undefined;
  let graph: HeapGraph;
  const readPhases: ReadPhases = { nodesMs: 0, edgesMs: 0, edgesThreadMs: 0, otherArraysMs: 0, keepMs: 0, stringsMs: 0 };
  try {
    let read = 0;
    const counted = async function* () {
      for await (const chunk of readChunks(path)) {
        if (signal?.aborted)
          throw new CheckError(`stopped (${stopCause(signal)}) while reading ${path}, at byte ${read.toLocaleString('en-US')}; nothing was analysed`);
        read += chunk.length;
        progress?.update(Math.round(read / CHUNK_BYTES));
        yield chunk;
      }
    };
    graph = await parseSnapshot(counted(), {
      phases: readPhases,
      edgesThreadPath: size >= (options.edgesThreadFrom ?? EDGES_THREAD_BYTES) ? path : undefined,
      keep: (parsed) => {
        types = typeIndex(parsed);
        duplicates = planDuplicates(parsed, types);
        return stringsToKeep(parsed, types, duplicates);
      },
    });
  } catch (error) {
    throw describeReadError(path, size, error);
  }
  progress?.done();
  if (signal?.aborted) throw new CheckError(`stopped (${stopCause(signal)}) after reading ${path}; nothing was analysed`);
  const readMs = performance.now() - started;
  let at = performance.now();
  const lap = () => -at + (at = performance.now());
  propagateDetachedness(graph, types!);
  const folded = foldOwnedSizes(graph, types!);
  releaseMemory();
  const foldMs = lap();
  const inferred = inferShapes(graph, types!);
  const shapes =
    options.shapes ??
    inferred.definitions.map((definition) => ({ name: definition.name, properties: definition.properties.map((p) => graph.strings.get(p) ?? '') }));
  releaseMemory();
  const paths = shortestPaths(graph, types!);
  const globals = globalObjects(graph, types!);
  const shapesMs = lap();
  // The tree never reads the shortest paths, nor node ids and names once the retaining edges are
  // known: 16 bytes a node parked in a temporary file meanwhile (park.ts).
  const unparkPaths = parkArrays([
    { get: () => paths.from, set: (array) => (paths.from = array) },
    { get: () => paths.label, set: (array) => (paths.label = array) },
  ]);
  let unparkNodes = () => {};
  const parkNodes = () => {
    unparkNodes = parkArrays([
      { get: () => graph.nodeId, set: (array) => (graph.nodeId = array) },
      { get: () => graph.nodeName, set: (array) => (graph.nodeName = array) },
    ]);
  };
  releaseMemory();
  const dominance = computeDominance(graph, types!, 'user-globals', { consumeEdges: !options.keepEdges, afterEssential: parkNodes });
  releaseMemory();
  unparkNodes();
  unparkPaths();
  const dominatorsMs = lap();
  const classes = classTable(graph, types!, dominance, inferred.plain, shapes);
  releaseMemory();
  const classesMs = lap();
  return {
    path,
    graph,
    types: types!,
    dominance,
    classes,
    plain: inferred.plain,
    shapes,
    folded,
    paths,
    globals,
    duplicates: duplicates!,
    timings: { readMs, dominatorsMs, classesMs, foldMs, shapesMs },
    phases: { read: readPhases, dominators: dominance.phases },
  };
}

export async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(null, `${path} is not a file; pass a .heapsnapshot file`);
    return info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(null, `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
}

export function describeReadError(path: string, size: number, error: unknown): Error {
  if (error instanceof InputError || error instanceof CheckError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const early = /^the JSON ends early, at byte (\d+)(?: \(in "([^"]+)"\))?/.exec(message);
  if (early) {
    const where = early[2] ? `inside "${early[2]}"` : 'before its first array';
    return new InputError(
      null,
      `${path} is truncated: it ends at byte ${Number(early[1]).toLocaleString('en-US')} (of ${size.toLocaleString('en-US')}), ${where}; write the snapshot again`,
    );
  }
  if (error instanceof SnapshotFormatError || error instanceof SyntaxError || /^(unexpected|expected|over \d+ bytes)/.test(message)) {
    return new InputError(null, `${path} is not a V8 heap snapshot: ${message}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR' || code === 'EACCES' || code === 'ENOENT') return new InputError(null, `${path}: ${message}`);
  if (error instanceof RangeError)
    return new InputError(null, `${path} is too large for this process's memory (${message}); run with more memory or on a larger machine`);
  return error instanceof Error ? error : new Error(message);
}

/**
 * The strings worth decoding: names of every node that is not itself a string (constructors,
 * closures, system names), names of every named edge (properties, context variables, internals),
 * and the values of the most duplicated strings. Other string values are skipped as they stream.
 */
function stringsToKeep(graph: HeapGraph, types: TypeIndex, duplicates: DuplicatePlan): (index: number) => boolean {
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

function globalObjects(graph: HeapGraph, types: TypeIndex): Uint32Array {
  const globals: number[] = [];
  for (let e = graph.firstEdge[0]!; e < graph.firstEdge[1]!; e++)
    if ((graph.edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeShortcut) globals.push(graph.edgeTo[e]!);
  return Uint32Array.from(globals);
}
