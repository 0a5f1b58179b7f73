import { summariseLatency, summariseLoop } from '../../core/measure/stats.js';
import { docsPerBatch, lastBatchDocs } from './batch.js';
import { predictLoop, type LoopModelInput } from './loop-predict.js';
import type { LoopPrediction } from '../../results/query-prediction.js';
import { capVerdict, liveOf, predict, type Prediction } from './predict.js';
import type { QueryChildResult } from './protocol.js';
import type { FullReplay, VariantMeasurement, VariantOutcome } from '../../results/query.js';
import type { QueryChildOutcome } from './run-child.js';
import type { QueryVariant } from './variants/types.js';

/** A variant's child outcome as the result reports it, with its prediction for `count` documents under `limitBytes` of heap. */
export function variantOutcome(variant: QueryVariant, child: QueryChildOutcome, count: number, limitBytes: number, batchSize?: number): VariantOutcome {
  const base = { name: variant.name, description: variant.description, notes: [] as string[], prediction: null, replay: null };
  if (child.kind === 'death') return { ...base, status: child.oom ? 'oom' : 'crashed', reason: child.death.summary, death: child.death };
  const { message } = child;
  if (message.type === 'skipped') return { ...base, status: 'skipped', reason: message.reason };
  if (message.type === 'error') return { ...base, status: 'error', reason: `${message.message} (after ${message.docsBeforeError} documents)` };
  if (message.runs.length === 0) return { ...base, status: 'error', reason: 'no measured run took measurable time', notes: message.notes };
  const measurement = measurementFrom(message);
  const prediction = message.live ? predictFor(variant, message, count, batchSize) : null;
  const notes =
    message.live && !prediction ? [...message.notes, 'no batch was held at its peak point (the last reply was empty): nothing to predict from'] : message.notes;
  return {
    ...base,
    status: 'ok',
    measurement,
    prediction,
    loopPrediction: loopFor(variant, message, count, { batchSize, wholeHeapBytes: prediction?.heapBytes ?? null }),
    cap: prediction ? capVerdict(prediction, message.heapBeforeBytes, limitBytes) : null,
    replay: null,
    notes,
    ...(message.schema && { schema: message.schema }),
  };
}

/**
 * per-document: the sample's cost per document × the whole result's documents. per-batch (stream):
 * the cost per document of the batch it held × the documents of the whole result's largest batch
 * (its BSON per document from the sample's replies); `docs` is then that batch's.
 */
export function predictFor(variant: QueryVariant, message: QueryChildResult, count: number, batchSize?: number): Prediction | null {
  const live = message.live!;
  if (variant.scaling === 'per-document') return predict(message.liveHalf, live, count);
  const heldDocs = message.batchDocs ?? live.docs;
  // The server's last reply was empty: no batch was held to measure.
  if (heldDocs === 0) return null;
  const bsonPerDoc = message.docsReceived > 0 ? message.bytesReceived / message.docsReceived : 0;
  return predict(null, { ...live, docs: heldDocs }, docsPerBatch(count, bsonPerDoc, batchSize));
}

/** What loopFor takes besides the sample: the query's --batch-size, a populate's follow-up, the whole result's predicted heap. */
export interface LoopForOptions {
  batchSize?: number | undefined;
  followUp?: LoopModelInput['followUp'];
  wholeHeapBytes?: number | null;
}

/**
 * Blocked time and CPU for `count` documents: from the sample's timed runs and its first half's
 * (loop-predict.ts); a per-batch block scales from the sample's largest reply to the whole result's
 * largest batch, and the whole-result pass follows its last batch (batch.ts).
 */
export function loopFor(
  variant: QueryVariant,
  message: QueryChildResult,
  count: number,
  { batchSize, followUp, wholeHeapBytes = null }: LoopForOptions = {},
): LoopPrediction | null {
  const docs = message.runs.at(-1)?.docs ?? 0;
  const halfDocs = message.halfRuns[0]?.docs ?? 0;
  const bsonPerDoc = message.docsReceived > 0 ? message.bytesReceived / message.docsReceived : 0;
  return predictLoop({
    whole: { docs, runs: message.runs.map((run) => run.loop) },
    half: message.halfRuns.length > 0 ? { docs: halfDocs, runs: message.halfRuns.map((run) => run.loop) } : null,
    count,
    sampleBatchDocs: message.largestBatchDocs,
    wholeBatchDocs: docsPerBatch(count, bsonPerDoc, batchSize),
    wholeLastBatchDocs: lastBatchDocs(count, bsonPerDoc, batchSize),
    ...(followUp && { followUp }),
    passHolds: variant.passHolds !== false,
    wholeHeapBytes,
  });
}

