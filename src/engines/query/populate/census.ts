import type { Db, Document } from 'mongodb';
import type { PopulateTarget } from '../../../results/query-populate.js';
import type { QuerySpec } from '../spec.js';

/** One path over the whole result, counted on the server. */
export interface PopulateCensus {
  path: string;
  collection: string;
  /** Parents with at least one id in the path (Mongoose sends nothing for the others). */
  parents: number;
  distinctIds: number;
  /** Id references in all: an array path holds several per parent. */
  references: number;
}

/**
 * Per --populate path, on the server under maxTimeMS (read-only): the whole result's parents that
 * hold an id, its distinct ids and its id references, the figures Mongoose's split rule and the
 * referenced documents held depend on. `$unwind` takes a scalar as a one-element array.
 */
export async function populateCensus(db: Db, spec: Extract<QuerySpec, { mode: 'find' }>, targets: readonly PopulateTarget[], maxTimeMS: number) {
  const collection = db.collection(spec.collection);
  const base: Document[] = [
    { $match: spec.filter },
    ...(spec.sort && spec.limit ? [{ $sort: spec.sort }] : []),
    ...(spec.limit ? [{ $limit: spec.limit }] : []),
  ];
  const options = { maxTimeMS, allowDiskUse: true };
  const census: PopulateCensus[] = [];
  for (const target of targets) {
    const ids = await collection
      .aggregate<{ distinctIds: number; references: number }>(
        [
          ...base,
          { $project: { _id: 0, v: `$${target.path}` } },
          { $unwind: '$v' },
          { $match: { v: { $ne: null } } },
          { $group: { _id: '$v', n: { $sum: 1 } } },
          { $group: { _id: null, distinctIds: { $sum: 1 }, references: { $sum: '$n' } } },
        ],
        options,
      )
      .toArray();
    const parents = await collection
      .aggregate<{ n: number }>([...base, { $match: { [target.path]: { $exists: true, $nin: [null, []] } } }, { $count: 'n' }], options)
      .toArray();
    census.push({
      path: target.path,
      collection: target.collection,
      parents: parents[0]?.n ?? 0,
      distinctIds: ids[0]?.distinctIds ?? 0,
      references: ids[0]?.references ?? 0,
    });
  }
  return census;
}
