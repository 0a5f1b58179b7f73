import { count, megabytes } from '../../lib/format.js';
import { fitTrend, WARMUP_MIN_MS, WARMUP_SHARE } from './trend.js';
import type { FittedOn, SeriesTrend, TrendFit, WatchSample } from '../../results/watch.js';

/** The heap line chosen: what it measures, which readings it was fitted on, and why. */
export interface HeapFit {
  measure: NonNullable<SeriesTrend['measure']>;
  fittedOn: FittedOn;
  trend: TrendFit;
  basis: string;
  /** Young-generation use the line counted that may be garbage: the projection's late end leaves it out. */
  maybeGarbageBytes: number;
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
 * fell since the previous reading), when 8 such readings follow the warm-up. Too few (a process
 * that allocates little may see no scavenge in 30 s): the old and young generations on every
 * reading, garbage included — few scavenges mean little allocation, so little garbage, and the
 * old generation alone would miss a leak that waits in the young generation. The figure is then
 * the soonest; the range's late end counts none of the young generation's last use. Sources
 * without generations (metrics): heap used on every reading.
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
      return { measure: young ? 'old-generation-and-survivors' : 'old-generation', fittedOn: candidate.fittedOn, trend, basis, maybeGarbageBytes: 0 };
    }
  }
  const value = (sample: WatchSample) => (generations ? retained(sample) : sample.heapUsed!);
  const name = young ? 'old + young generation' : generations ? 'old generation' : undefined;
  const trend = fitTrend(
    heap.map((sample) => ({ tMs: sample.tMs, heapUsedBytes: value(sample), afterFullGc: false })),
    name,
  );
  if (!generations)
    return { measure: 'heap-used', fittedOn: 'all-samples', trend, basis: 'heap used on every reading (the source has no generations)', maybeGarbageBytes: 0 };
  if (!young)
    return {
      measure: 'old-generation',
      fittedOn: 'all-samples',
      trend,
      basis: 'the old generation on every reading (the source cannot read the young generation)',
      maybeGarbageBytes: 0,
    };
  const youngNow = heap.at(-1)!.youngGenerationUsed!;
  const seen = countAfterWarmup(heap, candidates.at(-1)!.marks);
  return {
    measure: 'old-and-young-generation',
    fittedOn: 'all-samples',
    trend,
    basis: `the old and young generations on every reading, garbage included: only ${count(seen)} ${candidates.at(-1)!.what} after the warm-up (8 needed) to tell the young generation's survivors from its garbage, so the figure is the soonest and the range's late end counts none of its ${megabytes(youngNow)} as retained`,
    maybeGarbageBytes: youngNow,
  };
}

function countAfterWarmup(heap: readonly WatchSample[], marks: (sample: WatchSample) => boolean): number {
  const warmupMs = Math.max(WARMUP_MIN_MS, WARMUP_SHARE * (heap.at(-1)?.tMs ?? 0));
  return heap.filter((sample) => sample.tMs >= warmupMs && marks(sample)).length;
}
