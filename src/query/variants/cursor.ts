import type { AbstractCursor, Db, Document } from 'mongodb';
import type { QuerySpec } from '../spec.js';

/** The spec's cursor through the plain driver: what every driver-level variant sends. */
export function openCursor(db: Db, spec: Exclude<QuerySpec, { mode: 'distinct' }>, maxTimeMS: number, raw = false): AbstractCursor<Document> {
  const collection = db.collection(spec.collection);
  if (spec.mode === 'aggregate') {
    return collection.aggregate(spec.pipeline, { maxTimeMS, allowDiskUse: true, raw, ...(spec.batchSize && { batchSize: spec.batchSize }) });
  }
  return collection.find(spec.filter, {
    maxTimeMS,
    raw,
    ...(spec.projection && { projection: spec.projection }),
    ...(spec.sort && { sort: spec.sort }),
    ...(spec.limit && { limit: spec.limit }),
    ...(spec.batchSize && { batchSize: spec.batchSize }),
  });
}
