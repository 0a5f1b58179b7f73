import { capVerdict, type Prediction } from './predict.js';
import type { VariantOutcome } from './result.js';

/**
 * The driver's batch, a cost every variant pays while it reads. MongoDB caps a getMore reply at
 * 16 MiB of BSON, not at a number of documents, so a batch of small documents holds hundreds of
 * thousands of them. Driver 6+ parses a reply lazily: it keeps the reply's bytes and, for the batch
 * array and every document read out of it, a parsed element table and a cache entry, until the
 * cursor moves to the next batch. Measured here by the `stream` variant at the end of a batch (the
 * cursor still referenced): ~1.2 KB of V8 heap per document of the batch for the demo receipts
 * (177 MB for one 144,344-document batch), ~0.9 KB for `{msgId}` alone; a cursor `batchSize`
 * bounds it.
 */
export const MAX_REPLY_BSON_BYTES = 16 * 1024 * 1024;
/** A find's or aggregate's first batch without batchSize. */
export const DEFAULT_FIRST_BATCH = 101;
/** The batchSize the verdict suggests to bound the batch (its cost is quoted for it). */
export const SUGGESTED_BATCH_SIZE = 1000;

/** Documents in the largest batch of a result of `count` documents of `bsonPerDoc` bytes each. */
export function docsPerBatch(count: number, bsonPerDoc: number, batchSize?: number): number {
  const first = Math.min(count, batchSize ?? DEFAULT_FIRST_BATCH);
  const rest = count - first;
  if (rest <= 0) return count;
  const perBatch = batchSize ?? Math.max(1, Math.floor(MAX_REPLY_BSON_BYTES / Math.max(1, bsonPerDoc)));
  return Math.max(first, Math.min(rest, perBatch));
}

export interface BatchCost {
  /** Documents in the largest batch of the whole result. */
  docsPerBatch: number;
  /** Live memory of that batch while it is read (parse state on the heap + its BSON): stream's prediction. */
  bytes: number;
  heapBytes: number;
  /** Per document of the batch, as stream measured it. */
  perDocBytes: number;
  /** The same batch cost at SUGGESTED_BATCH_SIZE documents. */
  suggestedBatchBytes: number;
}

/** The batch cost from stream's prediction; null when stream was not measured. */
export function batchCost(variants: VariantOutcome[]): BatchCost | null {
  const stream = variants.find((v) => v.name === 'stream');
  if (!stream || stream.status !== 'ok' || !stream.prediction) return null;
  const p = stream.prediction;
  return {
    docsPerBatch: p.docs,
    bytes: p.liveBytes,
    heapBytes: p.heapBytes,
    perDocBytes: p.perDocBytes,
    suggestedBatchBytes: Math.round(p.perDocBytes * Math.min(SUGGESTED_BATCH_SIZE, p.docs)),
  };
}

/**
 * Under the cap, a variant that holds every document also holds the batch it is reading: its cap
 * verdict counts both (the batch's heap part; its BSON is a Buffer outside the heap).
 */
export function withBatch(outcome: VariantOutcome, batch: BatchCost | null, limitBytes: number): VariantOutcome {
  // projection reads other (smaller) documents, so other batches: stream's figure is not its own.
  if (!batch || outcome.status !== 'ok' || !outcome.prediction || outcome.name === 'stream' || outcome.name === 'projection') return outcome;
  const prediction: Prediction = outcome.prediction;
  return { ...outcome, cap: capVerdict(prediction, outcome.measurement.heapBeforeBytes + batch.heapBytes, limitBytes) };
}
