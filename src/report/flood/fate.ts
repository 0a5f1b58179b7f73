import type { StrategyRun, TrendFit } from '../../results/flood.js';
import { count, decimal, duration } from '../../lib/format.js';

/** "growing 1.9 MB/s, heap limit (4,144 MB) in ~36 min" — the one-line fate of a run. */
export function runFate(run: StrategyRun): string {
  const trend = run.trend;
  if (run.outcome === 'error') return `could not run: ${run.error ?? 'unknown error'}`;
  if (run.verdict === 'died') return `server died after ${duration(run.durationMs / 1000)} (heap ${decimal(run.heap.lastMB, 0)} MB at the last sample)`;
  if (run.verdict === 'bounded') {
    const level = heldLevel(trend);
    return `bounded: ${level.what} near ${decimal(level.mb, 1)} MB (within ±${decimal(level.deviationPct, 0)} %), slope ${decimal(trend.slopeMBPerSec, 2)} MB/s`;
  }
  if (run.verdict === 'inconclusive') return `inconclusive: ${trend.reason}`;
  const toLimit = run.projection?.secondsToLimit;
  const limit = run.projection ? `the ${count(run.projection.heapLimitMB)} MB heap limit` : 'the heap limit';
  return `growing ${decimal(trend.slopeMBPerSec, 2)} MB/s (r² ${decimal(trend.rSquared, 2)})${toLimit === null || toLimit === undefined ? '' : `, reaches ${limit} in ~${duration(toLimit)}`}`;
}

/** What the trend was fitted on: the live heap (samples right after a forced full GC) or all samples. */
export function fittedOn(trend: TrendFit): string {
  return trend.metric === 'liveHeap' ? 'live heap' : 'all samples';
}

/**
 * What stays live, which is what "bounded" is about: the samples taken right after a full GC when
 * the fit used them (metric liveHeap), else the heap floor (lowest sample of each second), else
 * the median of all samples. Raw samples swing with the GC sawtooth.
 */
export function heldLevel(trend: TrendFit): { what: string; mb: number; deviationPct: number } {
  if (trend.metric === 'liveHeap') return { what: 'live heap', mb: trend.steadyLevelMB, deviationPct: trend.maxDeviationPct };
  if (trend.floorLevelMB > 0) return { what: 'heap floor', mb: trend.floorLevelMB, deviationPct: trend.floorMaxDeviationPct };
  return { what: 'heap', mb: trend.steadyLevelMB, deviationPct: trend.maxDeviationPct };
}
