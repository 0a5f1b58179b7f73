import type { LoopRun } from '../../results/measure.js';
import type { MeasureProgress } from '../../core/measure/context.js';
import type { MeasureFailure, SessionConfig } from '../../core/measure/session.js';
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
export interface ChildConfig extends SessionConfig {
  strategy: StrategyName;
  userId: string;
  windowStart: string;
  probeRuns: number;
  bloomFalsePositiveRate: number;
  /** Write a heap snapshot at the strategy's peak, on the extra unmeasured probe run, to this path. */
  heapSnapshotPath?: string;
}

export interface ChildRun {
  durationMs: number;
  peakHeapBytes: number;
  unreadCount: number;
  /** The run's event loop and CPU (src/core/measure/loop.ts). */
  loop: LoopRun;
}

export interface ChildResultMessage {
  type: 'result';
  strategy: StrategyName;
  runs: ChildRun[];
  warmupRuns: number;
  heapBeforeBytes: number;
  retainedBytes: number;
  /** Spread of settled heap readings with nothing retained between them (src/core/measure/settle.ts). */
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

/** A strategy that was skipped (MeasureSkipped: e.g. Mongoose absent) or failed (its error's first line). */
export type ChildFailureMessage = MeasureFailure<{ strategy: StrategyName }>;

export type ChildMessage = ChildResultMessage | ChildFailureMessage;

export type ChildProgress = MeasureProgress;
