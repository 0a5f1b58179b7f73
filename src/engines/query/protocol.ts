import type { MeasureFailure, SessionConfig } from '../../core/measure/session.js';
import type { LiveReading } from './predict.js';
import type { LoopRun } from '../../results/measure.js';
import type { VariantName } from './variants/names.js';
import type { PopulateChildPath } from './populate/child-report.js';

/**
 * What `imdiag query`'s variant child and its parent say to each other over the one child
 * protocol of src/lib/child/protocol.ts (docs/architecture.md, house rule 5): the child measures one variant and sends
 * exactly ONE final QueryChildMessage; its progress lines (`@imdiag-progress {"docs":N,…}`, the
 * compare-unread sampler's) survive an OOM death, so the parent can say "OOM after ~N documents".
 */
export interface QueryChildConfig extends SessionConfig {
  variant: VariantName;
  /** The query (QuerySpec) as canonical Extended JSON, already limited to the sample. */
  spec: string;
  /** Also probe the first half of the sample (the marginal cost per document); false for --full and distinct. */
  probeHalf: boolean;
  maxTimeMS: number;
  readPreference: 'primary' | 'primaryPreferred' | 'secondary' | 'secondaryPreferred' | 'nearest';
  /** --model: a module exporting the team's Mongoose model (or schema). */
  modelPath: string | null;
}

export interface QueryChildResult {
  type: 'result';
  variant: VariantName;
  runs: QueryChildRun[];
  /** The same timed runs on the sample's first half (with probeHalf): the second size loop-predict.ts fits on. */
  halfRuns: QueryChildRun[];
  warmupRuns: number;
  heapBeforeBytes: number;
  /** Live memory at the variant's peak point (full GC, everything referenced), over the settled baseline. */
  live: LiveReading | null;
  /** The same for the first half of the sample, when probed. */
  liveHalf: LiveReading | null;
  heapLimitBytes: number;
  peakRssBytes: number;
  docsReceived: number;
  bytesReceived: number;
  /** Documents in the sample's largest reply (the accounting warm-up's). */
  largestBatchDocs: number;
  spawnMs: number;
  connectMs: number;
  notes: string[];
  /** stream: documents in the batch it held at its peak point. */
  batchDocs?: number;
  /** How the Mongoose schema came to be (inferred paths, or the --model module). */
  schema?: { source: 'inferred' | 'model'; paths: Record<string, string> };
  /** mongoose+populate, lean+populate: the follow-up queries per path, per sample size. */
  populate?: PopulateChildPath[];
}

export interface QueryChildRun {
  durationMs: number;
  peakHeapBytes: number;
  docs: number;
  loop: LoopRun;
}

export type QueryChildMessage = QueryChildResult | MeasureFailure<{ variant: VariantName }>;
