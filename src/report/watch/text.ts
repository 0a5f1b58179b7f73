import { bytesHuman, decimal, duration, megabytes, NO_VALUE } from '../../lib/format.js';
import type { FittedOn, MemoryAnalysis, SeriesTrend, WatchResult, WatchSample } from '../../results/watch.js';

/** Sentences shared by the terminal renderer, the live line and the report document. */

export const FITTED_ON: Record<FittedOn, string> = {
  'after-forced-gc': 'readings after forced full collections (the live heap)',
  'after-major-gc': "troughs after the target's own major collections",
  'after-scavenge': "readings right after the target's scavenges (the young generation's survivors counted, its garbage not)",
  'all-samples': 'every reading, its floor the lowest of each second',
};

export const FITTED_ON_SHORT: Record<FittedOn, string> = {
  'after-forced-gc': 'after forced GC',
  'after-major-gc': 'after major GC',
  'after-scavenge': 'after scavenges',
  'all-samples': 'all readings',
};

const MEASURE: Partial<Record<NonNullable<SeriesTrend['measure']>, string>> = {
  'old-generation': 'heap (old generation)',
  'old-generation-and-survivors': 'heap (old gen + survivors)',
  'old-and-young-generation': 'heap (old + young gen)',
  'heap-used': 'heap used',
};

/** `heap (old generation)`, `heap used`, `rss`: the series named as what its line measures. */
export function seriesLabel(item: SeriesTrend): string {
  return (item.series === 'heap' && item.measure && MEASURE[item.measure]) || (item.series === 'heap' ? 'heap used' : item.series);
}

/** The series' own figure at a reading, named: `52.1 MB old gen`, `61.0 MB heap used`, `120 MB rss`. */
/** The last reading of the series the trend was fitted on (the table's row already names the series). */
export function lastBytes(item: SeriesTrend, sample: WatchSample | null): number | null {
  if (!sample) return null;
  if (item.series === 'external') return sample.external;
  if (item.series === 'rss') return sample.rss;
  const old = sample.oldGenerationUsed;
  return item.measure !== 'heap-used' && typeof old === 'number' ? old : sample.heapUsed;
}

/** When out of memory: `~3.2 min` and its range, or the range alone with "watch longer" when it is wide. */
export function timeToLimit(analysis: Pick<MemoryAnalysis, 'secondsToLimit' | 'secondsToLimitRange' | 'watchLonger'>): string {
  const range = analysis.secondsToLimitRange;
  if (analysis.secondsToLimit === null) return NO_VALUE;
  if (!range) return `~${duration(analysis.secondsToLimit)}`;
  const span = `${duration(range[0])}–${range[1] === null ? 'no end' : duration(range[1])}`;
  return analysis.watchLonger ? `${span} (too wide for one figure: watch longer)` : `~${duration(analysis.secondsToLimit)} (${span})`;
}

export function slope(item: SeriesTrend): string {
  const perSec = item.trend.slopeMBPerSec;
  const sign = perSec > 0 ? '+' : '';
  // One unit everywhere (the table's column, the verdict, flood --target): MB per minute.
  return `${sign}${decimal(perSec * 60, 2)} MB/min`;
}

export function limitText(item: SeriesTrend): string {
  return item.limit ? `${bytesHuman(item.limit.bytes)} from ${item.limit.source}` : 'unknown: give --heap-limit';
}

/** One sentence: the verdict and, when growing, when it runs out. */
export function verdictSentence(result: Pick<WatchResult, 'analysis' | 'died' | 'target' | 'last' | 'projectedDeathAt' | 'watchedMs'>): string {
  const { analysis } = result;
  if (analysis.verdict === 'died') {
    return `DIED — ${result.target.label} went away after ${duration((result.died?.afterMs ?? result.watchedMs) / 1000)} (${result.died?.reason ?? 'gone'}); last reading: ${lastReading(result.last)}`;
  }
  const worst = analysis.series.find((item) => item.series === analysis.worstSeries);
  if (!worst) return 'INCONCLUSIVE — no readings';
  if (analysis.verdict === 'growing') {
    const when =
      analysis.secondsToLimit === null
        ? 'no limit known to project to (give --heap-limit)'
        : `out of memory in ${timeToLimit(analysis)} at ${limitText(worst)}${result.projectedDeathAt && !analysis.watchLonger ? `, around ${result.projectedDeathAt.slice(11, 19)} UTC` : ''}`;
    return `GROWING — ${seriesLabel(worst)} ${slope(worst)} (fitted on ${FITTED_ON[worst.fittedOn]}); ${when}`;
  }
  if (analysis.verdict === 'bounded') return `BOUNDED — every series stays within its band (${fittedOnText(analysis)})`;
  return `INCONCLUSIVE — ${seriesLabel(worst)}: ${worst.trend.reason}`;
}

/** What the band was judged on: the heap's line when there is one, else each series on every reading. */
function fittedOnText(analysis: MemoryAnalysis): string {
  const heap = analysis.series.find((item) => item.series === 'heap');
  if (heap) return `${seriesLabel(heap)} fitted on ${FITTED_ON[heap.fittedOn]}`;
  return `${analysis.series.map((item) => seriesLabel(item)).join(', ')} fitted on every reading`;
}

export function lastReading(sample: WatchSample | null): string {
  if (!sample) return 'none';
  const parts = [`heap ${megabytes(sample.heapUsed)}`, `external ${megabytes(sample.external)}`, `rss ${megabytes(sample.rss)}`];
  return parts.filter((part) => !part.endsWith(NO_VALUE)).join(', ') || 'none';
}
