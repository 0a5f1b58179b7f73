import { count, megabytes } from '../../lib/format.js';
import { fitTrend, WARMUP_MIN_MS, WARMUP_SHARE } from './trend.js';
import type { FittedOn, SeriesTrend, TrendFit, WatchSample } from '../../results/watch.js';

/** The heap line chosen: what it measures, which readings it was fitted on, and why. */
export interface HeapFit {
  measure: NonNullable<SeriesTrend['measure']>;
  fittedOn: FittedOn;
  trend: TrendFit;
  basis: string;
  /** Young-generation use the line left out that may be retained: the projection's early end counts it. */
  unreadYoungBytes: number;
}

interface Candidate {
  fittedOn: FittedOn;
  marks: (sample: WatchSample) => boolean;
  what: string;
}

/**
 * What the process retains, as well as the readings tell it. The old generation alone lags a
 * leak of small objects: they wait in the young generation (two scavenges) before promotion, and
 * while the semi-spaces size up in the first minute that is tens of MB. Old + young at any
 * reading is no answer either: on a server the young generation is mostly garbage. So the line
 * is fitted on the old generation plus the young generation's use read right after a collection,
 * when it holds little but the survivors — after forced full collections (--force-gc-every), else
 * after the target's own major collections, else after its scavenges (the young generation's use
 * fell since the previous reading), when 8 such readings follow the warm-up. Too few (a slow
 * leak may see no scavenge in 30 s): the old generation on every reading, and the young
 * generation's last use is named as what may be retained too — the projection's early end
 * counts it. Sources without generations (metrics): heap used on every reading.
 */
export function fitHeap(heap: readonly WatchSample[]): HeapFit {
  const generations = heap.every((sample) => typeof sample.oldGenerationUsed === 'number');
  const young = generations && heap.every((sample) => typeof sample.youngGenerationUsed === 'number');
  const retained = (sample: WatchSample) => sample.oldGenerationUsed! + (young ? sample.youngGenerationUsed! : 0);
  const forced = heap.some((sample) => sample.afterForcedGc);
  const candidates: Candidate[] = forced
    ? [{ fittedOn: 'after-forced-gc', marks: (sample) => sample.afterForcedGc, what: 'forced full collections' }]
    : [
        { fittedOn: 'after-major-gc', marks: (sample) => sample.afterMajorGc === true, what: 'major collections' },
        ...(young ? [{ fittedOn: 'after-scavenge' as const, marks: (sample: WatchSample) => sample.afterScavenge === true, what: 'scavenges' }] : []),
      ];
  if (generations) {
    const name = young ? 'retained heap' : 'old generation';
    for (const candidate of candidates) {
      const trend = fitTrend(
        heap.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: retained(sample), afterFullGc: candidate.marks(sample) })),
        name,
      );
      if (trend.metric !== 'liveHeap') continue;
      const basis = young
        ? `the old generation plus the young generation's survivors, read right after ${count(trend.samples)} ${candidate.what}`
        : `the old generation, read right after ${count(trend.samples)} ${candidate.what}`;
      return { measure: young ? 'old-generation-and-survivors' : 'old-generation', fittedOn: candidate.fittedOn, trend, basis, unreadYoungBytes: 0 };
    }
  }
  const value = (sample: WatchSample) => (generations ? sample.oldGenerationUsed! : sample.heapUsed!);
  const trend = fitTrend(
    heap.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: value(sample), afterFullGc: false })),
    generations ? 'old generation' : undefined,
  );
  if (!generations)
    return { measure: 'heap-used', fittedOn: 'all-samples', trend, basis: 'heap used on every reading (the source has no generations)', unreadYoungBytes: 0 };
  const unread = young ? (heap.at(-1)!.youngGenerationUsed ?? 0) : 0;
  const seen = countAfterWarmup(heap, candidates.at(-1)?.marks ?? (() => false));
  const why = young ? `only ${seen} ${candidates.at(-1)!.what} after the warm-up (8 needed)` : 'the source cannot read the young generation';
  return {
    measure: 'old-generation',
    fittedOn: 'all-samples',
    trend,
    basis: `the old generation alone on every reading: ${why}; the young generation's ${megabytes(unread)} may be retained or garbage, and the projection's early end counts it as retained`,
    unreadYoungBytes: unread,
  };
}

function countAfterWarmup(heap: readonly WatchSample[], marks: (sample: WatchSample) => boolean): number {
  const warmupMs = Math.max(WARMUP_MIN_MS, WARMUP_SHARE * (heap.at(-1)?.tMs ?? 0));
  return heap.filter((sample) => sample.tMs >= warmupMs && marks(sample)).length;
}
