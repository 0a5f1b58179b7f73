/**
 * One tool of bench:heap on one snapshot, in this fresh process: its wall time (hrtime, from file
 * to dominators, retained sizes and the per-class table) and its peak RSS (getrusage maxrss of the
 * whole process), printed as the last line, JSON. For imdiag, after the measurement, the same
 * figures under memlab's page-object rule (PageRule in src/core/heapsnapshot/dominators.ts); for
 * memlab, the retained size it gives each of --ids (imdiag's largest objects).
 *
 *   node [--max-old-space-size=16384] dist-bench/bench/heap-worker.js --tool imdiag|memlab --snapshot FILE [--ids 1,2,…]
 */
import { createRequire } from 'node:module';
import { classRetainedSizes, classTable } from '../src/core/heapsnapshot/classes.js';
import { computeDominance } from '../src/core/heapsnapshot/dominators.js';
import { loadSnapshot } from '../src/core/heapsnapshot/load.js';
import { snapshotSummary } from '../src/core/heapsnapshot/summarise.js';
import { benchArgs, flag } from './args.js';
import { TOP, type ToolRun } from './heap-agreement.js';
import { snapshotFileFlag } from './held-snapshot.js';

async function imdiagWorker(path: string): Promise<ToolRun> {
  const started = process.hrtime.bigint();
  const loaded = await loadSnapshot(path);
  const summary = snapshotSummary(loaded, TOP, performance.now());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const objects = summary.largest.map((object) => ({ id: object.id, name: object.name, retained: object.retainedSizeBytes }));
  // The same graph under memlab's page-object rule, after the measurement.
  const memlabRule = computeDominance(loaded.graph, loaded.types, 'gc-roots');
  const table = classTable(loaded.graph, loaded.types, memlabRule);
  const wanted = new Set(objects.map((object) => object.id));
  const byId = new Map<number, number>();
  for (let node = 0; node < loaded.graph.nodeCount; node++) if (wanted.has(loaded.graph.nodeId[node]!)) byId.set(loaded.graph.nodeId[node]!, node);
  return {
    tool: 'imdiag',
    ms,
    peakRssBytes,
    classes: Object.fromEntries(summary.classes.map((row) => [row.className, row.retainedSizeBytes])),
    objects,
    memlabRule: {
      classes: Object.fromEntries(table.names.map((name, id) => [name, table.retainedSize[id]!])),
      objects: Object.fromEntries(objects.map((object) => [object.id, memlabRule.retained[byId.get(object.id)!]!])),
    },
  };
}

interface MemlabNode {
  nodeIndex: number;
  id: number;
  name: string;
  type: string;
  self_size: number;
  retainedSize: number;
  dominatorNode: MemlabNode | null;
}

async function memlabWorker(path: string, ids: number[]): Promise<ToolRun> {
  const memlab = createRequire(import.meta.url)('@memlab/heap-analysis') as {
    getFullHeapFromFile(file: string): Promise<{ nodes: { length: number; forEach(visit: (node: MemlabNode) => void): void } }>;
  };
  const started = process.hrtime.bigint();
  const heap = await memlab.getFullHeapFromFile(path);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const n = heap.nodes.length;
  const dominator = new Uint32Array(n);
  const retained = new Float64Array(n);
  const nodeClass = new Uint32Array(n);
  const counted = new Uint8Array(n);
  const classIds = new Map<string, number>();
  const wanted = new Set(ids);
  const objects: Record<number, number> = {};
  heap.nodes.forEach((node) => {
    const at = node.nodeIndex;
    dominator[at] = node.dominatorNode ? node.dominatorNode.nodeIndex : 0;
    retained[at] = node.retainedSize;
    const name =
      node.type === 'object' || node.type === 'native'
        ? node.name
        : node.type === 'hidden'
          ? '(system)'
          : node.type === 'code'
            ? '(compiled code)'
            : `(${node.type})`;
    let cls = classIds.get(name);
    if (cls === undefined) classIds.set(name, (cls = classIds.size));
    nodeClass[at] = cls;
    counted[at] = node.self_size !== 0 || node.type === 'native' ? 1 : 0;
    if (wanted.has(node.id)) objects[node.id] = node.retainedSize;
  });
  const sizes = classRetainedSizes(dominator, retained, nodeClass, classIds.size, (node) => counted[node] === 1);
  return {
    tool: 'memlab',
    ms,
    peakRssBytes,
    classes: Object.fromEntries([...classIds].map(([name, id]) => [name, sizes[id]!])),
    objects: Object.entries(objects).map(([id, size]) => ({ id: Number(id), name: '', retained: size })),
  };
}

const values = benchArgs(
  { name: 'bench:heap worker', about: 'one tool on one snapshot, reported as one JSON line.', usage: 'node dist-bench/bench/heap-worker.js [flags]' },
  {
    tool: flag.choice('the tool', 'imdiag', ['imdiag', 'memlab'] as const),
    snapshot: snapshotFileFlag(),
    ids: flag.integers('memlab: the node ids to report the retained size of', [], 0, Number.MAX_SAFE_INTEGER),
  },
);
const run = values.tool === 'imdiag' ? await imdiagWorker(values.snapshot) : await memlabWorker(values.snapshot, values.ids);
process.stdout.write(`\n${JSON.stringify(run)}\n`);
