import { capNotes, mongooseCap } from './mongoose-cap.js';
import { capVerdict, type Prediction } from './predict.js';
import type { VariantMeasurement, VariantOutcome } from '../../results/query.js';
import type { BatchCost } from '../../results/query-prediction.js';

/**
 * The driver's batch, a cost every variant pays while it reads. MongoDB caps a reply (the first
 * batch and every getMore) at 16 MiB of BSON, and a getMore without batchSize at nothing else, so
 * a batch of small documents holds hundreds of thousands of them. The Node driver parses a reply
 * lazily (since 2024: mongodb/node-mongodb-native#4085 and #4112; 7.9 here): it keeps the reply's
 * bytes and, for the batch array and every document read out of it, a parsed element table and a
 * cache entry, until the cursor moves to the next batch. Measured here by the `stream` variant at
 * the end of a batch (the cursor still referenced): ~1.2 KB of V8 heap per document of the batch
 * for the demo receipts (177 MB for one 144,344-document batch), ~0.9 KB for `{msgId}` alone
 * (`npm run bench:driver-batch`); a cursor `batchSize` bounds it.
 */
export const MAX_REPLY_BSON_BYTES = 16 * 1024 * 1024;
/** A find's or aggregate's first batch without batchSize. */
export const DEFAULT_FIRST_BATCH = 101;
/** The batchSize the verdict suggests to bound the batch (its cost is quoted for it). */
export const SUGGESTED_BATCH_SIZE = 1000;
/**
 * Fewer documents than this in the batch stream held, and its reading (well under 2 MB) is too close
 * to the heap's noise to be carried to a batch of 100,000: the cap verdicts then leave the batch out.
 */
export const MIN_MEASURED_BATCH_DOCS = 1000;

/** Documents in the largest batch of a result of `count` documents of `bsonPerDoc` bytes each. */
export function docsPerBatch(count: number, bsonPerDoc: number, batchSize?: number): number {
  const byBytes = Math.max(1, Math.floor(MAX_REPLY_BSON_BYTES / Math.max(1, bsonPerDoc)));
  const first = Math.min(count, batchSize ?? DEFAULT_FIRST_BATCH, byBytes);
  const rest = count - first;
  if (rest <= 0) return count;
  return Math.max(first, Math.min(rest, batchSize ?? Infinity, byBytes));
}

/**
 * Documents in the last batch of that result (the first batch, then full batches, then the rest):
 * Mongoose's whole-result pass runs in the same macrotask as the driver's reading of it.
 */
export function lastBatchDocs(count: number, bsonPerDoc: number, batchSize?: number): number {
  const byBytes = Math.max(1, Math.floor(MAX_REPLY_BSON_BYTES / Math.max(1, bsonPerDoc)));
  const first = Math.min(count, batchSize ?? DEFAULT_FIRST_BATCH, byBytes);
  const rest = count - first;
  if (rest <= 0) return count;
  const full = Math.min(batchSize ?? Infinity, byBytes);
  return rest % full === 0 ? full : rest % full;
}

/** The batch cost from stream's measurement; a note instead when there is none to carry to the whole result. */
export function batchCost(variants: VariantOutcome[]): { cost: BatchCost | null; note: string | null } {
  const stream = variants.find((v) => v.name === 'stream');
  const leftOut = 'the cap verdicts leave it out';
  if (!stream || stream.status !== 'ok' || !stream.prediction)
    return { cost: null, note: `the driver's batch (its BSON and parse state while a cursor reads it) was not measured: stream measures it; ${leftOut}` };
  const held = stream.measurement.batchDocs ?? 0;
  if (held < MIN_MEASURED_BATCH_DOCS && held < stream.prediction.docs)
    return {
      cost: null,
      note: `the driver's batch: stream held a batch of only ${held.toLocaleString('en-US')} documents (the sample's), too few to carry to the whole result's ${stream.prediction.docs.toLocaleString('en-US')}; raise --sample above ${(MIN_MEASURED_BATCH_DOCS + DEFAULT_FIRST_BATCH).toLocaleString('en-US')}; ${leftOut}`,
    };
  const p = stream.prediction;
  const heapPerDocBytes = p.docs > 0 ? p.heapBytes / p.docs : 0;
  return {
    cost: {
      docsPerBatch: p.docs,
      bytes: p.liveBytes,
      heapBytes: p.heapBytes,
      perDocBytes: p.perDocBytes,
      heapPerDocBytes,
      suggestedBatchBytes: Math.round(p.perDocBytes * Math.min(SUGGESTED_BATCH_SIZE, p.docs)),
    },
    note: null,
  };
}

type Measured = Extract<VariantOutcome, { status: 'ok' }> & { prediction: Prediction };

const bsonPerDoc = (m: VariantMeasurement) => (m.docs > 0 ? m.bsonBytes / m.docs : 0);

/**
 * Under the cap, what a variant holds at its worst moment besides its documents, for its cap
 * verdict (the heap part; the batch's BSON is a Buffer outside the heap):
 * - driver, lean, raw: the batch they are reading, on top of the documents read so far;
 * - projection: its own batches, larger in documents than stream's (smaller documents): its largest
 *   batch × stream's heap per document, an upper bound (fewer fields parse into less);
 * - mongoose: not counted here; its cap verdict is the earlier of reading and hydrating (mongoose-cap.ts).
 */
export function batchExtraHeap(outcome: VariantOutcome, batch: BatchCost, count: number, batchSize?: number): number {
  if (outcome.status !== 'ok' || !outcome.prediction) return 0;
  switch (outcome.name) {
    case 'stream':
    case 'mongoose':
      return 0;
    case 'projection':
      return Math.round(batch.heapPerDocBytes * docsPerBatch(count, bsonPerDoc(outcome.measurement), batchSize));
    default:
      return batch.heapBytes;
  }
}

/** The variant's cap verdict with what it holds besides its documents while it reads (batchExtraHeap, mongooseCap), and notes saying so. */
export function withBatch(
  outcome: VariantOutcome,
  variants: VariantOutcome[],
  batch: BatchCost | null,
  limitBytes: number,
  count: number,
  batchSize?: number,
): VariantOutcome {
  if (outcome.status !== 'ok' || !outcome.prediction || outcome.name === 'stream') return outcome;
  const measured = outcome as Measured;
  const plain = ['lean', 'driver']
    .map((name) => variants.find((v): v is Measured => v.name === name && v.status === 'ok' && v.prediction !== null))
    .find(Boolean);
  const notes = [...outcome.notes, ...capNotes(measured, variants, plain, batch?.heapBytes ?? 0)];
  if (outcome.name === 'mongoose')
    return plain ? { ...outcome, notes, cap: mongooseCap(measured, plain, batch?.heapBytes ?? 0, limitBytes) } : { ...outcome, notes };
  if (!batch) return notes.length === outcome.notes.length ? outcome : { ...outcome, notes };
  const extra = batchExtraHeap(outcome, batch, count, batchSize);
  return { ...outcome, notes, cap: capVerdict(outcome.prediction, outcome.measurement.heapBeforeBytes + extra, limitBytes) };
}

export type { BatchCost } from '../../results/query-prediction.js';
