import type { HeapGraph } from '../../core/heapsnapshot/graph.js';
import type { AllocationTraces } from '../../core/heapsnapshot/traces.js';
import type { AllocationFrame } from '../../results/leak.js';

/** A frame in Node's own code (node:…, internal/…) or a dependency's: folded, as a bottom-up profile does. */
export function isUserScript(script: string): boolean {
  return !(script === '' || script.startsWith('node:') || script.startsWith('internal/') || /(^|[\\/])node_modules[\\/]/.test(script));
}

export function frameOf(graph: HeapGraph, traces: AllocationTraces, functionIndex: number): AllocationFrame {
  const info = traces.functions[functionIndex];
  if (!info) return { functionName: '(unknown)', script: '', line: null, column: null };
  return {
    functionName: graph.strings.get(info.name) || '(anonymous)',
    script: graph.strings.get(info.scriptName) ?? '',
    line: info.line > 0 ? info.line : null,
    column: info.column > 0 ? info.column : null,
  };
}

export interface SiteOfTrace {
  /** Function info index of the site (the first user frame from the allocating one up), -1 for the root. */
  site: number;
  allocating: number;
  folded: number;
  /** Trace node id of the site's frame (its callers are its ancestors). */
  siteNode: number;
}

/** The allocation site of each trace node, memoised: the first frame in user code walking from the allocating frame to the root. */
export function siteResolver(graph: HeapGraph, traces: AllocationTraces): (traceNode: number) => SiteOfTrace {
  const memo = new Map<number, SiteOfTrace>();
  const user = new Map<number, boolean>();
  const isUser = (functionIndex: number) => {
    let known = user.get(functionIndex);
    if (known === undefined) {
      const info = traces.functions[functionIndex];
      known = info !== undefined && isUserScript(graph.strings.get(info.scriptName) ?? '');
      user.set(functionIndex, known);
    }
    return known;
  };
  return (traceNode) => {
    let found = memo.get(traceNode);
    if (found) return found;
    const allocating = traces.functionOf[traceNode] ?? -1;
    let at = traceNode;
    let folded = 0;
    while (at > 0 && !isUser(traces.functionOf[at] ?? -1)) {
      at = traces.parent[at] ?? 0;
      folded++;
    }
    found = at > 0 ? { site: traces.functionOf[at]!, allocating, folded, siteNode: at } : { site: allocating, allocating, folded: 0, siteNode: traceNode };
    memo.set(traceNode, found);
    return found;
  };
}

/** The user's frames above a trace node, nearest first. */
export function callersOf(graph: HeapGraph, traces: AllocationTraces, traceNode: number, max: number): AllocationFrame[] {
  const callers: AllocationFrame[] = [];
  let at = traces.parent[traceNode] ?? 0;
  while (at > 0 && callers.length < max) {
    const functionIndex = traces.functionOf[at] ?? -1;
    const frame = frameOf(graph, traces, functionIndex);
    if (isUserScript(frame.script)) callers.push(frame);
    at = traces.parent[at] ?? 0;
  }
  return callers;
}
