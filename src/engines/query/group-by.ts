import { BSON, type Db, type Document } from 'mongodb';
import { docsPerBatch } from './batch.js';
import { mongooseCap } from './mongoose-cap.js';
import { capVerdict, rescale, type Prediction } from './predict.js';
import { lacksBsonSize, NO_BSON_SIZE_NOTE } from './result-size.js';
import type { GroupValue, MeasuredQuery, VariantOutcome } from '../../results/query.js';

export interface GroupCount {
  value: unknown;
  docs: number;
  bsonBytes: number | null;
}

/**
 * --group-by: one $group on the server (allowDiskUse, maxTimeMS) counting the documents and the
 * BSON bytes ($bsonSize) of each value of `field` among the filter's documents: who is heavy. The
 * top `top` by documents (bytes break ties); nothing but the counts comes back. Through a mongos
 * the shards group their own documents and a merger (mongos or a shard, whichever the router
 * picks) adds their partial sums: the totals are exact wherever the merge runs.
 */
export async function groupCounts(
  db: Db,
  collection: string,
  filter: Document,
  field: string,
  top: number,
  maxTimeMS: number,
): Promise<{ groups: GroupCount[]; note?: string }> {
  const options = { maxTimeMS, allowDiskUse: true };
  const run = (accumulators: Document, sort: Document) =>
    db
      .collection(collection)
      .aggregate([{ $match: filter }, { $group: { _id: `$${field}`, docs: { $sum: 1 }, ...accumulators } }, { $sort: sort }, { $limit: top }], options)
      .toArray();
  try {
    const rows = await run({ bytes: { $sum: { $bsonSize: '$$ROOT' } } }, { docs: -1, bytes: -1, _id: 1 });
    return { groups: rows.map((row) => ({ value: row._id, docs: Number(row.docs), bsonBytes: Number(row.bytes) })) };
  } catch (error) {
    if (!lacksBsonSize(error)) throw error;
    const rows = await run({}, { docs: -1, _id: 1 });
    return { groups: rows.map((row) => ({ value: row._id, docs: Number(row.docs), bsonBytes: null })), note: NO_BSON_SIZE_NOTE };
  }
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '(missing)';
  return typeof value === 'string' ? value : BSON.EJSON.stringify(value as Document, { relaxed: true });
}

type Measured = Extract<VariantOutcome, { status: 'ok' }> & { prediction: Prediction };

/**
 * A --group-by value's row: each measured variant's prediction carried to the value's `docs`, and
 * whether its heap part fits under the cap. Mongoose is judged as its own verdict is
 * (src/engines/query/mongoose-cap.ts): the earlier of reading like lean or driver with the
 * driver's batch at this size (src/engines/query/batch.ts) and hydrating while holding the plain
 * documents; the others by their documents alone.
 */
export function groupPredictions(query: MeasuredQuery, docs: number, limitBytes: number, batchSize?: number): GroupValue['predicted'] {
  const measured = query.variants.filter((v): v is Measured => v.status === 'ok' && v.prediction !== null && v.name !== 'stream');
  const at = (outcome: Measured): Measured => ({ ...outcome, prediction: rescale(outcome.prediction, docs) });
  const plain = ['lean', 'driver'].map((name) => measured.find((v) => v.name === name)).find(Boolean);
  return measured.map((outcome) => {
    const scaled = at(outcome);
    const fits =
      outcome.name === 'mongoose' && plain
        ? mongooseCap(scaled, at(plain), batchHeapAt(query, docs, batchSize), limitBytes).fits
        : capVerdict(scaled.prediction, outcome.measurement.heapBeforeBytes, limitBytes).fits;
    return { variant: outcome.name, liveBytes: scaled.prediction.liveBytes, fits };
  });
}

/** The heap of the driver's batch while a cursor reads a result of `docs` documents (0 when stream measured none). */
function batchHeapAt(query: MeasuredQuery, docs: number, batchSize?: number): number {
  const stream = query.variants.find((v) => v.name === 'stream');
  if (!query.batch || !stream || stream.status !== 'ok') return 0;
  const bsonPerDoc = stream.measurement.docs > 0 ? stream.measurement.bsonBytes / stream.measurement.docs : 0;
  return Math.round(query.batch.heapPerDocBytes * docsPerBatch(docs, bsonPerDoc, batchSize));
}
