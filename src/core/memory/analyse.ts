import { fitTrend, type TrendPoint } from './trend.js';
import { fitHeap } from './heap-series.js';
import { heapLimit, memoryLimit } from './limits.js';
import type { FittedOn, MemoryAnalysis, MemoryLimit, SeriesName, SeriesTrend, WatchSample } from '../../results/watch.js';
import type { TargetFacts } from './sources/types.js';

const MB = 1024 * 1024;
/**
 * A projection is one number only when its range spans at most this share of it (about ±25 %,
 * what `npm run bench:watch` holds it to); a wider one is given as the range, with "watch longer".
 */
export const NARROW_RANGE_SHARE = 0.5;

export interface LimitOptions {
  heapLimitBytes: number | null;
  memoryLimitBytes: number | null;
}

/**
 * The simulator's trend fit (src/core/memory/trend.ts) on each series a source could read: the
 * heap as src/core/memory/heap-series.ts chooses its line (what the process retains), external
 * memory, and RSS. The verdict is the worst series; the time to out-of-memory is the soonest a
 * growing series reaches the limit it runs into, with its range from the slope's 95 % interval.
 */
export function analyseMemory(samples: readonly WatchSample[], facts: TargetFacts, limits: LimitOptions, died = false): MemoryAnalysis {
  const heapCap = heapLimit(facts, limits.heapLimitBytes);
  const memoryCap = memoryLimit(facts, limits.memoryLimitBytes);
  const series: SeriesTrend[] = [];
  const heap = samples.filter((sample) => sample.heapUsed !== null);
  if (heap.length > 0) {
    const fit = fitHeap(heap);
    series.push({ ...seriesTrend('heap', fit.measure, fit.fittedOn, fit.trend, heapCap, null, fit.maybeGarbageBytes), basis: fit.basis });
  }
  const external = samples.filter((sample) => sample.external !== null);
  const rss = samples.filter((sample) => sample.rss !== null);
  const lastRss = rss.at(-1)?.rss ?? null;
  if (external.length > 0) {
    const trend = fitTrend(
      points(external, (sample) => sample.external!),
      'external',
    );
    series.push({
      ...seriesTrend('external', 'external', 'all-samples', trend, memoryCap, lastRss, 0),
      basis: 'external memory on every reading, projected from the RSS it adds to',
    });
  }
  if (rss.length > 0) {
    const trend = fitTrend(
      points(rss, (sample) => sample.rss!),
      'rss',
    );
    series.push({ ...seriesTrend('rss', 'rss', 'all-samples', trend, memoryCap, null, 0), basis: 'resident memory on every reading' });
  }
  return { series, ...worst(series, died) };
}

function points(samples: readonly WatchSample[], value: (sample: WatchSample) => number): TrendPoint[] {
  return samples.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: value(sample), afterFullGc: false }));
}

/**
 * `addsTo`: external memory grows the RSS, so its line is projected from the current RSS to the
 * memory limit (external alone would never "reach" the machine's memory). `maybeGarbageBytes`:
 * memory the line counted that may be garbage (the young generation's, when no survivors were read).
 */
function seriesTrend(
  name: SeriesName,
  measure: SeriesTrend['measure'],
  fittedOn: FittedOn,
  trend: SeriesTrend['trend'],
  limit: MemoryLimit | null,
  addsTo: number | null,
  maybeGarbageBytes: number,
): SeriesTrend {
  const fittedEnd = (trend.interceptMB + (trend.slopeMBPerSec * trend.toMs) / 1000) * MB;
  const currentBytes = addsTo ?? fittedEnd;
  const growing = trend.verdict === 'growing' && trend.slopeMBPerSec > 0;
  if (!growing || !limit) return { series: name, measure, fittedOn, trend, limit, currentBytes, secondsToLimit: null, secondsToLimitRange: null };
  const secondsToLimit = Math.max(0, (limit.bytes - currentBytes) / (trend.slopeMBPerSec * MB));
  return {
    series: name,
    measure,
    fittedOn,
    trend,
    limit,
    currentBytes,
    secondsToLimit,
    secondsToLimitRange: projectionRange(trend, limit.bytes, currentBytes, maybeGarbageBytes),
  };
}

/**
 * [early, late] seconds to the limit from the slope's 95 % interval (the late end also leaving out
 * `maybeGarbageBytes` of the current level); late is null when the interval reaches zero.
 */
export function projectionRange(trend: SeriesTrend['trend'], limitBytes: number, currentBytes: number, maybeGarbageBytes: number): [number, number | null] {
  const [low, high] = trend.slopeCi95MBPerSec.map((perSec) => perSec * MB) as [number, number];
  const fastest = Number.isFinite(high) ? Math.max(high, trend.slopeMBPerSec * MB) : Infinity;
  const early = Math.max(0, (limitBytes - currentBytes) / fastest);
  const late = Number.isFinite(low) && low > 0 ? Math.max(early, (limitBytes - currentBytes + maybeGarbageBytes) / low) : null;
  return [early, late];
}

/** The range is narrow enough for one number: a late end, and a span of at most NARROW_RANGE_SHARE of the projection. */
export function rangeIsNarrow(secondsToLimit: number, range: [number, number | null]): boolean {
  const [early, late] = range;
  return late !== null && late - early <= NARROW_RANGE_SHARE * Math.max(secondsToLimit, 1);
}

const RANK = { growing: 2, inconclusive: 1, bounded: 0 } as const;

function worst(series: readonly SeriesTrend[], died: boolean): Omit<MemoryAnalysis, 'series'> {
  const growing = series.filter((item) => item.trend.verdict === 'growing');
  const soonest = [...growing].sort((a, b) => (a.secondsToLimit ?? Infinity) - (b.secondsToLimit ?? Infinity))[0];
  const ranked = soonest ?? [...series].sort((a, b) => RANK[b.trend.verdict] - RANK[a.trend.verdict])[0];
  const secondsToLimit = soonest?.secondsToLimit ?? null;
  const range = soonest?.secondsToLimitRange ?? null;
  return {
    verdict: died ? 'died' : (ranked?.trend.verdict ?? 'inconclusive'),
    worstSeries: ranked?.series ?? null,
    secondsToLimit,
    secondsToLimitRange: range,
    watchLonger: secondsToLimit !== null && range !== null && !rangeIsNarrow(secondsToLimit, range),
  };
}
