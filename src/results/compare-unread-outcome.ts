import type { ServerWork } from './server-work.js';
import type { DeathReport, LatencySummary, LoopSummary } from './measure.js';

/** The compare-unread strategies, in the order they run by default. */
export const STRATEGY_NAMES = ['naive', 'naive-mongoose', 'window', 'projection', 'projection-batched', 'distinct', 'aggregate', 'cursor', 'bloom'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * ok        measured; its unread set agrees with the reference (bloom: within its error bound)
 * disagrees measured, but its unread set differs from the reference (also listed in `problems`)
 * oom       the child ran out of heap under --max-old-space-size (a reported outcome, not a failure)
 * crashed   the child died otherwise (signal, non-zero exit, no message)
 * error     the child reported an error (e.g. a server error)
 * skipped   not run (e.g. mongoose is not installed), `reason` says why
 */
export type StrategyOutcome = MeasuredOutcome | DiedOutcome | FailedOutcome;
export type OutcomeStatus = StrategyOutcome['status'];

/**
 * What every outcome says. Fields of the other statuses are declared absent (`?: undefined`) so
 * that a reader may test for one (`outcome.measurement?.…`); switching on `status` narrows.
 */
interface OutcomeBase {
  name: StrategyName;
  description: string;
  /** Which step of the post-mortem this is (e.g. "Stage 1: six-month window"). */
  stage: string;
  /** The server's own work, from explain executionStats (every status but skipped). */
  server?: ServerWork;
  /** Anything else worth knowing about this strategy's run. */
  notes: string[];
}

interface NotMeasured {
  measurement?: undefined;
  distinct?: undefined;
  bloom?: undefined;
  heapSnapshot?: undefined;
}

/** ok, or disagrees: measured, with its answer checked against the reference. */
export type MeasuredOutcome = OutcomeBase & {
  measurement: Measurement;
  /** Present for distinct: whether the 16 MB reply cap forced the $group fallback. */
  distinct?: { fallback: boolean; reason?: string };
  bloom?: BloomReport;
  heapSnapshot?: HeapSnapshotReport;
  death?: undefined;
} & ({ status: 'ok'; reason?: undefined } | { status: 'disagrees'; /** Which ids differ from the reference. */ reason: string });

/** oom or crashed: the child died; what was known when it did. */
export type DiedOutcome = OutcomeBase &
  NotMeasured & {
    status: 'oom' | 'crashed';
    reason: string;
    death: DeathReport;
  };

/** error or skipped: the child said why it has no measurement. */
export type FailedOutcome = OutcomeBase &
  NotMeasured & {
    status: 'error' | 'skipped';
    reason: string;
    death?: undefined;
  };

export function isMeasured(outcome: StrategyOutcome): outcome is MeasuredOutcome {
  return outcome.status === 'ok' || outcome.status === 'disagrees';
}

export interface Measurement {
  runs: number;
  warmupRuns: number;
  latency: LatencySummary;
  /** heapUsed after a full GC, right before the first measured run. */
  heapBeforeBytes: number;
  /** Highest heapUsed seen during any measured run (absolute). */
  peakHeapBytes: number;
  /** peakHeapBytes − heapBeforeBytes: what the query itself cost at its worst. */
  peakHeapGrowthBytes: number;
  /**
   * heapUsed after the last run and a full GC, its answer still held, minus heapBeforeBytes. Raw:
   * it can be slightly negative; within ± retainedNoiseBytes it is shown as "≈ 0 (± noise)".
   */
  retainedBytes: number;
  /** Spread of settled heap readings with nothing retained between them; absent in older results. */
  retainedNoiseBytes?: number;
  /**
   * The heap still live at the strategy's peak point (everything it loaded still referenced):
   * heapUsed after a full GC there, minus the settled heap before, on one extra unmeasured run.
   * Unlike peakHeapBytes it holds no garbage awaiting collection, so it is what a heap cap
   * must make room for. Null when the strategy has no peak point.
   */
  liveAtPeakBytes: number | null;
  /**
   * The live heap at peak over every probe run: median, range and the readings; absent in older
   * results (one probe run, liveAtPeakBytes). liveAtPeakBytes is then the median.
   */
  liveAtPeak?: { probeRuns: number; medianBytes: number; minBytes: number; maxBytes: number; samplesBytes: number[] } | null;
  /** The child's peak resident set size (getrusage maxrss), whole process lifetime. */
  peakRssBytes: number;
  /** Documents (cursor documents, distinct values) received from the server in one run. */
  docsReceived: number;
  /** BSON size of the server's replies in one run (counted on the warm-up run, with command monitoring on). */
  bytesReceived: number;
  /**
   * Documents in the largest single reply (a cursor batch, distinct's values), counted with
   * bytesReceived. A getMore batch is capped at 16 MiB of BSON, not at a count: without a
   * batchSize, small documents arrive hundreds of thousands to a batch. Absent in older results.
   */
  largestBatchDocs?: number;
  /** Size of the unread set this strategy returned. */
  unreadCount: number;
  /** Heap samples taken during the measured runs (interval + batch boundaries). */
  heapSamples: number;
  /**
   * The event loop and CPU over the measured runs (src/core/measure/loop.ts): the longest block,
   * CPU time, utilisation, GC. Absent in older results.
   */
  loop?: LoopSummary | null;
  harness: HarnessCost;
}

export interface HarnessCost {
  /** Fork until the child's first line of code. */
  spawnMs: number;
  /** MongoClient.connect() in the child. */
  connectMs: number;
}

export interface BloomReport {
  /** Bits, over every stage. */
  bits: number;
  /** Hash functions of the first stage. */
  hashes: number;
  /** Optional: absent in results saved before the filter grew (a single stage). */
  hashesPerStage?: number[];
  stages?: number;
  sizeBytes: number;
  /** Items the first stage was sized for (messages received in the window); later stages double it. */
  expectedItems: number;
  /** Items actually added (distinct or not: every receipt streamed). */
  itemsAdded: number;
  /** Distinct ids among them (new to the filter when added). */
  distinctItems?: number;
  configuredFalsePositiveRate: number;
  /** The real false-positive rate over fresh ObjectIds known to be absent, with its 95 % Wilson interval. */
  falsePositiveTest?: FalsePositiveTest | null;
  /** Unread messages the filter wrongly reported as read, against the exact answer (a handful of keys: no rate estimate). */
  observedFalsePositives: number | null;
  observedFalsePositiveRate: number | null;
  /** Largest observed false-positive count accepted as "within the error bound". */
  allowedFalsePositives: number | null;
}

export interface HeapSnapshotReport {
  path: string;
  sizeBytes: number;
  writer: 'heapdump' | 'v8.writeHeapSnapshot';
  /** How `topByConstructor` was computed: by retained size (the `imdiag heap` analysis) or, as a fallback, by self size. */
  computed: string;
  totalSelfSizeBytes: number;
  /** By retained size when `retainedSizeBytes` is present, else by self size. */
  topByConstructor: Array<{ constructor: string; count: number; selfSizeBytes: number; retainedSizeBytes?: number }>;
  /** The objects retaining most and the shortest path from a GC root to each (absent in the self-size fallback). */
  largest?: Array<{ name: string; id: number; retainedSizeBytes: number; retainers: string | null }>;
}

export interface FalsePositiveTest {
  /** Fresh ObjectIds tested: none of them was ever added. */
  probes: number;
  falsePositives: number;
  rate: number;
  /** Wilson score interval, 95 %. */
  ci95: [number, number];
}
