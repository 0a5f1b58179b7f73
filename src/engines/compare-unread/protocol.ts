import type { StrategyName } from '../../results/compare-unread.js';

/**
 * What compare-unread's strategy child and its parent say to each other, over the one child
 * protocol of src/lib/child/protocol.ts (docs/architecture.md, house rule 5).
 *
 * The parent forks `node --expose-gc [--max-old-space-size=N] dist/engines/compare-unread/child.js` with this
 * ChildConfig. The child runs one strategy (warm-up run(s), then the measured runs, then the
 * probe run) and sends exactly ONE final ChildMessage. While it works it writes ChildProgress
 * lines to stderr (`@imdiag-progress {"docs":N,"heapUsedBytes":H}`), whose last one survives an
 * OOM death, so the parent can say "OOM after ~N documents". A child that exits without its
 * message is a death, reported.
 */
export interface ChildConfig {
  strategy: StrategyName;
  /** Unredacted connection string; only ever passed to the child, never printed. */
  uri: string;
  dbName: string;
  userId: string;
  windowStart: string;
  runs: number;
  warmupRuns: number;
  probeRuns: number;
  /** Heap sampler period. 0: no timer (batch-boundary samples remain); < 0: no sampling at all. Both for the benchmark. */
  samplerIntervalMs: number;
  bloomFalsePositiveRate: number;
  /** Write a heap snapshot at the strategy's peak, on the extra unmeasured probe run, to this path. */
  heapSnapshotPath?: string;
  /** process.hrtime.bigint() of the parent right before fork (CLOCK_MONOTONIC is system-wide). */
  forkedAtNs: string;
}

export interface ChildRun {
  durationMs: number;
  peakHeapBytes: number;
  unreadCount: number;
}

export interface ChildResultMessage {
  type: 'result';
  strategy: StrategyName;
  runs: ChildRun[];
  warmupRuns: number;
  heapBeforeBytes: number;
  retainedBytes: number;
  /** Spread of settled heap readings with nothing retained between them (child-runs.ts). */
  retainedNoiseBytes: number;
  /**
   * On one extra, unmeasured probe run: heapUsed after a full GC at the strategy's peak point
   * (everything it loaded still referenced), minus the settled heap right before that run.
   * Null when the strategy reached no peak point.
   */
  liveAtPeakBytes: number | null;
  /**
   * The live heap at peak of every probe run (config.probeRuns of them, fewer when the first was
   * refused or found no peak): it varies from run to run, e.g. with when the driver frees a drained
   * cursor's last batch.
   */
  liveAtPeakRunsBytes: number[];
  peakRssBytes: number;
  docsReceived: number;
  bytesReceived: number;
  /** Documents in the largest single reply, on the accounting run. */
  largestBatchDocs: number;
  heapSamples: number;
  spawnMs: number;
  connectMs: number;
  /** The unread message ids (hex) of the last measured run. */
  unreadIds: string[];
  notes: string[];
  distinct?: { fallback: boolean; reason?: string };
  bloom?: { bits: number; hashes: number; sizeBytes: number; expectedItems: number; itemsAdded: number; configuredFalsePositiveRate: number };
  heapSnapshot?: { path: string; writer: 'heapdump' | 'v8.writeHeapSnapshot' };
}

export interface ChildErrorMessage {
  type: 'error';
  strategy: StrategyName;
  message: string;
  docsBeforeError: number;
}

export interface ChildSkippedMessage {
  type: 'skipped';
  strategy: StrategyName;
  reason: string;
}

export type ChildMessage = ChildResultMessage | ChildErrorMessage | ChildSkippedMessage;

export interface ChildProgress {
  docs: number;
  heapUsedBytes: number;
}
