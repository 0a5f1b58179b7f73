import type { Db, Document } from 'mongodb';
import { CheckError } from '../../lib/errors.js';
import type { RecordedSkip } from '../../results/query.js';
import { isImdiagOwn, type RecordedOperation } from './shape.js';
import { isWrite, SkipCounter } from './skipped.js';

/** Newest profiler entries read at most (system.profile is a capped collection; mongod's default is 1 MB). */
export const PROFILE_READ_LIMIT = 10_000;

/**
 * The profiler's entries of `db`: `system.profile` on the node the URI names (the profiler is per
 * node and not replicated, so this read goes to the primary or the one node named). A mongos has
 * no profiler; a database with the profiler off and no entries is told how to turn it on.
 */
export async function readProfile(db: Db, topology: string, maxTimeMS: number): Promise<{ operations: RecordedOperation[]; skipped: RecordedSkip[] }> {
  if (topology === 'mongos')
    throw new CheckError(
      `--from-profile: ${db.databaseName} is reached through a mongos, which has no profiler; point --uri at a shard's mongod (with directConnection=true) or use --from-log on its log`,
    );
  const level = await db.command({ profile: -1 }).catch(() => null);
  const entries = await db
    .collection('system.profile')
    .find({ op: { $in: ['query', 'getmore', 'command'] } }, { sort: { ts: -1 }, limit: PROFILE_READ_LIMIT, maxTimeMS, readPreference: 'primary' })
    .toArray();
  if (entries.length === 0) {
    const off = level && level.was === 0;
    throw new CheckError(
      `--from-profile: ${db.databaseName}.system.profile has no entries${off ? ' (the profiler is off)' : ''}; turn it on with db.setProfilingLevel(1, { slowms: 100 }) in mongosh (or mongod --profile 1), let the application run, then try again`,
    );
  }
  const skipped = new SkipCounter();
  const operations: RecordedOperation[] = [];
  for (const entry of entries.reverse()) {
    const operation = operationFromProfile(entry);
    if (!operation) skipped.add(isImdiagOwn(entry.appName) ? 'imdiag' : 'unparsable', typeof entry.ns === 'string' ? entry.ns : null);
    else if (isWrite(null, null, operation.command)) skipped.add('write', operation.ns);
    else operations.push(operation);
  }
  // Writes profiled as insert / update / remove entries: counted, by namespace, never read.
  const writes = await db
    .collection('system.profile')
    .aggregate<{ _id: string; n: number }>([{ $match: { op: { $in: ['insert', 'update', 'remove'] } } }, { $group: { _id: '$ns', n: { $sum: 1 } } }], {
      maxTimeMS,
      readPreference: 'primary',
    })
    .toArray();
  for (const write of writes) skipped.add('write', write._id, write.n);
  return { operations, skipped: skipped.list() };
}

export function operationFromProfile(entry: Document): RecordedOperation | null {
  const command = entry.command as Document | undefined;
  if (!command || typeof entry.ns !== 'string') return null;
  if (isImdiagOwn(entry.appName)) return null;
  const isGetMore = entry.op === 'getmore' || 'getMore' in command;
  const originating = entry.originatingCommand as Document | undefined;
  return {
    ns: entry.ns,
    command: isGetMore && originating ? originating : command,
    isGetMore,
    cursorId: entry.cursorid === undefined ? null : String(entry.cursorid),
    cursorExhausted: entry.cursorExhausted === true,
    nreturned: Number(entry.nreturned ?? 0),
    responseBytes: Number(entry.responseLength ?? 0),
    millis: Number(entry.millis ?? 0),
    planSummary: typeof entry.planSummary === 'string' ? entry.planSummary : null,
    appName: typeof entry.appName === 'string' ? entry.appName : null,
    nShards: null,
  };
}
