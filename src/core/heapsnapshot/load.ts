import { stat } from 'node:fs/promises';
import { CheckError, InputError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import { classTable, type ClassTable, type ShapeName } from './classes.js';
import { dominatorTree, type Dominance } from './dominators.js';
import { essentialEdges, essentialPlan } from './essential.js';
import { EDGE_TYPE_MASK, typeIndex, type HeapGraph, type TypeIndex } from './graph.js';
import { parseSnapshot, SnapshotFormatError, type ReadPhases } from './parse.js';
import { parkArrays } from './park.js';
import { EDGES_THREAD_BYTES } from './edges-thread.js';
import { propagateDetachedness } from './names.js';
import { releaseMemory } from './release.js';
import { foldOwnedSizes } from './shallow.js';
import { inferShapes, type PlainObjects } from './shapes.js';
import { pathsInput, type ShortestPaths } from './paths.js';
import { startPaths, type PathsRun } from './paths-thread.js';
import { planDuplicates, type DuplicatePlan } from './strings.js';
import { stringsToKeep } from './strings-to-keep.js';
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
  /** ms each; `shapesMs` is the shapes and this thread's part of the shortest paths. */
  timings: { readMs: number; dominatorsMs: number; classesMs: number; foldMs: number; shapesMs: number };
  /**
   * The read and the dominator tree step by step, ms each (read: nodes, edges, …; tree: essential
   * edges, search, …); the shortest paths' thread (0 without one: then the search is in
   * `shapesMs`) and how long this thread waited for it after the retaining edges (in `shapesMs` too).
   */
  phases: { read: ReadPhases; dominators: Dominance['phases']; paths: { threadMs: number; waitMs: number } };
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
  // What the shortest paths and the retaining edges need of node ids and names is found first (the
  // plans), so the paths' search reads neither and runs in a thread of its own (paths-thread.ts)
  // beside the shapes and the retaining edges. Meanwhile what no later phase before the classes
  // reads goes to a temporary file (park.ts): the ids now, the names once the shapes are known,
  // the paths once the tree starts: 4, 4 and 8 bytes a node.
  const plan = essentialPlan(graph, types!, 'user-globals');
  const { pathsRun, unparkIds } = startPathsParked(graph, types!);
  const inferred = inferShapes(graph, types!);
  const shapes =
    options.shapes ??
    inferred.definitions.map((definition) => ({ name: definition.name, properties: definition.properties.map((p) => graph.strings.get(p) ?? '') }));
  const globals = globalObjects(graph, types!);
  const unparkNames = parkArrays([{ get: () => graph.nodeName, set: (array) => (graph.nodeName = array) }]);
  releaseMemory();
  const shapesMs = lap();
  const essential = essentialEdges(graph, types!, plan);
  const essentialMs = lap();
  const { paths, threadMs: pathsThreadMs } = await pathsRun.done;
  const pathsWaitMs = lap();
  const unparkPaths = parkArrays([
    { get: () => paths.from, set: (array) => (paths.from = array) },
    { get: () => paths.label, set: (array) => (paths.label = array) },
  ]);
  releaseMemory();
  const parkPathsMs = lap();
  const dominance = dominatorTree(graph, essential, essentialMs, { consumeEdges: !options.keepEdges });
  releaseMemory();
  unparkIds();
  unparkNames();
  unparkPaths();
  const dominatorsMs = essentialMs + lap();
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
    timings: { readMs, dominatorsMs, classesMs, foldMs, shapesMs: shapesMs + pathsWaitMs + parkPathsMs },
    phases: { read: readPhases, dominators: dominance.phases, paths: { threadMs: pathsThreadMs, waitMs: pathsWaitMs } },
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

function globalObjects(graph: HeapGraph, types: TypeIndex): Uint32Array {
  const globals: number[] = [];
  for (let e = graph.firstEdge[0]!; e < graph.firstEdge[1]!; e++)
    if ((graph.edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeShortcut) globals.push(graph.edgeTo[e]!);
  return Uint32Array.from(globals);
}

/**
 * Parks the node ids, then starts the shortest paths' search. Its input is held here only, not in
 * the caller's frame, so the edges it shares go as soon as the tree drops them.
 */
function startPathsParked(graph: HeapGraph, types: TypeIndex): { pathsRun: PathsRun; unparkIds: () => void } {
  const input = pathsInput(graph, types, true);
  const unparkIds = parkArrays([{ get: () => graph.nodeId, set: (array) => (graph.nodeId = array) }]);
  releaseMemory();
  return { pathsRun: startPaths(input), unparkIds };
}
