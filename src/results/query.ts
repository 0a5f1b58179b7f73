import type { BaseResult, ConditionOutcome } from '../lib/result.js';
import type { DeathReport, LatencySummary, LoopRun, LoopSummary } from './measure.js';
import type { BatchCost, CapVerdict, LiveReading, LoopPrediction, Prediction } from './query-prediction.js';
import type { PopulateOutcome, PopulateTarget } from './query-populate.js';
import type { AtRecordedSize, RecordedSize, RecordedSkip, RouterLines } from './query-recorded.js';
import type { ClusterWork } from './server-work.js';

export type * from './query-prediction.js';
export type * from './query-populate.js';
export type * from './query-recorded.js';

/** Every variant `imdiag query` can measure, in the order of its table. */
export const VARIANT_NAMES = ['driver', 'stream', 'mongoose', 'lean', 'raw', 'projection', 'mongoose+populate', 'lean+populate'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** How the query reads: a find, an aggregation or a distinct (src/engines/query/spec.ts). */
export type QueryMode = 'find' | 'aggregate' | 'distinct';

export interface ShapeGroup {
  shape: string;
  collection: string;
  operation: 'find' | 'aggregate' | 'distinct';
  /** Queries of this shape (getMores folded into theirs). */
  executions: number;
  maxResponseBytes: number;
  totalResponseBytes: number;
  maxReturned: number;
  totalReturned: number;
  totalMillis: number;
  planSummaries: string[];
  /** The heaviest execution's command: what is replayed (filter values included). */
  heaviest: Record<string, unknown>;
  /** The largest result one cursor of this shape returned in the record (documents first). */
  recordedSize: RecordedSize;
  /** A mongos's log: the most shards one operation of this shape reached (`nShards`); null elsewhere. */
  maxShards: number | null;
}

/** `imdiag query`'s result (docs/results.md). Built once by run.ts; renderers only read it. */
export interface QueryResult extends BaseResult<'query'> {
  options: QueryResultOptions;
  /** One for a query given by flags (or --group-by's heaviest value); the top K shapes for --from-profile / --from-log. */
  queries: MeasuredQuery[];
  /** --from-profile / --from-log: what the server recorded, heaviest shape first. */
  recorded: RecordedSummary | null;
  groupBy: GroupByResult | null;
  verdict: { text: string; lines: string[] };
  /** --fail-on, each condition against --fail-on-variant's predicted figures. */
  failOn: ConditionOutcome[];
}

export interface QueryResultOptions {
  source: 'flags' | 'profile' | 'log';
  logFile: string | null;
  variants: VariantName[];
  sample: number | null;
  full: boolean;
  maxHeapBytes: number;
  maxOldSpaceSizeMB: number | null;
  /** The old-space limit the children ran under (the cap, or Node's own limit here). */
  heapLimitBytes: number;
  maxTimeMS: number;
  readPreference: string;
  runs: number;
  groupBy: string | null;
  top: number;
  suggestProjection: string[] | null;
  model: string | null;
  /** --populate: each path and the collection its ids point to; null without it. */
  populate: PopulateTarget[] | null;
  failOnVariant: VariantName;
}

export interface MeasuredQuery {
  /** "query", or the shape it stands for. */
  label: string;
  mode: QueryMode;
  collection: string;
  /** The query as people read it (relaxed Extended JSON). */
  query: string;
  /** Documents in the whole result (distinct: values). */
  count: number;
  countSource: 'countDocuments' | 'aggregate' | 'distinct';
  /** BSON bytes of the whole result ($bsonSize), null when the server has no $bsonSize (before 4.4). */
  resultBsonBytes: number | null;
  /** --from-profile / --from-log: the prediction at the size the record holds for this shape; absent otherwise. */
  atRecorded?: AtRecordedSize | null;
  /** Documents each variant was measured on: null for the whole result (--full, distinct). */
  sampleDocs: number | null;
  server: ServerSide;
  variants: VariantOutcome[];
  /** The driver's batch while a cursor reads it (stream's measurement); null when stream did not run, and for distinct. */
  batch: BatchCost | null;
  notes: string[];
}

export interface ServerSide {
  explained: boolean;
  reason?: string;
  planSummary?: string;
  collectionScan?: boolean;
  indexesUsed?: string[];
  keysExamined?: number | null;
  docsExamined?: number | null;
  nReturned?: number | null;
  /** `sbe` (slot-based) or `classic`; absent when the plan does not say, and in older results. */
  engine?: 'classic' | 'sbe';
  /** Through a mongos: the shards reached, each one's work, the cluster's shard count, a targeting finding. */
  cluster?: ClusterWork;
}

export type VariantStatus = VariantOutcome['status'];

interface VariantBase {
  name: VariantName;
  description: string;
  notes: string[];
}

export type VariantOutcome =
  | (VariantBase & {
      status: 'ok';
      measurement: VariantMeasurement;
      prediction: Prediction | null;
      /** Blocked time and CPU for the whole result (src/engines/query/loop-predict.ts). */
      loopPrediction: LoopPrediction | null;
      cap: CapVerdict | null;
      replay: FullReplay | null;
      schema?: { source: 'inferred' | 'model'; paths: Record<string, string> };
      /** mongoose+populate, lean+populate: the follow-up queries and what they hold. */
      populate?: PopulateOutcome;
    })
  | (VariantBase & { status: 'oom' | 'crashed'; reason: string; death: DeathReport; prediction: null; replay: null })
  | (VariantBase & { status: 'skipped' | 'error'; reason: string; prediction: null; replay: null });

export interface VariantMeasurement {
  runs: number;
  warmupRuns: number;
  /** Documents (or values) each run received: the sample. */
  docs: number;
  bsonBytes: number;
  latency: LatencySummary;
  heapBeforeBytes: number;
  peakHeapGrowthBytes: number;
  /** Live at the peak point after a full GC: heap + external (Buffers). Null when not measured. */
  live: LiveReading | null;
  liveHalf: LiveReading | null;
  liveBytes: number | null;
  /** Live bytes ÷ documents (stream: ÷ the documents of the batch it held). */
  bytesPerDoc: number | null;
  /** stream: documents in the batch it held at its peak point (0: the last reply it held was empty). */
  batchDocs?: number;
  /** Live bytes ÷ BSON bytes received. */
  bsonMultiplier: number | null;
  peakRssBytes: number;
  /** The event loop and CPU over the timed runs (the sample). */
  loop: LoopSummary | null;
  /** The same over the timed runs on the sample's first half: null when it was not run (the whole result measured, distinct). */
  loopHalf: { docs: number; summary: LoopSummary } | null;
  harness: { spawnMs: number; connectMs: number };
}

/** --full: the same variant over the whole result, under the cap. */
export type FullReplay =
  | {
      status: 'ok';
      docs: number;
      liveBytes: number | null;
      live: LiveReading | null;
      peakHeapGrowthBytes: number;
      durationMs: number;
      /** Its one run's event loop and CPU: what loopPrediction is checked against. */
      loop: LoopRun | null;
      notes: string[];
    }
  | { status: 'oom' | 'crashed' | 'error' | 'skipped'; reason: string; docsBeforeDeath: number | null; stderrTail?: string[] };

export interface RecordedSummary {
  source: 'profile' | 'log';
  operations: number;
  /** Log only: lines read, slow-query lines, lines that were not JSON. */
  lines?: number;
  slowQueryLines?: number;
  unparsedLines?: number;
  shapes: RankedShape[];
  /** Recorded operations not measured, by reason (other databases, writes, unparsable lines, getMores without their find, …). */
  skipped: RecordedSkip[];
  /** Log only: what a mongos's lines carry (nShards, remoteOpWaitMillis) and lack (examined counts); null when no line came from a mongos. */
  router: RouterLines | null;
}

export type RankedShape = Omit<ShapeGroup, 'heaviest'> & { heaviest: string; measured: boolean; reason?: string };

export interface GroupByResult {
  field: string;
  top: number;
  /** Null when the server has no $bsonSize (MongoDB before 4.4). */
  bytesCounted: boolean;
  values: GroupValue[];
  /** The value whose query was measured (the heaviest). */
  measuredValue: unknown;
}

export interface GroupValue {
  /** The value as relaxed Extended JSON text. */
  value: string;
  docs: number;
  bsonBytes: number | null;
  /** Per variant with a per-document prediction: live bytes predicted and whether the heap part fits under the cap. */
  predicted: Array<{ variant: VariantName; liveBytes: number; fits: boolean }>;
}
