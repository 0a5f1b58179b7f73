import type { BaseResult, ConditionOutcome } from '../lib/result.js';
import type { MemorySample, SourceKind, TargetFacts, TrendFit } from './memory.js';

export type * from './memory.js';

/**
 * What `imdiag watch` returns (and `--json` prints). Sizes in bytes, times in ms unless the name
 * says otherwise. Stable: add fields, do not rename or remove them.
 */

/** heap: V8 heap used; external: memory outside the heap (Buffers, ArrayBuffers included); rss: resident memory. */
export type SeriesName = 'heap' | 'external' | 'rss';

/** Which readings the heap line was fitted on. */
export type FittedOn =
  /** Right after HeapProfiler.collectGarbage (--force-gc-every): the live heap. */
  | 'after-forced-gc'
  /** Right after a major collection the target ran itself (old space fell): the troughs of the sawtooth. */
  | 'after-major-gc'
  /**
   * Right after a scavenge (the young generation's use fell): the old generation plus what the
   * young generation still holds, which is then little but the survivors.
   */
  | 'after-scavenge'
  /** Every reading, with the lowest of each second as the floor (too few troughs, or a source that cannot tell). */
  | 'all-samples';

export type LimitSource =
  | '--heap-limit'
  | '--max-old-space-size (execArgv)'
  | '--max-old-space-size (NODE_OPTIONS)'
  | "Node's default (the target's heap_size_limit less the young generation)"
  | "the target's heap_size_limit (its young generation unknown: an upper bound)"
  | '--memory-limit'
  | 'cgroup memory limit'
  | 'machine memory';

export interface MemoryLimit {
  bytes: number;
  source: LimitSource;
}

export interface SeriesTrend {
  series: SeriesName;
  /**
   * What the heap line measures: the old generation plus the young generation's survivors
   * (inspector, read right after collections), the old and young generations (too few collections
   * to read survivors), the old generation alone (older results), or heap used (metrics). The
   * other series: their own figure. Absent in results saved before it was added (heap used).
   */
  measure?: 'old-generation' | 'old-generation-and-survivors' | 'old-and-young-generation' | 'heap-used' | 'external' | 'rss';
  /** One sentence: what the line was fitted on and what the projection assumes (absent in older results). */
  basis?: string;
  fittedOn: FittedOn;
  trend: TrendFit;
  /** The limit this series runs into: the old-space cap for heap, the memory limit for external and rss. */
  limit: MemoryLimit | null;
  /** The fitted value at the end of the watch (for external: RSS, which external adds to). */
  currentBytes: number;
  /** From the end of the watch until the fitted line reaches the limit; null when not growing or no limit. */
  secondsToLimit: number | null;
  /**
   * The range of secondsToLimit: the early end from the slope's 95 % interval's top, the late end
   * from its bottom (and, when the young generation's survivors could not be told from its garbage,
   * counting none of its use as retained; null: the interval reaches zero, no end). Absent in older results.
   */
  secondsToLimitRange?: [number, number | null] | null;
}

export type WatchVerdict = 'growing' | 'bounded' | 'inconclusive' | 'died';

export interface MemoryAnalysis {
  series: SeriesTrend[];
  /** The worst series' verdict (growing > inconclusive > bounded), or died. */
  verdict: WatchVerdict;
  /** The series the verdict comes from (the soonest to its limit among growing ones). */
  worstSeries: SeriesName | null;
  /** Projected time to out-of-memory: the soonest growing series to reach its limit. */
  secondsToLimit: number | null;
  /** That series' range (see SeriesTrend); null when there is no projection. Absent in older results. */
  secondsToLimitRange?: [number, number | null] | null;
  /**
   * The range is too wide to trust one number (its late end open, or wider than half the
   * projection): the output gives the range and says to watch longer. Absent in older results.
   */
  watchLonger?: boolean;
}

export type WatchOutcome =
  /** Watched for --duration. */
  | 'completed'
  /** --until-verdict: the verdict settled on bounded, or on growing with a narrow projection, after the minimum watch. */
  | 'verdict-reached'
  /** A signal (Ctrl-C, SIGTERM, SIGHUP) stopped the watch. */
  | 'stopped'
  /** The target went away (exited, or its inspector / metrics endpoint closed). */
  | 'died';

/** A reading as the result keeps it: ms since the watch started. */
export interface WatchSample extends Omit<MemorySample, 'time'> {
  tMs: number;
}

export interface WatchParams {
  source: SourceKind;
  /** `127.0.0.1:9229`, `4242` or the metrics URL. */
  target: string;
  intervalMs: number;
  durationMs: number;
  untilVerdict: boolean;
  forceGcEveryMs: number | null;
  heapLimitBytes: number | null;
  memoryLimitBytes: number | null;
  failOn: string[];
}

export interface WatchResult extends BaseResult<'watch'> {
  params: WatchParams;
  target: TargetFacts;
  outcome: WatchOutcome;
  /** How long it was watched. */
  watchedMs: number;
  samplesTaken: number;
  /** The last reading before the end (or before the target died). */
  last: WatchSample | null;
  died: { afterMs: number; reason: string } | null;
  analysis: MemoryAnalysis;
  /** Wall-clock time the target is projected to run out of memory; null when not growing. */
  projectedDeathAt: string | null;
  conditions: ConditionOutcome[];
  /** Facts worth a look that are not failures. */
  notes: string[];
  /** Readings, thinned to at most MAX_KEPT_SAMPLES evenly spaced ones. */
  samples: WatchSample[];
  /** `--capture-at`'s snapshot; null without the flag. */
  capture: WatchCapture | null;
}

/** What the live line of `imdiag watch` shows, once a second (not part of the result). */
export interface LiveSnapshot {
  elapsedMs: number;
  durationMs: number;
  facts: TargetFacts;
  last: WatchSample;
  analysis: MemoryAnalysis;
}

/**
 * `--capture-at`: one heap snapshot when the heap first crossed that share of its limit. `taken`
 * with the file; `failed` when the fit check refused it or the capture failed (the watch goes on);
 * `not-reached` when the heap stayed below.
 */
export type WatchCapture =
  | { status: 'not-reached'; atShare: number }
  | { status: 'taken'; atShare: number; atMs: number; share: number; heapUsedBytes: number; limitBytes: number; file: string; bytes: number; pauseMs: number }
  | { status: 'failed'; atShare: number; atMs: number; share: number; heapUsedBytes: number; limitBytes: number; reason: string };
