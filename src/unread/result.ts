import type { BaseResult } from '../lib/result.js';

/**
 * The result of `imdiag compare-unread` — what `--json` prints, what `--report` saves and what
 * reports are rendered from. Stable: add optional fields freely, but renaming or removing a field
 * is a breaking change (bump SCHEMA_VERSION in src/lib/result.ts). fixtures/compare-unread.json
 * is a complete example and test/compare-unread-result.test.ts pins its shape.
 *
 * Units are in the names: …Bytes are bytes, …Ms are milliseconds (floats), counts are integers.
 * Heap figures are V8's `used_heap_size` (what process.memoryUsage().heapUsed reports).
 */
export const STRATEGY_NAMES = ['naive', 'naive-mongoose', 'window', 'projection', 'distinct', 'aggregate', 'cursor', 'bloom'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * ok        measured; its unread set agrees with the reference (bloom: within its error bound)
 * disagrees measured, but its unread set differs from the reference (also listed in `problems`)
 * oom       the child ran out of heap under --max-old-space-size (a reported outcome, not a failure)
 * crashed   the child died otherwise (signal, non-zero exit, no message)
 * error     the child reported an error (e.g. a server error)
 * skipped   not run (e.g. mongoose is not installed), `reason` says why
 */
export type OutcomeStatus = 'ok' | 'disagrees' | 'oom' | 'crashed' | 'error' | 'skipped';

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

export interface StrategyOutcome {
  name: StrategyName;
  description: string;
  /** Which step of the post-mortem this is (e.g. "Stage 1: six-month window"). */
  stage: string;
  status: OutcomeStatus;
  /** Why it was skipped, crashed, errored or disagrees. */
  reason?: string;
  measurement?: Measurement;
  /** What was known when the child died (oom/crashed). */
  death?: DeathReport;
  /** The server's own work, from explain executionStats. */
  server?: ServerWork;
  /** Present for distinct: whether the 16 MB reply cap forced the $group fallback. */
  distinct?: { fallback: boolean; reason?: string };
  bloom?: BloomReport;
  heapSnapshot?: HeapSnapshotReport;
  /** Anything else worth knowing about this strategy's run. */
  notes: string[];
}

export interface LatencySummary {
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Every measured run, in order. */
  samplesMs: number[];
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
  /** heapUsed after the last run and a full GC, its answer still held, minus heapBeforeBytes. */
  retainedBytes: number;
  /**
   * The heap still live at the strategy's peak point (everything it loaded still referenced):
   * heapUsed after a full GC there, minus the settled heap before, on one extra unmeasured run.
   * Unlike peakHeapBytes it holds no garbage awaiting collection, so it is what a heap cap
   * must make room for. Null when the strategy has no peak point.
   */
  liveAtPeakBytes: number | null;
  /** The child's peak resident set size (getrusage maxrss), whole process lifetime. */
  peakRssBytes: number;
  /** Documents (cursor documents, distinct values) received from the server in one run. */
  docsReceived: number;
  /** BSON size of the server's replies in one run (counted on the warm-up run, with command monitoring on). */
  bytesReceived: number;
  /** Size of the unread set this strategy returned. */
  unreadCount: number;
  /** Heap samples taken during the measured runs (interval + batch boundaries). */
  heapSamples: number;
  harness: HarnessCost;
}

export interface HarnessCost {
  /** Fork until the child's first line of code. */
  spawnMs: number;
  /** MongoClient.connect() in the child. */
  connectMs: number;
}

export interface DeathReport {
  /** e.g. "OOM after ~412,000 documents, heap 29 MB at death". */
  summary: string;
  exitCode: number | null;
  signal: string | null;
  /** Documents received before death, from the child's last progress line. */
  docsBeforeDeath: number | null;
  /** heapUsed at the last progress line, or V8's last GC line when it printed one. */
  heapAtDeathBytes: number | null;
  /** The last lines the child wrote to stderr (V8's fatal error, for example). */
  stderrTail: string[];
}

export interface ServerWork {
  /** False when the server could not explain (reason says why); figures are then absent. */
  explained: boolean;
  reason?: string;
  docsExamined?: number;
  keysExamined?: number;
  /** Documents returned by the explained queries (nReturned). */
  docsReturned?: number;
  indexesUsed: string[];
  /** One entry per query the strategy sends. */
  queries: ExplainedQuery[];
}

export interface ExplainedQuery {
  collection: string;
  operation: 'find' | 'distinct' | 'aggregate' | 'count';
  docsExamined: number | null;
  keysExamined: number | null;
  docsReturned: number | null;
  indexesUsed: string[];
  /** COLLSCAN seen in the plan. */
  collectionScan: boolean;
}

export interface BloomReport {
  /** Bits. */
  bits: number;
  hashes: number;
  sizeBytes: number;
  /** Items the filter was sized for (messages received in the window). */
  expectedItems: number;
  /** Items actually added (distinct or not: every receipt streamed). */
  itemsAdded: number;
  configuredFalsePositiveRate: number;
  /** Unread messages the filter wrongly reported as read, against the exact answer. */
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
  heaviest: StrategyName | null;
  lightest: StrategyName | null;
  /** peakHeapGrowth(heaviest) / peakHeapGrowth(lightest). */
  heapRatio: number | null;
  oom: StrategyName[];
}
