import { median } from '../../core/measure/stats.js';

/**
 * A figure read at two sample sizes (the sample and its first half), taken to the whole result's
 * count: the fit and its guards, shared by the event-loop model (loop-predict.ts).
 */

/** Runs at one size that differ by more than this share of their median leave the marginal to noise. */
export const MAX_FIT_SPREAD = 0.1;

/** (max − min) / median of one size's readings; Infinity with fewer than two (nothing says they agree). */
export function spreadOf(values: readonly number[]): number {
  const m = median(values);
  return values.length < 2 || m <= 0 ? Infinity : (Math.max(...values) - Math.min(...values)) / m;
}

export interface Extrapolated {
  point: number;
  low: number;
  high: number;
}

/**
 * A figure read at two sizes (or one), taken to `count`: fixed + marginal × N when the readings are
 * steady (`spread`, the larger of both sizes', at most MAX_FIT_SPREAD), else the average; the
 * interval spans both (loop-predict.ts widens it by loop-band.ts's SCALE_BAND). A power law through
 * the two points used to bound it: with runs that differ by ±40 % its exponent swung to the 1.5
 * clamp and, over a result 100× the sample, put the upper bound at 10× (article: 179 s of CPU
 * against 24–34 s measured); whole results in the benchmark cost up to 2.2× their prediction (a
 * holding pass over a heap of 1 GiB or more up to 2.6×: loop-band.ts, LARGE_HEAP_HIGH).
 */
export function extrapolate(half: { docs: number; value: number } | null, whole: { docs: number; value: number }, count: number, spread = 0): Extrapolated {
  const average = whole.docs > 0 ? (whole.value / whole.docs) * count : 0;
  if (!half || half.docs <= 0 || whole.docs <= half.docs || half.value <= 0 || whole.value <= 0) return { point: average, low: average, high: average };
  const marginal = (whole.value - half.value) / (whole.docs - half.docs);
  const perDoc = whole.value / whole.docs;
  // Below half or above twice the average, the two readings disagree more than documents differ: noise (as predict.ts's fitCost).
  const steady = spread <= MAX_FIT_SPREAD && marginal >= perDoc * 0.5 && marginal <= perDoc * 2;
  const fit = whole.value + marginal * (count - whole.docs);
  const point = steady ? fit : average;
  return { point, low: Math.max(0, Math.min(fit, average)), high: Math.max(fit, average) };
}
