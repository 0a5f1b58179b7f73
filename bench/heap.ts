/**
 * `npm run bench:heap`: `imdiag heap` against Chrome DevTools' own snapshot code (devtools-frontend
 * 138048f as heap-snapshot-toolkit 1.1.3 bundles it) and memlab (@memlab/heap-analysis), both
 * devDependencies for this benchmark only, on the same snapshots, one tool after another.
 *
 * Snapshots: for each --heap-mb, a fresh `node --max-old-space-size=8192` holding that many MB of
 * objects (a Map of arrays of BenchReceipt, each with a small topic string); and real programs'
 * heaps (bench/heap-programs.ts): @babel/parser's ASTs of --babel-mb of node_modules JavaScript,
 * and the Spider example server after --spider-posts POSTs. Each tool analyses each file once in
 * its own fresh process (bench/heap-workers.ts); a tool that fails (out of memory, say) is
 * recorded as failed, the snapshot is not made smaller. Printed per snapshot: time, peak RSS,
 * imdiag's time per phase, and how many of DevTools' top-20 Summary rows imdiag gives within
 * 1 % (count, shallow and retained size) and how many rows are identical to the byte.
 *
 *   npm run bench:heap -- [--heap-mb 100,600,1500] [--babel-mb 10] [--spider-posts 20000]
 *                         [--tools imdiag,devtools,memlab] [--dir /tmp] [--keep] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { benchArgs, flag, optional } from './args.js';
import { agreementLines } from './heap-agreement.js';
import { writeBabelHeap, writeSpiderHeap, type WrittenHeap } from './heap-programs.js';
import { devtoolsWorker, imdiagWorker, memlabWorker, type Tool, type ToolRun } from './heap-workers.js';

const TOOLS = ['imdiag', 'devtools', 'memlab'] as const;

const values = benchArgs(
  { name: 'bench:heap', about: "imdiag heap against DevTools' own snapshot code and memlab on the same snapshots: time, peak RSS, rows agreeing." },
  {
    'heap-mb': flag.integers('held heaps to snapshot, MB each', [100, 600, 1500], 0, 16_384),
    'babel-mb': flag.integer('MB of node_modules JavaScript parsed by @babel/parser and kept (0: none)', 10, 0, 200),
    'spider-posts': flag.integer('POSTs to the Spider example server before its snapshot (0: none)', 20_000, 0, 10_000_000),
    tools: flag.list('the tools to run, one after another', TOOLS, TOOLS),
    dir: flag.text('where the snapshots are written', tmpdir()),
    keep: flag.switch('keep the snapshots'),
    json: flag.switch('print the figures as JSON on stdout'),
    // Internal: bench/heap.ts runs itself as each tool's worker.
    worker: optional(flag.choice('internal: run one tool on --snapshot', 'imdiag', TOOLS), 'internal: run one tool on --snapshot and print its ToolRun'),
    snapshot: flag.text("internal: the worker's snapshot", undefined),
    ids: flag.text('internal: object ids memlab reports retained sizes for', undefined),
  },
);

function writeHeldSnapshot(path: string, heapMB: number): WrittenHeap {
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
    console.log(JSON.stringify({ what: objects.toLocaleString('en-US') + ' BenchReceipt in a Map of arrays', heapUsedBytes, writeMs: Number(process.hrtime.bigint() - started) / 1e6 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 })) as WrittenHeap;
}

function measureIn(tool: Tool, path: string, ids: number[] = []): ToolRun {
  try {
    // DevTools' code and memlab hold the graph in the JS heap and need room; imdiag runs as users run it, with Node's defaults.
    const flags = tool === 'imdiag' ? [] : ['--max-old-space-size=16384'];
    const out = execFileSync(
      process.execPath,
      [...flags, fileURLToPath(import.meta.url), '--worker', tool, '--snapshot', path, ...(ids.length > 0 ? ['--ids', ids.join(',')] : [])],
      {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as ToolRun;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    // Node ends an uncaught error's stderr with its version line: the error's own line is the reason.
    const errorLine = stderr.split('\n').find((line) => /^\w*Error\b|^FATAL/.test(line.trim()));
    const reason = /heap out of memory|Allocation failed/.test(stderr)
      ? 'out of memory'
      : (errorLine?.trim() ?? (error as Error).message.split('\n')[0] ?? 'failed');
    return { tool, ms: NaN, peakRssBytes: NaN, error: reason };
  }
}

interface Case extends WrittenHeap {
  name: string;
  snapshotBytes: number;
  loadAverage: number[];
  runs: ToolRun[];
}

async function runCases(dir: string): Promise<Case[]> {
  const tools: Tool[] = values.tools;
  const makers: Array<[string, (path: string) => WrittenHeap | Promise<WrittenHeap>]> = [
    ...values['heap-mb'].filter((mb) => mb > 0).map((mb): [string, (path: string) => WrittenHeap] => [`held-${mb}mb`, (path) => writeHeldSnapshot(path, mb)]),
    ...(values['babel-mb'] > 0 ? [[`babel-${values['babel-mb']}mb`, (path: string) => writeBabelHeap(path, values['babel-mb'])] as const] : []),
    ...(values['spider-posts'] > 0 ? [['spider', (path: string) => writeSpiderHeap(path, values['spider-posts'])] as const] : []),
  ] as Array<[string, (path: string) => WrittenHeap | Promise<WrittenHeap>]>;
  const cases: Case[] = [];
  for (const [name, make] of makers) {
    const path = join(dir, `${name}.heapsnapshot`);
    const written = await make(path);
    const snapshotBytes = statSync(path).size;
    const loadAverage = loadavg();
    const runs: ToolRun[] = [];
    for (const tool of tools) {
      const ids = Object.keys(runs.find((run) => run.tool === 'imdiag')?.objects ?? {}).map(Number);
      runs.push(measureIn(tool, path, ids));
    }
    cases.push({ name, ...written, snapshotBytes, loadAverage, runs });
    if (!values.keep) rmSync(path);
  }
  return cases;
}

if (values.worker) {
  const path = values.snapshot!;
  const ids = (values.ids ?? '').split(',').filter(Boolean).map(Number);
  const run = values.worker === 'imdiag' ? await imdiagWorker(path) : values.worker === 'devtools' ? await devtoolsWorker(path) : await memlabWorker(path, ids);
  process.stdout.write(`\n${JSON.stringify(run)}\n`);
} else {
  const dir = mkdtempSync(join(values.dir, 'imdiag-bench-heap-'));
  let cases: Case[];
  try {
    cases = await runCases(dir);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const environment = collectEnvironment();
  if (values.json) process.stdout.write(`${JSON.stringify({ environment, runsEach: 1, cases }, null, 2)}\n`);
  else {
    const lines = [
      `bench:heap · Node ${process.version}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.totalMemoryMB} MB RAM · one run each, each tool in a fresh process, one after another`,
    ];
    for (const c of cases) {
      lines.push(
        '',
        `${c.name}: ${c.what}, heap ${Number.isNaN(c.heapUsedBytes) ? 'n/a' : bytes(c.heapUsedBytes)} → snapshot ${bytes(c.snapshotBytes)}, written in ${(c.writeMs / 1000).toFixed(1)} s; load average ${c.loadAverage.map((x) => x.toFixed(1)).join(' ')}`,
        ...agreementLines(c.runs, c.snapshotBytes),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
