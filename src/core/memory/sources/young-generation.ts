import { execFile } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import type { TargetFacts } from './types.js';

const MB = 1024 * 1024;
/** The cap the probe runs under: any known cap does, the young generation does not depend on it. */
const PROBE_CAP_MB = 1024;
const PROBE_TIMEOUT_MS = 5_000;
/** The flags that size the young generation (V8's semi-spaces); the probe runs with the target's. */
const YOUNG_FLAG = /^--(?:max|min)[-_]semi[-_]space[-_]size(?:=|$)/;

export interface YoungGenerationInputs {
  pid: number;
  execPath: string;
  /** The target's execArgv, then NODE_OPTIONS split: its young-generation flags are kept. */
  args: readonly string[];
  heapSizeLimit: number;
  capMB: number | null;
}

/**
 * The target's young generation at its largest, from the target itself: V8's heap_size_limit is
 * the old-generation cap plus the young generation (https://github.com/v8/v8/blob/main/src/heap/heap.cc,
 * Heap::MaxReserved), so with a --max-old-space-size the difference is it. Without one, the
 * target's own Node binary (the same file, on this machine, with the target's semi-space flags)
 * is run once under a known cap and asked its heap_size_limit — Node sizes the young generation
 * from the machine and those flags, not from the cap. Null when neither can be done (a target on
 * another machine, a binary that does not answer within 5 s).
 */
export async function youngGeneration(inputs: YoungGenerationInputs): Promise<TargetFacts['youngGeneration']> {
  if (inputs.capMB !== null) {
    const bytes = inputs.heapSizeLimit - inputs.capMB * MB;
    return bytes > 0 ? { bytes, from: 'heap_size_limit less --max-old-space-size' } : null;
  }
  const local = await readlink(`/proc/${inputs.pid}/exe`).catch(() => null);
  if (local !== inputs.execPath) return null;
  const limit = await probe(inputs.execPath, youngFlags(inputs.args));
  const bytes = limit === null ? 0 : limit - PROBE_CAP_MB * MB;
  return bytes > 0 && bytes < PROBE_CAP_MB * MB ? { bytes, from: "the target's Node binary under a known cap" } : null;
}

/** `--max-semi-space-size=16` or `--max-semi-space-size 16`, as given. */
export function youngFlags(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (!YOUNG_FLAG.test(args[i]!)) continue;
    kept.push(args[i]!);
    if (!args[i]!.includes('=') && args[i + 1] !== undefined) kept.push(args[(i += 1)]!);
  }
  return kept;
}

function probe(execPath: string, flags: string[]): Promise<number | null> {
  const script = "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))";
  return new Promise((resolve) => {
    execFile(
      execPath,
      [...flags, `--max-old-space-size=${PROBE_CAP_MB}`, '-e', script],
      { env: { PATH: process.env.PATH ?? '' }, timeout: PROBE_TIMEOUT_MS, maxBuffer: 4096 },
      (error, stdout) => {
        const value = Number(stdout);
        resolve(error || !Number.isFinite(value) || value <= 0 ? null : value);
      },
    );
  });
}
