import { bytesHuman, decimal, duration, megabytes, NO_VALUE } from '../../lib/format.js';
import type { FittedOn, MemoryAnalysis, SeriesTrend, WatchResult, WatchSample } from '../../results/watch.js';

/** Sentences shared by the terminal renderer, the live line and the report document. */

export const FITTED_ON: Record<FittedOn, string> = {
  'after-forced-gc': 'readings after forced full collections (the live heap)',
  'after-major-gc': "troughs after the target's own major collections",
  'all-samples': 'every reading, its floor the lowest of each second',
};

export const FITTED_ON_SHORT: Record<FittedOn, string> = {
  'after-forced-gc': 'after forced GC',
  'after-major-gc': 'after major GC',
  'all-samples': 'all readings',
};

/** `heap (old generation)`: the series and, for the heap, what its line measures. */
export function seriesLabel(item: SeriesTrend): string {
  return item.series === 'heap' && item.measure === 'old-generation' ? 'heap (old generation)' : item.series;
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
        : `out of memory in ~${duration(analysis.secondsToLimit)} at ${limitText(worst)}${result.projectedDeathAt ? `, around ${result.projectedDeathAt.slice(11, 19)} UTC` : ''}`;
    return `GROWING — ${seriesLabel(worst)} ${slope(worst)} (fitted on ${FITTED_ON[worst.fittedOn]}); ${when}`;
  }
  if (analysis.verdict === 'bounded') return `BOUNDED — every series stays within its band (heap fitted on ${FITTED_ON[heapFit(analysis)]})`;
  return `INCONCLUSIVE — ${seriesLabel(worst)}: ${worst.trend.reason}`;
}

function heapFit(analysis: MemoryAnalysis): FittedOn {
  return analysis.series.find((item) => item.series === 'heap')?.fittedOn ?? 'all-samples';
}

export function lastReading(sample: WatchSample | null): string {
  if (!sample) return 'none';
  const parts = [`heap ${megabytes(sample.heapUsed)}`, `external ${megabytes(sample.external)}`, `rss ${megabytes(sample.rss)}`];
  return parts.filter((part) => !part.endsWith(NO_VALUE)).join(', ') || 'none';
}
