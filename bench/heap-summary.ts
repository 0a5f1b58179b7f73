/**
 * `npm run bench:heap-summary`: what summarising a large heap snapshot costs, streamed (what
 * compare-unread --heapdump does) against JSON.parse of the whole file (what it did before,
 * refusing files over 512 MB; V8 cannot hold a longer string anyway, so past that it fails).
 *
 * For each --heap-mb: a fresh `node --max-old-space-size=8192` holds that many MB of small
 * objects (class BenchReceipt, two fields) and writes a snapshot with v8.writeHeapSnapshot; then
 * each summariser runs once in its own fresh process, which reports its wall time (hrtime) and
 * peak RSS (getrusage maxrss, whole process).
 *
 *   npm run bench:heap-summary -- [--heap-mb 150,600] [--dir /tmp] [--keep] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';

type Mode = 'stream' | 'json-parse';
interface Measured {
  mode: Mode;
  ok: boolean;
  error?: string;
  ms: number;
  peakRssBytes: number;
  top?: { constructor: string; count: number; selfSizeBytes: number };
}

const { values } = parseArgs({
  options: {
    'heap-mb': { type: 'string', default: '150,600' },
    dir: { type: 'string', default: tmpdir() },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    worker: { type: 'string' },
    snapshot: { type: 'string' },
  },
});

/** The summariser before streaming (src/engines/compare-unread/heap-summary.ts at 4fa0342), without its size cap. */
function parseWhole(path: string): Map<string, { count: number; selfSizeBytes: number }> {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const rows = new Map<string, { count: number; selfSizeBytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? 'unknown';
    const key =
      type === 'native'
        ? '(native)'
        : type === 'object'
          ? (snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '(unknown)')
          : /string/.test(type)
            ? '(string)'
            : `(${type})`;
    const row = rows.get(key) ?? { count: 0, selfSizeBytes: 0 };
    row.count++;
    row.selfSizeBytes += snapshot.nodes[i + sizeAt]!;
    rows.set(key, row);
  }
  return rows;
}

async function worker(mode: Mode, path: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  let rows: Map<string, { count: number; selfSizeBytes: number }> | undefined;
  let error: string | undefined;
  try {
    rows = mode === 'stream' ? (await (await import('../src/core/heapsnapshot/self-sizes.js')).groupSnapshotFile(path)).rows : parseWhole(path);
  } catch (caught) {
    error = (caught as Error).message;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rows?.delete('(native)');
  const top = rows && [...rows].map(([constructor, row]) => ({ constructor, ...row })).sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)[0];
  return { mode, ok: !error, ...(error && { error }), ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, ...(top && { top }) };
}

function writeHeldSnapshot(path: string, heapMB: number): { heapUsedBytes: number; objects: number; writeMs: number } {
  const script = `
    class BenchReceipt { constructor(i) { this.msgId = i; this.userId = 'user-001'; } }
    const held = [];
    while (process.memoryUsage().heapUsed < ${heapMB} * 1024 * 1024) for (let k = 0; k < 100000; k++) held.push(new BenchReceipt(held.length));
    globalThis.held = held;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    require('node:v8').writeHeapSnapshot(${JSON.stringify(path)});
    console.log(JSON.stringify({ heapUsedBytes, objects: held.length, writeMs: Number(process.hrtime.bigint() - started) / 1e6 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 })) as ReturnType<
    typeof writeHeldSnapshot
  >;
}

function measureIn(mode: Mode, path: string): Measured {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--worker', mode, '--snapshot', path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as Measured;
}

if (values.worker) {
  process.stdout.write(`${JSON.stringify(await worker(values.worker as Mode, values.snapshot!))}\n`);
} else {
  const dir = mkdtempSync(join(values.dir, 'imdiag-bench-heap-'));
  const cases = [];
  try {
    for (const heapMB of values['heap-mb'].split(',').map(Number)) {
      const path = join(dir, `held-${heapMB}mb.heapsnapshot`);
      const held = writeHeldSnapshot(path, heapMB);
      const snapshotBytes = statSync(path).size;
      cases.push({ heapMB, ...held, snapshotBytes, results: [measureIn('stream', path), measureIn('json-parse', path)] });
      if (!values.keep) rmSync(path);
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const environment = collectEnvironment();
  if (values.json) process.stdout.write(`${JSON.stringify({ environment, runsEach: 1, cases }, null, 2)}\n`);
  else {
    const lines = [
      `bench:heap-summary · Node ${process.version}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.totalMemoryMB} MB RAM · one run each, each summariser in a fresh process`,
    ];
    for (const c of cases) {
      lines.push(
        `heap ${bytes(c.heapUsedBytes)} (${c.objects.toLocaleString('en-US')} BenchReceipt) → snapshot ${bytes(c.snapshotBytes)}, written in ${(c.writeMs / 1000).toFixed(1)} s`,
      );
      for (const r of c.results) {
        const what = r.ok ? `top ${r.top?.constructor} ×${r.top?.count.toLocaleString('en-US')}` : `failed: ${r.error}`;
        lines.push(`  ${r.mode.padEnd(10)} ${(r.ms / 1000).toFixed(1).padStart(6)} s  peak RSS ${bytes(r.peakRssBytes).padStart(9)}  ${what}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
