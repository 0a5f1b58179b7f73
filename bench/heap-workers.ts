/**
 * The three analysers of `bench:heap`, each run by bench/heap.ts in a fresh process of its own
 * (`--worker imdiag|devtools|memlab --snapshot FILE`), which prints one ToolRun as its last line:
 * wall time from file to per-class table (hrtime), peak RSS of the whole process (getrusage
 * maxrss), and what the agreement needs.
 */
import { createRequire } from 'node:module';
import { computeDominance } from '../src/core/heapsnapshot/dominators.js';
import { loadSnapshot } from '../src/core/heapsnapshot/load.js';
import { snapshotSummary } from '../src/core/heapsnapshot/summarise.js';
import { devtoolsSummary, type DevtoolsRow } from './heap-devtools.js';

export type Tool = 'imdiag' | 'devtools' | 'memlab';

export interface ToolRun {
  tool: Tool;
  ms: number;
  peakRssBytes: number;
  /** imdiag and DevTools: every Summary row by class key. */
  rows?: Record<string, DevtoolsRow>;
  /** imdiag: where its time went, ms per phase. */
  phases?: Record<string, number>;
  /** imdiag: its largest objects' retained sizes under memlab's page rule; memlab: its own for the same ids. */
  objects?: Record<number, number>;
  error?: string;
}

const TOP = 20;

export async function imdiagWorker(path: string): Promise<ToolRun> {
  const started = process.hrtime.bigint();
  const loaded = await loadSnapshot(path);
  const summary = snapshotSummary(loaded, TOP, performance.now());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const { classes } = loaded;
  const rows: Record<string, DevtoolsRow> = {};
  classes.keys.forEach((key, id) => {
    if (classes.count[id]! > 0)
      rows[key] = { name: classes.names[id]!, count: classes.count[id]!, shallow: classes.selfSize[id]!, retained: classes.retainedSize[id]! };
  });
  const { timings, phases: steps } = loaded;
  const read = steps.read;
  const tree = steps.dominators;
  // Every phase of imdiag's time, in order: the read (nodes, edges, the small arrays, choosing the
  // strings to decode, the strings), folding owned stores, shapes and shortest paths, the dominator
  // tree (retaining edges, search, retainer lists, Semi-NCA, retained sizes), classes, the summary.
  // With the edges thread, "read edges" is the main thread passing over them and waiting, and the
  // thread's own time (beside the nodes and the other arrays, not added to the total) is its own row;
  // so is the paths thread's (beside the essential edges), "shapes, paths" being this thread's part.
  const phases = {
    'read (all)': timings.readMs,
    'read nodes': read.nodesMs,
    'read edges': read.edgesMs,
    'edges thread (beside)': read.edgesThreadMs,
    'read other arrays': read.otherArraysMs,
    'strings to keep': read.keepMs,
    'read strings': read.stringsMs,
    fold: timings.foldMs,
    'shapes, paths': timings.shapesMs,
    'paths thread (beside)': steps.paths.threadMs,
    'waiting for paths': steps.paths.waitMs,
    'essential edges': tree.essentialMs,
    search: tree.searchMs,
    'retainer lists': tree.retainersMs,
    'semi-nca': tree.semiNcaMs,
    'retained sizes': tree.retainedMs,
    'dominators (all)': timings.dominatorsMs,
    classes: timings.classesMs,
    'largest objects, strings': summary.timings.totalMs,
  };
  // After the measurement, from a second load that keeps the edges: the largest objects under
  // memlab's page rule, to compare with memlab id by id.
  const again = await loadSnapshot(path, undefined, undefined, { keepEdges: true });
  const memlabRule = computeDominance(again.graph, again.types, 'gc-roots');
  const wanted = new Set(summary.largest.map((object) => object.id));
  const objects: Record<number, number> = {};
  for (let node = 0; node < again.graph.nodeCount; node++) {
    if (wanted.has(again.graph.nodeId[node]!)) objects[again.graph.nodeId[node]!] = memlabRule.retained[node]!;
  }
  return { tool: 'imdiag', ms, peakRssBytes, rows, phases, objects };
}

export async function devtoolsWorker(path: string): Promise<ToolRun> {
  const started = process.hrtime.bigint();
  const { rows } = await devtoolsSummary(path);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { tool: 'devtools', ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, rows: Object.fromEntries(rows) };
}

interface MemlabNode {
  id: number;
  retainedSize: number;
}

/** memlab's full analysis (@memlab/heap-analysis getFullHeapFromFile: parse, dominators, retained sizes). */
export async function memlabWorker(path: string, ids: number[]): Promise<ToolRun> {
  const memlab = createRequire(import.meta.url)('@memlab/heap-analysis') as {
    getFullHeapFromFile(file: string): Promise<{ nodes: { forEach(visit: (node: MemlabNode) => void): void } }>;
  };
  const started = process.hrtime.bigint();
  const heap = await memlab.getFullHeapFromFile(path);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const wanted = new Set(ids);
  const objects: Record<number, number> = {};
  heap.nodes.forEach((node) => {
    if (wanted.has(node.id)) objects[node.id] = node.retainedSize;
  });
  return { tool: 'memlab', ms, peakRssBytes, objects };
}
