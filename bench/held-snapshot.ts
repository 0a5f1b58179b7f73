import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../src/lib/errors.js';
import { ensureWritableDirectory } from '../src/lib/fs-checks.js';
import type { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { flag, type ValueFlag } from './args.js';

/**
 * The snapshots bench:heap and bench:heap-summary measure: a fresh `node --max-old-space-size=8192`
 * holds a given number of MB and writes its snapshot with v8.writeHeapSnapshot; then each tool
 * reads the file once in a fresh process of its own (runWorker), which reports its own figures.
 */

/** The writer's heap limit: --heap-mb stays well below it. */
const WRITER_OLD_SPACE_MB = 8192;

/** --heap-mb and --dir, as both snapshot benchmarks take them. */
export function heldSnapshotFlags(fallbackMb: number[]): { 'heap-mb': ValueFlag<number[]>; dir: ValueFlag<string> } {
  return {
    'heap-mb': flag.integers(`MB of heap the snapshot's process holds, one snapshot each (its limit: ${WRITER_OLD_SPACE_MB} MB)`, fallbackMb, 1, 6144),
    dir: {
      ...flag.text('where the snapshots are written (a fresh folder in it, removed at the end unless --keep)', tmpdir()),
      value: '<dir>',
      parse: (name, raw) => {
        const dir = raw ?? tmpdir();
        ensureWritableDirectory(name, dir);
        return dir;
      },
    },
  };
}

/** A worker's --snapshot: an existing file. */
export function snapshotFileFlag(): ValueFlag<string> {
  return {
    help: 'the .heapsnapshot file to read (required)',
    value: '<file>',
    parse: (name, raw) => {
      if (raw === undefined || raw.trim() === '') throw new UsageError(`${name} is required: the .heapsnapshot file to read`);
      if (!existsSync(raw) || !statSync(raw).isFile()) throw new UsageError(`${name} ${raw}: no such file`);
      return raw;
    },
  };
}

export interface HeldSnapshot {
  heapMB: number;
  heapUsedBytes: number;
  objects: number;
  writeMs: number;
  snapshotBytes: number;
}

/**
 * `fill` is the script that builds the held data: it runs with `limit` (bytes) in scope, allocates
 * until process.memoryUsage().heapUsed reaches it, and leaves `held` (kept reachable from
 * globalThis) and `objects` (how many it made) defined.
 */
function writeHeldSnapshot(path: string, heapMB: number, fill: string): Omit<HeldSnapshot, 'heapMB' | 'snapshotBytes'> {
  const script = `
    const limit = ${heapMB} * 1024 * 1024;
    ${fill}
    globalThis.held = held;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    require('node:v8').writeHeapSnapshot(${JSON.stringify(path)});
    console.log(JSON.stringify({ heapUsedBytes, objects, writeMs: Number(process.hrtime.bigint() - started) / 1e6 }));`;
  const out = execFileSync(process.execPath, [`--max-old-space-size=${WRITER_OLD_SPACE_MB}`, '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Omit<HeldSnapshot, 'heapMB' | 'snapshotBytes'>;
}

/** One snapshot per size in a fresh folder under `dir`: `measure` reads it, then it is removed unless `keep`. */
export function eachHeldSnapshot<T>(
  options: { heapMb: number[]; dir: string; keep: boolean; fill: string },
  measure: (path: string, held: HeldSnapshot) => T,
): Array<HeldSnapshot & T> {
  const dir = mkdtempSync(join(options.dir, 'imdiag-bench-heap-'));
  const cases: Array<HeldSnapshot & T> = [];
  try {
    for (const heapMB of options.heapMb) {
      const path = join(dir, `held-${heapMB}mb.heapsnapshot`);
      const held = { heapMB, ...writeHeldSnapshot(path, heapMB, options.fill), snapshotBytes: statSync(path).size };
      cases.push({ ...held, ...measure(path, held) });
      if (!options.keep) rmSync(path);
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
  return cases;
}

/**
 * Runs a worker script in a fresh node with `nodeFlags`; the last line it prints is the JSON it
 * reports. A worker that fails (an error, out of memory, a signal) throws one line: why, and the
 * last line it wrote to stderr.
 */
export function runWorker<T>(script: URL, args: string[], nodeFlags: string[] = []): T {
  try {
    const out = execFileSync(process.execPath, [...nodeFlags, fileURLToPath(script), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as T;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const last = stderr.split('\n').pop();
    throw new Error(`${(error as Error).message.split('\n')[0]}${last ? ` — ${last}` : ''}`, { cause: error });
  }
}

/** The first line both benchmarks print: the machine, and that every figure is one run in a fresh process. */
export function machineLine(bench: string, environment: ReturnType<typeof collectEnvironment>, each: string): string {
  return `${bench} · Node ${process.version}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.totalMemoryMB} MB RAM · one run each, ${each} in a fresh process`;
}

/** The line above each case's figures. */
export function heldLine(held: HeldSnapshot): string {
  return `heap ${bytes(held.heapUsedBytes)} (${held.objects.toLocaleString('en-US')} BenchReceipt) → snapshot ${bytes(held.snapshotBytes)}, written in ${(held.writeMs / 1000).toFixed(1)} s`;
}
