import type { ValueHandler } from '../../lib/json-scanner.js';
import { wholeRecords } from './records.js';

/**
 * The allocation stacks a snapshot carries when it was taken with allocation tracking on
 * (HeapProfiler.startTrackingHeapObjects with trackAllocations): each node's `trace_node_id`, the
 * `trace_tree` of call stacks (a node per frame, its parent the caller) and `trace_function_infos`
 * (function name, script name and id, the function's definition line and column, 1-based, 0 when
 * unknown: V8's HeapSnapshotJSONSerializer::SerializeTraceNodeInfos,
 * https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/profiler/heap-snapshot-generator.cc).
 * V8 records which function allocated, not the line inside it.
 */
export interface AllocationTraces {
  /** Per node: its allocation's trace node id, 0 when it was allocated before tracking began. */
  traceNode: Uint32Array;
  /** Per trace node id: its parent's id (0 for the root) and its function info index (-1: no such node). */
  parent: Int32Array;
  functionOf: Int32Array;
  functions: FunctionInfo[];
}

export interface FunctionInfo {
  /** String indices into the snapshot's strings (kept while they stream). */
  name: number;
  scriptName: number;
  scriptId: number;
  line: number;
  column: number;
}

/** Max size of the trace tree's JSON text: one entry per distinct call stack. */
const MAX_TREE_BYTES = 512 * 1024 * 1024;

export function functionInfosHandler(traces: AllocationTraces, fields: string[]): ValueHandler {
  const at = ['name', 'script_name', 'script_id', 'line', 'column'].map((field) => fields.indexOf(field));
  if (fields.length === 0 || at.some((index) => index < 0)) return { kind: 'skip' };
  const [nameAt, scriptAt, idAt, lineAt, columnAt] = at as [number, number, number, number, number];
  return {
    kind: 'numbers',
    numbers: wholeRecords(fields.length, (data, from, to) => {
      for (let i = from; i < to; i += fields.length) {
        traces.functions.push({
          name: data[i + nameAt]!,
          scriptName: data[i + scriptAt]!,
          scriptId: data[i + idAt]!,
          line: data[i + lineAt]!,
          column: data[i + columnAt]!,
        });
      }
    }),
    end: () => {},
  };
}

/** trace_tree: [id, function_info_index, count, size, [children…]] nested, as `fields` orders them. */
export function traceTreeHandler(traces: AllocationTraces, fields: string[]): ValueHandler {
  const idAt = fields.indexOf('id');
  const functionAt = fields.indexOf('function_info_index');
  const childrenAt = fields.indexOf('children');
  if (idAt < 0 || functionAt < 0 || childrenAt < 0) return { kind: 'skip' };
  return {
    kind: 'capture',
    maxBytes: MAX_TREE_BYTES,
    value: (tree) => {
      const parents: number[] = [];
      const functions: number[] = [];
      const stack: Array<{ list: unknown[]; parent: number }> = [{ list: tree as unknown[], parent: 0 }];
      while (stack.length > 0) {
        const { list, parent } = stack.pop()!;
        for (let i = 0; i + fields.length <= list.length; i += fields.length) {
          const id = list[i + idAt] as number;
          parents[id] = parent;
          functions[id] = list[i + functionAt] as number;
          const children = list[i + childrenAt];
          if (Array.isArray(children) && children.length > 0) stack.push({ list: children, parent: id });
        }
      }
      traces.parent = Int32Array.from(parents, (value) => value ?? 0);
      traces.functionOf = Int32Array.from(functions, (value) => value ?? -1);
    },
  };
}

export function emptyTraces(nodeCount: number): AllocationTraces {
  return { traceNode: new Uint32Array(nodeCount), parent: new Int32Array(0), functionOf: new Int32Array(0), functions: [] };
}

/** The string indices the traces name (function and script names), to keep while strings stream. */
export function traceStrings(traces: AllocationTraces | undefined): Set<number> {
  const keep = new Set<number>();
  for (const info of traces?.functions ?? []) {
    keep.add(info.name);
    keep.add(info.scriptName);
  }
  return keep;
}
