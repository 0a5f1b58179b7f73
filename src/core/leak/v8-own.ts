import type { LoadedSnapshot } from '../heapsnapshot/load.js';
import { NONE } from '../heapsnapshot/paths.js';

/**
 * What V8 makes for itself while a workload first runs code: compiled code, bytecode, feedback
 * and SharedFunctionInfos (snapshot type `code`), and what only such a node holds (a lazily
 * loaded module's script source and line table, a compiled function's constants). It survives
 * every run that reaches new code — a server's first requests load and compile body parsers,
 * encodings, header writers — so it is the program's warm-up, not its data, and no allocation
 * site is charged with it.
 */
export function isV8Own(loaded: LoadedSnapshot, node: number): boolean {
  const { graph, types, paths } = loaded;
  if (graph.nodeType[node] === types.code) return true;
  const holder = paths.from[node]!;
  return holder !== NONE && holder !== 0 && graph.nodeType[holder] === types.code;
}
