import type { LatencySummary, LoopRun, LoopSummary } from '../../results/measure.js';

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** The middle value, or the mean of the two middle ones (0 for no values). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summariseLatency(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    minMs: round(sorted[0] ?? Number.NaN),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    samplesMs: samplesMs.map(round),
  };
}

/** The timed runs' event-loop figures: medians (the split of the median run), every run kept. Null without runs. */
export function summariseLoop(runs: readonly LoopRun[]): LoopSummary | null {
  if (runs.length === 0) return null;
  const middle = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };
  const byBlock = [...runs].sort((a, b) => a.blockedMs - b.blockedMs);
  const medianRun = byBlock[Math.floor((byBlock.length - 1) / 2)]!;
  return {
    blockedMs: medianRun.blockedMs,
    resolutionMs: medianRun.resolutionMs,
    cpuMs: middle(runs.map((run) => run.cpuMs)),
    elu: middle(runs.map((run) => run.elu)),
    gcMs: middle(runs.map((run) => run.gcMs)),
    split: medianRun.split,
    runs: [...runs],
  };
}
