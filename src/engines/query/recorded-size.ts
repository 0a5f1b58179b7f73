import { batchCost, docsPerBatch, withBatch } from './batch.js';
import { capVerdict, predict, rescale, type LiveReading, type Prediction } from './predict.js';
import type { AtRecordedSize, MeasuredQuery, RecordedSize, VariantOutcome } from '../../results/query.js';
import { variantNamed } from './variants/index.js';

/**
 * The recorded size against the data at hand: beyond these ratios the two differ clearly (a
 * restored copy of production, a staging database), and the record's size gets its own prediction.
 */
export const CLEARLY_DIFFERENT_DOCS = 1.2;
/** Production's bytes per document (reslen ÷ nreturned, reply envelopes included) against the data's BSON per document. */
export const CLEARLY_DIFFERENT_BYTES = 1.5;

/**
 * A measured query at the size its shape returned in the record: each variant's measured fixed and
 * per-document cost carried to the recorded documents (the same model as for the data at hand,
 * src/engines/query/predict.ts), its cap verdict at that size with the driver's batch at that size
 * (src/engines/query/batch.ts). Without a clear difference in documents, no second prediction.
 */
export function atRecordedSize(query: MeasuredQuery, size: RecordedSize, limitBytes: number, batchSize?: number): AtRecordedSize {
  const bytesPerDoc = size.docs > 0 ? size.bytes / size.docs : null;
  const dataBytesPerDoc = query.resultBsonBytes !== null && query.count > 0 ? query.resultBsonBytes / query.count : null;
  const ratio = query.count > 0 ? size.docs / query.count : null;
  const larger = ratio === null ? size.docs > 0 : ratio >= CLEARLY_DIFFERENT_DOCS;
  // "At least" a smaller size says nothing about the real one: only an exact sum can be clearly smaller.
  const smaller = ratio !== null && !size.atLeast && ratio <= 1 / CLEARLY_DIFFERENT_DOCS;
  const differs = query.mode !== 'distinct' && (larger || smaller);
  const unrepresentative =
    bytesPerDoc !== null &&
    dataBytesPerDoc !== null &&
    dataBytesPerDoc > 0 &&
    Math.max(bytesPerDoc / dataBytesPerDoc, dataBytesPerDoc / bytesPerDoc) >= CLEARLY_DIFFERENT_BYTES;
  return {
    size,
    bytesPerDoc,
    dataBytesPerDoc,
    ratio,
    differs,
    unrepresentative,
    variants: differs ? variantsAt(query.variants, size.docs, limitBytes, batchSize) : [],
  };
}

/** Every measured variant predicted for `docs` documents, with its cap verdict (the driver's batch counted) at that size. */
export function variantsAt(variants: readonly VariantOutcome[], docs: number, limitBytes: number, batchSize?: number): AtRecordedSize['variants'] {
  const scaled = variants.map((outcome): VariantOutcome => {
    if (outcome.status !== 'ok') return outcome;
    const prediction = predictionAt(outcome, docs, batchSize);
    return { ...outcome, prediction, cap: prediction ? capVerdict(prediction, outcome.measurement.heapBeforeBytes, limitBytes) : null };
  });
  const batch = batchCost(scaled).cost;
  return scaled.flatMap((outcome) => {
    if (outcome.status !== 'ok' || !outcome.prediction) return [];
    const capped = withBatch(outcome, scaled, batch, limitBytes, docs, batchSize);
    return [{ name: outcome.name, prediction: outcome.prediction, cap: capped.status === 'ok' ? capped.cap : null }];
  });
}

/** As src/engines/query/outcome.ts predicts for the whole result, from what the measurement kept. */
function predictionAt(outcome: Extract<VariantOutcome, { status: 'ok' }>, docs: number, batchSize?: number): Prediction | null {
  const m = outcome.measurement;
  if (!m.live) return null;
  if (variantNamed(outcome.name).scaling === 'per-document') return predictOrScale(m.liveHalf, m.live, docs);
  const held = m.batchDocs ?? m.live.docs;
  if (held === 0) return null;
  const bsonPerDoc = m.docs > 0 ? m.bsonBytes / m.docs : 0;
  return predictOrScale(null, { ...m.live, docs: held }, docsPerBatch(docs, bsonPerDoc, batchSize));
}

/** predict() returns the measured reading for a count within the sample; a smaller recorded size is scaled down from it instead. */
function predictOrScale(half: LiveReading | null, whole: LiveReading, docs: number): Prediction {
  return docs < whole.docs ? rescale(predict(half, whole, whole.docs), docs) : predict(half, whole, docs);
}
