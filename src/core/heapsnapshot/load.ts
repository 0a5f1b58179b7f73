import { open, stat } from 'node:fs/promises';
import { CheckError, UsageError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import { classTable, type ClassTable } from './classes.js';
import { computeDominance, type Dominance } from './dominators.js';
import { EDGE_TYPE_BITS, EDGE_TYPE_MASK, isStringType, typeIndex, type HeapGraph, type TypeIndex } from './graph.js';
import { parseSnapshot, SnapshotFormatError } from './parse.js';
import { releaseMemory } from './release.js';
import { planDuplicates, type DuplicatePlan } from './strings.js';

/** Read size (1 MB): the parser holds one chunk of text at a time; progress counts chunks, i.e. MB. */
export const CHUNK_BYTES = 1024 * 1024;

/** A snapshot read and analysed: the graph, its dominator tree and the per-class table. */
export interface LoadedSnapshot {
  path: string;
  graph: HeapGraph;
  types: TypeIndex;
  dominance: Dominance;
  classes: ClassTable;
  duplicates: DuplicatePlan;
  timings: { readMs: number; dominatorsMs: number; classesMs: number };
}

/**
 * Reads a snapshot file into typed arrays and computes dominators, retained sizes and classes.
 * Bad input — a missing file, not a heap snapshot, a file cut short — is a UsageError naming the
 * file and what is wrong (exit 2).
 */
export async function loadSnapshot(path: string, startProgress?: (fileBytes: number) => Progress, signal?: AbortSignal): Promise<LoadedSnapshot> {
  const size = await fileSize(path);
  const progress = startProgress?.(size);
  const started = performance.now();
  let duplicates: DuplicatePlan | undefined;
  let types: TypeIndex | undefined;
  let graph: HeapGraph;
  try {
    let read = 0;
    const counted = async function* () {
      for await (const chunk of readChunks(path)) {
        if (signal?.aborted) throw new CheckError(`stopped (Ctrl-C) while reading ${path}, at byte ${read.toLocaleString('en-US')}; nothing was analysed`);
        read += chunk.length;
        progress?.update(Math.round(read / CHUNK_BYTES));
        yield chunk;
      }
    };
    graph = await parseSnapshot(counted(), {
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
  if (signal?.aborted) throw new CheckError(`stopped (Ctrl-C) after reading ${path}; nothing was analysed`);
  const readMs = performance.now() - started;
  releaseMemory();
  const dominance = computeDominance(graph, types!);
  releaseMemory();
  const dominatorsMs = performance.now() - started - readMs;
  const classes = classTable(graph, types!, dominance);
  releaseMemory();
  const classesMs = performance.now() - started - readMs - dominatorsMs;
  return { path, graph, types: types!, dominance, classes, duplicates: duplicates!, timings: { readMs, dominatorsMs, classesMs } };
}

/**
 * The file in CHUNK_BYTES pieces, all read into one buffer: a stream would allocate a new 1 MB
 * buffer per chunk, and on a multi-GB file the dead ones pile up as external memory faster than
 * V8 collects them (hundreds of MB of RSS). The parser copies whatever it keeps of a chunk.
 */
async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file; pass a .heapsnapshot file`);
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
}

function describeReadError(path: string, size: number, error: unknown): Error {
  if (error instanceof UsageError || error instanceof CheckError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const early = /^the JSON ends early, at byte (\d+)(?: \(in "([^"]+)"\))?/.exec(message);
  if (early) {
    const where = early[2] ? `inside "${early[2]}"` : 'before its first array';
    return new UsageError(
      `${path} is truncated: it ends at byte ${Number(early[1]).toLocaleString('en-US')} (of ${size.toLocaleString('en-US')}), ${where}; write the snapshot again`,
    );
  }
  if (error instanceof SnapshotFormatError || error instanceof SyntaxError || /^(unexpected|expected|over \d+ bytes)/.test(message)) {
    return new UsageError(`${path} is not a V8 heap snapshot: ${message}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR' || code === 'EACCES' || code === 'ENOENT') return new UsageError(`${path}: ${message}`);
  if (error instanceof RangeError)
    return new UsageError(`${path} is too large for this process's memory (${message}); run with more memory or on a larger machine`);
  return error instanceof Error ? error : new Error(message);
}

/**
 * The strings worth decoding: names of every node that is not itself a string (constructors,
 * closures, system names), names of every named edge (properties, context variables, internals),
 * and the values of the most duplicated strings. Other string values are skipped as they stream.
 */
function stringsToKeep(graph: HeapGraph, types: TypeIndex, duplicates: DuplicatePlan): (index: number) => boolean {
  let max = 0;
  for (let node = 0; node < graph.nodeCount; node++) if (graph.nodeName[node]! > max) max = graph.nodeName[node]!;
  const numbered = (type: number) => type === types.edgeElement || type === types.edgeHidden;
  for (let edge = 0; edge < graph.edgeCount; edge++) {
    const packed = graph.edgeNameType[edge]!;
    if (!numbered(packed & EDGE_TYPE_MASK) && packed >>> EDGE_TYPE_BITS > max) max = packed >>> EDGE_TYPE_BITS;
  }
  const keep = new Uint8Array(max + 1);
  for (let node = 0; node < graph.nodeCount; node++) if (!isStringType(types, graph.nodeType[node]!)) keep[graph.nodeName[node]!] = 1;
  for (let edge = 0; edge < graph.edgeCount; edge++) {
    const packed = graph.edgeNameType[edge]!;
    if (!numbered(packed & EDGE_TYPE_MASK)) keep[packed >>> EDGE_TYPE_BITS] = 1;
  }
  for (const candidate of duplicates.candidates) keep[candidate.name] = 1;
  return (index) => keep[index] === 1;
}
