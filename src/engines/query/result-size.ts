import type { Db, Document } from 'mongodb';
import type { QuerySpec } from './spec.js';

/**
 * The query's size on the server, read-only and under maxTimeMS: documents and BSON bytes.
 * `$bsonSize` is MongoDB 4.4+; a server without it gives the count alone. Its plan: explain.ts.
 */
export async function resultSize(
  db: Db,
  spec: QuerySpec,
  maxTimeMS: number,
): Promise<{ count: number; bytes: number | null; source: 'countDocuments' | 'aggregate' | 'distinct'; note?: string }> {
  const collection = db.collection(spec.collection);
  if (spec.mode === 'distinct') {
    const values = await collection.distinct(spec.field, spec.filter, { maxTimeMS });
    return { count: values.length, bytes: null, source: 'distinct' };
  }
  const base = spec.mode === 'aggregate' ? spec.pipeline : findAsPipeline(spec);
  const sized = await groupTotal(db, spec.collection, base, maxTimeMS);
  if (spec.mode === 'find') {
    const count = await collection.countDocuments(spec.filter, { maxTimeMS, ...(spec.limit && { limit: spec.limit }) });
    return { count, bytes: sized.bytes, source: 'countDocuments', ...(sized.note && { note: sized.note }) };
  }
  return { count: sized.count, bytes: sized.bytes, source: 'aggregate', ...(sized.note && { note: sized.note }) };
}

function findAsPipeline(spec: Extract<QuerySpec, { mode: 'find' }>): Document[] {
  return [
    { $match: spec.filter },
    ...(spec.sort ? [{ $sort: spec.sort }] : []),
    ...(spec.limit ? [{ $limit: spec.limit }] : []),
    ...(spec.projection ? [{ $project: spec.projection }] : []),
  ];
}

export const NO_BSON_SIZE_NOTE = 'this server has no $bsonSize (MongoDB 4.4+): BSON bytes were not counted on the server';

/** Count and $bsonSize total of a pipeline's output, in one $group on the server (allowDiskUse). */
async function groupTotal(
  db: Db,
  collection: string,
  pipeline: Document[],
  maxTimeMS: number,
): Promise<{ count: number; bytes: number | null; note?: string }> {
  const options = { maxTimeMS, allowDiskUse: true };
  try {
    const [total] = await db
      .collection(collection)
      .aggregate([...pipeline, { $group: { _id: null, n: { $sum: 1 }, bytes: { $sum: { $bsonSize: '$$ROOT' } } } }], options)
      .toArray();
    return { count: Number(total?.n ?? 0), bytes: Number(total?.bytes ?? 0) };
  } catch (error) {
    if (!lacksBsonSize(error)) throw error;
    const [total] = await db
      .collection(collection)
      .aggregate([...pipeline, { $count: 'n' }], options)
      .toArray();
    return { count: Number(total?.n ?? 0), bytes: null, note: NO_BSON_SIZE_NOTE };
  }
}

/** MongoDB before 4.4 answers "Unrecognized expression '$bsonSize'" (code 168, InvalidPipelineOperator). */
export function lacksBsonSize(error: unknown): boolean {
  const { code, message } = error as { code?: number; message?: string };
  return code === 168 || /\$bsonSize/i.test(message ?? '');
}
