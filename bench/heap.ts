/**
 * `npm run bench:heap`: `imdiag heap` against memlab (Meta's heap analysis, @memlab/heap-analysis,
 * a devDependency for this benchmark only) on the same snapshots, side by side in one run.
 *
 * For each --heap-mb: a fresh `node --max-old-space-size=8192` holds that many MB of objects (a
 * Map of arrays of BenchReceipt, each with a small topic string) and writes a snapshot. Then each
 * tool analyses it once in its own fresh process, which reports its wall time (hrtime, from file
 * to dominators, retained sizes and the per-class table) and its peak RSS (getrusage maxrss of
 * the whole process). Agreement, after the timing: the top-20 classes by retained size (DevTools'
 * rule, applied to each tool's own dominator tree) and the 20 largest objects, id by id — with
 * imdiag under DevTools' page-object rule (what the command reports) and under memlab's (see
 * PageRule in src/core/heapsnapshot/dominators.ts), so a difference is either that rule or a bug.
 *
 *   npm run bench:heap -- [--heap-mb 100,600,1500] [--dir /tmp] [--keep] [--json] [--skip-memlab]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { classRetainedSizes, classTable } from '../src/core/heapsnapshot/classes.js';
import { computeDominance } from '../src/core/heapsnapshot/dominators.js';
import { loadSnapshot } from '../src/core/heapsnapshot/load.js';
import { snapshotSummary } from '../src/core/heapsnapshot/summarise.js';
import { agreementLines, type ToolRun } from './heap-agreement.js';

const TOP = 20;

const { values } = parseArgs({
  options: {
    'heap-mb': { type: 'string', default: '100,600,1500' },
    dir: { type: 'string', default: tmpdir() },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'skip-memlab': { type: 'boolean', default: false },
    worker: { type: 'string' },
    snapshot: { type: 'string' },
    ids: { type: 'string' },
  },
});

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

function writeHeldSnapshot(path: string, heapMB: number): { heapUsedBytes: number; objects: number; writeMs: number } {
  const script = `
    class BenchReceipt { constructor(i) { this.msgId = i; this.topic = 'topic-' + (i % 5000); } }
    const held = new Map();
    let objects = 0;
    (() => {
      while (process.memoryUsage().heapUsed < ${heapMB} * 1024 * 1024) {
        const batch = [];
        for (let k = 0; k < 1000; k++) batch.push(new BenchReceipt(objects++));
        held.set('user-' + held.size, batch);
      }
    })();
    globalThis.held = held;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    require('node:v8').writeHeapSnapshot(${JSON.stringify(path)});
    console.log(JSON.stringify({ heapUsedBytes, objects, writeMs: Number(process.hrtime.bigint() - started) / 1e6 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 })) as ReturnType<
    typeof writeHeldSnapshot
  >;
}

function measureIn(tool: 'imdiag' | 'memlab', path: string, ids: number[] = []): ToolRun {
  try {
    // memlab holds the graph in the JS heap and needs room; imdiag runs as users run it, with Node's defaults.
    const flags = tool === 'memlab' ? ['--max-old-space-size=16384'] : [];
    const out = execFileSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--worker', tool, '--snapshot', path, '--ids', ids.join(',')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as ToolRun;
  } catch (error) {
    return { tool, ms: NaN, peakRssBytes: NaN, classes: {}, objects: [], error: (error as Error).message.split('\n')[0] };
  }
}

if (values.worker) {
  const ids = (values.ids ?? '').split(',').filter(Boolean).map(Number);
  const run = values.worker === 'imdiag' ? await imdiagWorker(values.snapshot!) : await memlabWorker(values.snapshot!, ids);
  process.stdout.write(`\n${JSON.stringify(run)}\n`);
} else {
  const dir = mkdtempSync(join(values.dir, 'imdiag-bench-heap-'));
  const cases = [];
  try {
    for (const heapMB of values['heap-mb'].split(',').map(Number)) {
      const path = join(dir, `held-${heapMB}mb.heapsnapshot`);
      const held = writeHeldSnapshot(path, heapMB);
      const snapshotBytes = statSync(path).size;
      const imdiag = measureIn('imdiag', path);
      const memlab = values['skip-memlab']
        ? null
        : measureIn(
            'memlab',
            path,
            imdiag.objects.map((object) => object.id),
          );
      cases.push({ heapMB, ...held, snapshotBytes, imdiag, memlab });
      if (!values.keep) rmSync(path);
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const environment = collectEnvironment();
  if (values.json) process.stdout.write(`${JSON.stringify({ environment, runsEach: 1, cases }, null, 2)}\n`);
  else {
    const lines = [
      `bench:heap · Node ${process.version}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.totalMemoryMB} MB RAM · one run each, each tool in a fresh process`,
    ];
    for (const c of cases) {
      lines.push(
        '',
        `heap ${bytes(c.heapUsedBytes)} (${c.objects.toLocaleString('en-US')} BenchReceipt) → snapshot ${bytes(c.snapshotBytes)}, written in ${(c.writeMs / 1000).toFixed(1)} s`,
      );
      lines.push(...agreementLines(c.imdiag, c.memlab, c.snapshotBytes, TOP));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
