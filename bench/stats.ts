import { percentile } from '../src/core/measure/stats.js';

/** The median of a benchmark's rounds: the nearest-rank 50th percentile (the lower middle of an even count), as imdiag's own p50. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
