import type { BaseResult } from '../lib/result.js';
import type { StrategyName, StrategyOutcome } from './compare-unread-outcome.js';

export * from './compare-unread-outcome.js';
export type * from './server-work.js';
export type * from './measure.js';

/**
 * The result of `imdiag compare-unread` — what `--json` prints, what `--report` saves and what
 * reports are rendered from. Stable: add optional fields freely, but renaming or removing a field
 * is a breaking change (bump SCHEMA_VERSION in src/lib/result.ts). fixtures/compare-unread.json
 * is a complete example, compiled against this type by test/unit/report-fixtures.test.ts. One
 * strategy's outcome: compare-unread-outcome.ts; the server's work (explain): server-work.ts.
 *
 * Units are in the names: …Bytes are bytes, …Ms are milliseconds (floats), counts are integers.
 * Heap figures are V8's `used_heap_size` (what process.memoryUsage().heapUsed reports).
 */

export interface CompareUnreadResult extends BaseResult<'compare-unread'> {
  options: CompareUnreadSettings;
  dataset: DatasetInfo;
  /** One entry per requested strategy, in the order they ran. */
  strategies: StrategyOutcome[];
  agreement: Agreement;
  verdict: Verdict;
}

export interface CompareUnreadSettings {
  /** The user measured (resolved id). */
  user: string;
  /** What was asked for: an id or 'heaviest'. */
  userRequested: string;
  /** How a 'heaviest' user was found: 'dataset-mark' or 'aggregation' (most receipts); 'given' otherwise. */
  userSource: 'given' | 'dataset-mark' | 'aggregation';
  strategies: StrategyName[];
  /** Measured runs per strategy (after the warm-up run). */
  runs: number;
  warmupRuns: number;
  /** Unmeasured runs that read the live heap at the peak point (absent in older results: 1). */
  probeRuns?: number;
  windowMonths: number;
  /** The window's anchor: now, or the anchor the dataset was seeded with. */
  windowAnchor: string;
  windowAnchorSource: 'now' | 'dataset';
  /** Receipts and messages newer than this are "within the window". */
  windowStart: string;
  /** Heap cap of each strategy's child (--max-old-space-size), null for Node's default. */
  maxOldSpaceSizeMB: number | null;
  heapdump: boolean;
  quick: boolean;
  /** Heap sampler period inside the child; heap is also sampled at every batch boundary. */
  samplerIntervalMs: number;
  /** False-positive rate the bloom filter is sized for. */
  bloomFalsePositiveRate: number;
}

export interface DatasetInfo {
  /** True when this run seeded the embedded default first (there was no dataset). */
  seededNow: boolean;
  /** The dataset description seed recorded in the imdiag mark (profile, seed, counts…), if any. */
  recorded: Record<string, unknown> | null;
  counts: { users: number; topics: number; msgs: number; readMsgs: number; readCursors: number };
  user: UserProfile;
}

export interface UserProfile {
  id: string;
  messagesReceived: number;
  receipts: number;
  receiptsInWindow: number;
}

export interface AgreementCheck {
  strategy: StrategyName;
  agrees: boolean;
  /** Ids in the reference but not in this strategy's answer. */
  missing: number;
  /** Ids in this strategy's answer but not in the reference. */
  extra: number;
  note?: string;
}

export interface Agreement {
  /** The strategy whose answer the others are checked against (first exact strategy that finished). */
  reference: StrategyName | null;
  unreadCount: number | null;
  /** True when every finished strategy agrees. */
  allAgree: boolean;
  checks: AgreementCheck[];
}

export interface Verdict {
  /** One line, e.g. "naive peaks at 140× the heap of cursor; under a 1536 MB cap naive-mongoose OOMs". */
  text: string;
  /** The recommendation the verdict ends with (also in `text`); absent in older results. */
  recommendation?: string | null;
  heaviest: StrategyName | null;
  lightest: StrategyName | null;
  /** peakHeapGrowth(heaviest) / peakHeapGrowth(lightest). */
  heapRatio: number | null;
  oom: StrategyName[];
}
