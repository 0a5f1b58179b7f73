import type { AbstractCursor, Db, Document } from 'mongodb';
import type { Probe } from '../../../core/measure/context.js';
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

/**
 * What the driver's `toArray()` does (`for await`, then the rest of the batch at once), counting
 * the documents batch by batch as they arrive, so that a death under the cap says how far it got.
 */
export async function toArrayCounted(cursor: AbstractCursor<Document>, probe: Probe): Promise<Document[]> {
  const documents: Document[] = [];
  for await (const document of cursor) {
    documents.push(document);
    const rest = cursor.readBufferedDocuments();
    for (const buffered of rest) documents.push(buffered);
    probe.docs(1 + rest.length);
  }
  return documents;
}
