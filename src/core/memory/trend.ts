import { decimal, duration, megabytes } from '../../lib/format.js';
import { metricLabel } from '../../results/memory.js';
import { median } from '../measure/stats.js';
import type { FloodSample, Projection, TrendFit } from '../../results/flood.js';

const MB = 1024 * 1024;

/** What the fit reads of a sample; `imdiag watch` fits its own series through the same function. */
export type TrendPoint = Pick<FloodSample, 'tMs' | 'heapUsedBytes' | 'afterFullGc'>;
/** The first part of a run is warm-up (connections, JIT, the window filling): at least this long… */
export const WARMUP_MIN_MS = 2_000;
/** …or this share of the run, whichever is longer. */
export const WARMUP_SHARE = 0.2;
/** "Bounded" means within ±20 % of the steady level (the criterion). */
export const BAND = 0.2;
/** A rise smaller than this is noise whatever the level (young-generation sawtooth). */
export const MIN_RISE_MB = 4;
const MIN_SAMPLES = 8;
/** The heap floor is the lowest sample of each bucket this long. */
export const FLOOR_BUCKET_MS = 1_000;

export interface LineFit {
  slope: number;
  intercept: number;
  rSquared: number;
  /** Standard error of the slope; NaN with fewer than 3 points. */
  slopeStdError: number;
  n: number;
}

/** Ordinary least squares y = intercept + slope·x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return { slope: 0, intercept: ys[0] ?? 0, rSquared: 0, slopeStdError: NaN, n };
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, intercept: meanY, rSquared: 0, slopeStdError: NaN, n };
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const ssRes = Math.max(0, syy - slope * sxy);
  const rSquared = syy === 0 ? 0 : 1 - ssRes / syy;
  const slopeStdError = n > 2 ? Math.sqrt(ssRes / (n - 2) / sxx) : NaN;
  return { slope, intercept, rSquared, slopeStdError, n };
}

/** Two-sided 95 % quantile of Student's t (Cornish-Fisher expansion; exact enough from df 3). */
export function t95(df: number): number {
  if (df <= 1) return 12.706;
  if (df === 2) return 4.303;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** A floor needs a few samples: a bucket with one (the last reading, taken at stop) is no floor. */
const FLOOR_MIN_SAMPLES = 3;

/** The lowest value of each FLOOR_BUCKET_MS bucket of (tMs, value) points. */
export function floorSeries(points: readonly { tMs: number; value: number }[]): number[] {
  const floors = new Map<number, { min: number; n: number }>();
  for (const point of points) {
    const bucket = Math.floor(point.tMs / FLOOR_BUCKET_MS);
    const floor = floors.get(bucket) ?? { min: Infinity, n: 0 };
    floors.set(bucket, { min: Math.min(floor.min, point.value), n: floor.n + 1 });
  }
  return [...floors.values()].filter((floor) => floor.n >= FLOOR_MIN_SAMPLES).map((floor) => floor.min);
}

function maxDeviationPct(values: number[], level: number): number {
  return level > 0 ? Math.max(0, ...values.map((value) => (Math.abs(value - level) / level) * 100)) : 0;
}

/**
 * Fits heap over time after the warm-up — the live heap (samples after a full collection) when
 * there are enough of those, else every sample — and classifies it. Growing: the slope's 95 %
 * interval lies above zero AND the fitted rise over the span leaves the ±20 % band around the
 * steady level (and exceeds MIN_RISE_MB). The interval assumes independent residuals, which GC
 * sawtooth violates, so the rise test, not the interval, carries the decision. `name`: what the
 * series is, in the reason (`rss`: "the 64.6 MB rss level"); by default the heap's metric.
 */
export function fitTrend(samples: readonly TrendPoint[], name?: string): TrendFit {
  const lastMs = samples.at(-1)?.tMs ?? 0;
  const warmupMs = Math.max(WARMUP_MIN_MS, WARMUP_SHARE * lastMs);
  const afterWarmup = samples.filter((sample) => sample.tMs >= warmupMs);
  const live = afterWarmup.filter((sample) => sample.afterFullGc);
  const metric = live.length >= MIN_SAMPLES ? ('liveHeap' as const) : ('heapUsed' as const);
  const used = metric === 'liveHeap' ? live : afterWarmup;
  const xs = used.map((sample) => sample.tMs / 1000);
  const ys = used.map((sample) => sample.heapUsedBytes / MB);
  const fit = fitLine(xs, ys);
  const half = Number.isFinite(fit.slopeStdError) ? t95(fit.n - 2) * fit.slopeStdError : Infinity;
  const steadyLevelMB = ys.length > 0 ? median(ys) : 0;
  // Samples after a full collection are the floor already.
  const floors = metric === 'liveHeap' ? ys : floorSeries(used.map((sample, i) => ({ tMs: sample.tMs, value: ys[i]! })));
  const floorLevelMB = floors.length > 0 ? median(floors) : 0;
  const spanS = xs.length > 1 ? xs.at(-1)! - xs[0]! : 0;
  const riseMB = fit.slope * spanS;
  const base = {
    metric,
    samples: used.length,
    fromMs: used[0]?.tMs ?? 0,
    toMs: used.at(-1)?.tMs ?? 0,
    slopeMBPerSec: fit.slope,
    slopeCi95MBPerSec: [fit.slope - half, fit.slope + half] as [number, number],
    interceptMB: fit.intercept,
    rSquared: fit.rSquared,
    steadyLevelMB,
    maxDeviationPct: maxDeviationPct(ys, steadyLevelMB),
    floorLevelMB,
    floorMaxDeviationPct: maxDeviationPct(floors, floorLevelMB),
    floorMaxDeviationMB: Math.max(0, ...floors.map((floor) => Math.abs(floor - floorLevelMB))),
  };
  if (used.length < MIN_SAMPLES) {
    return { ...base, verdict: 'inconclusive', reason: `only ${used.length} samples after the ${duration(warmupMs / 1000)} warm-up; run longer` };
  }
  const rise = `fitted rise ${megabytes(riseMB * MB)} over ${duration(spanS)}`;
  // The level the verdict weighs is steadyLevelMB, of the metric it was fitted on; tables show that same figure under this name.
  const level = `${megabytes(steadyLevelMB * 2 ** 20)} ${name ?? metricLabel(metric)} level`;
  if (fit.slope - half > 0 && riseMB > BAND * steadyLevelMB && riseMB > MIN_RISE_MB) {
    return { ...base, verdict: 'growing', reason: `${rise}, beyond ±${BAND * 100}% of the ${level}, slope 95% CI above zero` };
  }
  const floor = `${name ?? 'heap'} floor within ±${decimal(base.floorMaxDeviationPct, 0)}% of ${megabytes(floorLevelMB * MB)}`;
  return { ...base, verdict: 'bounded', reason: `${rise}, within ±${BAND * 100}% of the ${level} or below ${MIN_RISE_MB} MB; ${floor}` };
}

/** Time until the fitted line reaches the heap limit; null for memory that is not growing. */
export function projectToLimit(trend: TrendFit, heapLimitBytes: number, source: Projection['limitSource']): Projection {
  const heapLimitMB = heapLimitBytes / MB;
  const currentMB = trend.interceptMB + (trend.slopeMBPerSec * trend.toMs) / 1000;
  const growing = trend.verdict === 'growing' && trend.slopeMBPerSec > 0;
  return {
    heapLimitMB,
    limitSource: source,
    currentMB,
    secondsToLimit: growing ? Math.max(0, (heapLimitMB - currentMB) / trend.slopeMBPerSec) : null,
    spiderMinutes: [10, 30],
  };
}
