import { resolve } from 'node:path';
import { captureSnapshot, type CaptureFrom } from '../../core/heapsnapshot/capture.js';
import type { TargetFacts } from '../../core/memory/sources/index.js';
import type { WatchCapture, WatchSample } from '../../results/watch.js';

export interface CaptureAt {
  /** 0.8 for --capture-at 80%. */
  atShare: number;
  from: CaptureFrom;
  /** Absolute path (must not exist); null: a new name in the current directory once the pid is known. */
  file: string | null;
}

/**
 * The heap's share of its limit in one reading: the old generation against its cap (what
 * --max-old-space-size limits, without the young generation's sawtooth) when the source reads
 * both, else the whole heap in use against V8's heap_size_limit. Null when the limit is unknown.
 */
export function heapShare(sample: WatchSample, facts: TargetFacts): { share: number; usedBytes: number; limitBytes: number } | null {
  const limit = sample.heapLimit ?? facts.heapSizeLimit;
  if (limit === null || limit <= 0) return null;
  const young = facts.youngGeneration?.bytes ?? null;
  if (sample.oldGenerationUsed != null && young !== null && limit > young) {
    return { share: sample.oldGenerationUsed / (limit - young), usedBytes: sample.oldGenerationUsed, limitBytes: limit - young };
  }
  if (sample.heapUsed === null) return null;
  return { share: sample.heapUsed / limit, usedBytes: sample.heapUsed, limitBytes: limit };
}

/**
 * One snapshot when the share is crossed, so the evidence exists before the OOM that would
 * destroy it: the fit check first (src/core/heapsnapshot/capture.ts: twice the heap free in memory
 * and on disk); a refusal or a failed capture is the outcome, and the watch goes on.
 */
export async function captureNow(
  capture: CaptureAt,
  crossed: { atMs: number; share: number; usedBytes: number; limitBytes: number },
  pid: number | null,
  signal: AbortSignal,
): Promise<WatchCapture> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const file = capture.file ?? resolve(`imdiag-watch-${pid ?? 'target'}-${stamp}.heapsnapshot`);
  const at = { atShare: capture.atShare, atMs: crossed.atMs, share: crossed.share, heapUsedBytes: crossed.usedBytes, limitBytes: crossed.limitBytes };
  try {
    const run = await captureSnapshot({ from: capture.from, out: file, force: false }, { signal });
    return { status: 'taken', ...at, file, bytes: run.bytesWritten, pauseMs: run.durationMs };
  } catch (error) {
    if (signal.aborted) return { status: 'failed', ...at, reason: 'stopped during the snapshot' };
    return { status: 'failed', ...at, reason: error instanceof Error ? error.message : String(error) };
  }
}
