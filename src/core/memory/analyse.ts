import { fitTrend, type TrendPoint } from './trend.js';
import { heapLimit, memoryLimit } from './limits.js';
import type { FittedOn, MemoryAnalysis, MemoryLimit, SeriesName, SeriesTrend, WatchSample } from '../../results/watch.js';
import type { TargetFacts } from './sources/types.js';

const MB = 1024 * 1024;

export interface LimitOptions {
  heapLimitBytes: number | null;
  memoryLimitBytes: number | null;
}

/**
 * The simulator's trend fit (src/core/memory/trend.ts) on each series a source could read: heap used —
 * on the readings after forced collections when --force-gc-every ran them, else on the troughs
 * after the target's own major collections, else on every reading with its floor — external
 * memory, and RSS. The verdict is the worst series; the time to out-of-memory is the soonest a
 * growing series reaches the limit it runs into.
 */
export function analyseMemory(samples: readonly WatchSample[], facts: TargetFacts, limits: LimitOptions, died = false): MemoryAnalysis {
  const heapCap = heapLimit(facts, limits.heapLimitBytes);
  const memoryCap = memoryLimit(facts, limits.memoryLimitBytes);
  const series: SeriesTrend[] = [];
  const heap = samples.filter((sample) => sample.heapUsed !== null);
  if (heap.length > 0) {
    const forced = heap.some((sample) => sample.afterForcedGc);
    const marks = (sample: WatchSample) => (forced ? sample.afterForcedGc : sample.afterMajorGc === true);
    // The cap is on the old generation; fitted there, young-generation garbage and growth stay out of the slope.
    const oldGeneration = heap.every((sample) => typeof sample.oldGenerationUsed === 'number');
    const value = (sample: WatchSample) => (oldGeneration ? sample.oldGenerationUsed! : sample.heapUsed!);
    const trend = fitTrend(heap.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: value(sample), afterFullGc: marks(sample) })));
    const fittedOn: FittedOn = trend.metric === 'liveHeap' ? (forced ? 'after-forced-gc' : 'after-major-gc') : 'all-samples';
    series.push(seriesTrend('heap', oldGeneration ? 'old-generation' : 'heap-used', fittedOn, trend, heapCap, null));
  }
  const external = samples.filter((sample) => sample.external !== null);
  const rss = samples.filter((sample) => sample.rss !== null);
  const lastRss = rss.at(-1)?.rss ?? null;
  if (external.length > 0) {
    series.push(seriesTrend('external', 'external', 'all-samples', fitTrend(points(external, (sample) => sample.external!)), memoryCap, lastRss));
  }
  if (rss.length > 0) series.push(seriesTrend('rss', 'rss', 'all-samples', fitTrend(points(rss, (sample) => sample.rss!)), memoryCap, null));
  // The fit's sentences speak of "heap"; for the other series the floor is theirs.
  for (const item of series) if (item.series !== 'heap') item.trend = { ...item.trend, reason: item.trend.reason.replace('heap floor', 'floor') };
  return { series, ...worst(series, died) };
}

function points(samples: readonly WatchSample[], value: (sample: WatchSample) => number): TrendPoint[] {
  return samples.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: value(sample), afterFullGc: false }));
}

/**
 * `addsTo`: external memory grows the RSS, so its line is projected from the current RSS to the
 * memory limit (external alone would never "reach" the machine's memory).
 */
function seriesTrend(
  name: SeriesName,
  measure: SeriesTrend['measure'],
  fittedOn: FittedOn,
  trend: SeriesTrend['trend'],
  limit: MemoryLimit | null,
  addsTo: number | null,
): SeriesTrend {
  const fittedEnd = (trend.interceptMB + (trend.slopeMBPerSec * trend.toMs) / 1000) * MB;
  const currentBytes = addsTo ?? fittedEnd;
  const growing = trend.verdict === 'growing' && trend.slopeMBPerSec > 0;
  const secondsToLimit = growing && limit ? Math.max(0, (limit.bytes - currentBytes) / (trend.slopeMBPerSec * MB)) : null;
  return { series: name, measure, fittedOn, trend, limit, currentBytes, secondsToLimit };
}

const RANK = { growing: 2, inconclusive: 1, bounded: 0 } as const;

function worst(series: readonly SeriesTrend[], died: boolean): Omit<MemoryAnalysis, 'series'> {
  const growing = series.filter((item) => item.trend.verdict === 'growing');
  const soonest = [...growing].sort((a, b) => (a.secondsToLimit ?? Infinity) - (b.secondsToLimit ?? Infinity))[0];
  const ranked = soonest ?? [...series].sort((a, b) => RANK[b.trend.verdict] - RANK[a.trend.verdict])[0];
  return {
    verdict: died ? 'died' : (ranked?.trend.verdict ?? 'inconclusive'),
    worstSeries: ranked?.series ?? null,
    secondsToLimit: soonest?.secondsToLimit ?? null,
  };
}
