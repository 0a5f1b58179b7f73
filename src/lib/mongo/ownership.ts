import type { Db } from 'mongodb';
import { UsageError } from '../errors.js';
import { IMDIAG_VERSION } from '../version.js';

/**
 * imdiag writes only to databases it created. Creating one leaves this mark; a database
 * that has collections but no mark belongs to someone else and is never written to.
 */
export const MARK_COLLECTION = 'imdiag_meta';
export const MARK_ID = 'imdiag-database';

export interface DatabaseMark {
  _id: typeof MARK_ID;
  createdBy: 'imdiag';
  imdiagVersion: string;
  createdAt: Date;
  /** What `seed` put there, once it finished (profile, seed, counts); absent while seeding. */
  dataset?: Record<string, unknown>;
}

export type ClaimOutcome = 'created' | 'existing' | 'recreated';

export async function readMark(db: Db): Promise<DatabaseMark | null> {
  return db.collection<DatabaseMark>(MARK_COLLECTION).findOne({ _id: MARK_ID });
}

/** True when the database has no collections at all (MongoDB creates databases lazily). */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections.length === 0;
}

/**
 * Makes `db` imdiag's to write to, or refuses. `drop` empties an imdiag database first, one
 * collection at a time: it never drops a database without the mark, and refuses one where a
 * person added collections of their own (anything but `ownCollections`, the mark and MongoDB's
 * own `system.*`, such as `system.profile`, which it leaves in place).
 */
export async function claimDatabase(db: Db, { drop, ownCollections = [] }: { drop: boolean; ownCollections?: readonly string[] }): Promise<ClaimOutcome> {
  const mark = await readMark(db);
  if (!mark) {
    if (!(await isEmptyDatabase(db))) {
      throw new UsageError(
        `--db ${db.databaseName}: that database already exists and imdiag did not create it (no ${MARK_COLLECTION} mark); imdiag writes only to its own databases, so choose another --db`,
      );
    }
    await writeMark(db);
    return 'created';
  }
  if (!drop) return 'existing';
  const present = (await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name);
  const own = new Set([...ownCollections, MARK_COLLECTION]);
  const foreign = present.filter((name) => !own.has(name) && !name.startsWith('system.')).sort();
  if (foreign.length > 0) {
    throw new UsageError(
      `--drop: --db ${db.databaseName} also holds collections imdiag did not create (${foreign.join(', ')}); imdiag drops only its own, so move those away or choose another --db`,
    );
  }
  for (const name of present) if (own.has(name)) await db.collection(name).drop();
  await writeMark(db);
  return 'recreated';
}

async function writeMark(db: Db): Promise<void> {
  await db.collection<DatabaseMark>(MARK_COLLECTION).insertOne({
    _id: MARK_ID,
    createdBy: 'imdiag',
    imdiagVersion: IMDIAG_VERSION,
    createdAt: new Date(),
  });
}

export async function recordDataset(db: Db, dataset: Record<string, unknown>): Promise<void> {
  await db.collection<DatabaseMark>(MARK_COLLECTION).updateOne({ _id: MARK_ID }, { $set: { dataset } });
}