/** The note withLoopNotes adds; `--full` ran or not. */
export function largeHeapNote(full: boolean): string {
  return (
    'its blocked time is known only loosely: a pass that keeps what it creates over a heap predicted at 1 GiB or more collects more ' +
    'per document than a sample shows (a growing old generation, a mark-compact inside the pass), so its range reaches up to 3× ' +
    `the point${full ? '' : '; --full measures it'}`
  );
}

/**
 * The outcome with a note when its blocked time is known only loosely: a pass that keeps what it
 * creates over a heap of 1 GiB or more (LoopPrediction.largeHeapPass, loop-band.ts). Applied to the
 * outcome as it is final (a populate's is predicted again, over its parents' heap); once. `full`:
 * --full runs the whole result after the samples, and the note does not send the reader to it.
 */
export function withLoopNotes(outcome: VariantOutcome, full: boolean): VariantOutcome {
  if (outcome.status !== 'ok' || !outcome.loopPrediction?.largeHeapPass) return outcome;
  const note = largeHeapNote(full);
  return outcome.notes.includes(note) ? outcome : { ...outcome, notes: [...outcome.notes, note] };
}

function measurementFrom(message: QueryChildResult): VariantMeasurement {
  const docs = message.runs.at(-1)!.docs;
  const liveBytes = message.live ? liveOf(message.live) : null;
  const peak = Math.max(...message.runs.map((run) => run.peakHeapBytes));
  return {
    runs: message.runs.length,
    warmupRuns: message.warmupRuns,
    docs,
    bsonBytes: message.bytesReceived,
    latency: summariseLatency(message.runs.map((run) => run.durationMs)),
    heapBeforeBytes: message.heapBeforeBytes,
    peakHeapGrowthBytes: Math.max(0, peak - message.heapBeforeBytes),
    live: message.live,
    liveHalf: message.liveHalf,
    liveBytes,
    // stream: per document of the batch it held.
    bytesPerDoc: liveBytes !== null && (message.batchDocs ?? docs) > 0 ? liveBytes / (message.batchDocs ?? docs) : null,
    // stream holds one batch, not the sample whose BSON was counted: no multiplier.
    bsonMultiplier: liveBytes !== null && message.bytesReceived > 0 && message.batchDocs === undefined ? liveBytes / message.bytesReceived : null,
    ...(message.batchDocs !== undefined && { batchDocs: message.batchDocs }),
    peakRssBytes: message.peakRssBytes,
    loop: summariseLoop(message.runs.map((run) => run.loop)),
    loopHalf: loopHalf(message),
    harness: { spawnMs: Math.round(message.spawnMs * 10) / 10, connectMs: Math.round(message.connectMs * 10) / 10 },
  };
}

/** --full: what the variant held over the whole result, or how it died. */
export function fullReplay(child: QueryChildOutcome): FullReplay {
  if (child.kind === 'death')
    return {
      status: child.oom ? 'oom' : 'crashed',
      reason: child.death.summary,
      docsBeforeDeath: child.death.docsBeforeDeath,
      stderrTail: child.death.stderrTail,
    };
  const { message } = child;
  if (message.type === 'skipped') return { status: 'skipped', reason: message.reason, docsBeforeDeath: null };
  if (message.type === 'error') return { status: 'error', reason: message.message, docsBeforeDeath: message.docsBeforeError };
  const run = message.runs.at(-1);
  return {
    status: 'ok',
    docs: run?.docs ?? message.live?.docs ?? 0,
    liveBytes: message.live ? liveOf(message.live) : null,
    live: message.live,
    peakHeapGrowthBytes: Math.max(0, Math.max(0, ...message.runs.map((r) => r.peakHeapBytes)) - message.heapBeforeBytes),
    durationMs: run?.durationMs ?? 0,
    loop: run?.loop ?? null,
    notes: message.notes,
  };
}

function loopHalf(message: QueryChildResult): VariantMeasurement['loopHalf'] {
  const summary = summariseLoop(message.halfRuns.map((run) => run.loop));
  return summary && { docs: message.halfRuns[0]!.docs, summary };
}
