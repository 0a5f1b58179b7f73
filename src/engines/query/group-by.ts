import { BSON, type Db, type Document } from 'mongodb';
import { lacksBsonSize, NO_BSON_SIZE_NOTE } from './result-size.js';

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
