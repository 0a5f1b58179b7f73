import type { Db } from 'mongodb';
import type { RunContext } from '../../lib/run-context.js';
import { CheckError, InputError } from '../../lib/errors.js';
import { readMark } from '../../lib/mongo/ownership.js';
import type { MongoTarget } from '../../lib/mongo/target.js';
import { windowStart } from '../../core/webim/profiles.js';
import { COLLECTIONS, WEBIM_COLLECTIONS } from '../../core/webim/schema.js';
import { receiptsInWindowFilter } from './queries.js';
import type { DatasetInfo } from '../../results/compare-unread.js';

/**
 * Seeds the demo profile into the embedded default (the seed engine, handed in by the command:
 * an engine never imports another); throws when the seed failed.
 */
export type SeedDemo = () => Promise<void>;

export interface DatasetChoice {
  user: string;
  userSource: 'given' | 'dataset-mark' | 'aggregation';
  anchor: Date;
  anchorSource: 'now' | 'dataset';
  windowStart: Date;
  info: DatasetInfo;
}

/**
 * Finds (or, on the embedded default, has `seedDemo` create) the WebIM data to measure and the
 * user to measure it for. Read-only on a user's database: the only write is seeding the embedded
 * default when it holds no WebIM data yet.
 */
export async function chooseDataset(
  target: MongoTarget,
  request: { user: string; windowMonths: number },
  ctx: RunContext,
  seedDemo: SeedDemo,
  now = new Date(),
): Promise<DatasetChoice> {
  const { db } = target;
  let seededNow = false;
  const missing = await missingCollections(db);
  if (missing.length > 0) {
    if (!target.embedded) {
      throw new CheckError(
        `${target.displayUri} database '${target.dbName}' has no WebIM data (missing ${missing.join(', ')}); seed it with \`npx imdiag seed --uri … --db ${target.dbName}\` or pick the right --db`,
      );
    }
    ctx.reporter.note(`compare-unread: no dataset in the embedded MongoDB yet; seeding the demo profile first (one time, into --db ${target.dbName})`);
    await seedDemo();
    seededNow = true;
  }

  const mark = await readMark(db);
  const recorded = (mark?.dataset as Record<string, unknown> | undefined) ?? null;
  // A database imdiag created (it has the mark) is complete only once seed recorded its dataset.
  // A user's own WebIM database has no mark and is taken as it is.
  if (mark) await refuseIncomplete(db, recorded, target);
  const recordedAnchor = typeof recorded?.anchor === 'string' ? new Date(recorded.anchor) : null;
  const anchor = recordedAnchor && !Number.isNaN(recordedAnchor.getTime()) ? recordedAnchor : now;
  const anchorSource = anchor === recordedAnchor ? 'dataset' : 'now';
  const start = windowStart(anchor, request.windowMonths);

  const { user, userSource } = await chooseUser(db, request.user, recorded);
  const [users, topics, msgs, readMsgs, readCursors] = await Promise.all(
    [COLLECTIONS.users, COLLECTIONS.topics, COLLECTIONS.msgs, COLLECTIONS.readMsgs, COLLECTIONS.readCursors].map((name) =>
      db.collection(name).estimatedDocumentCount(),
    ),
  );
  const [messagesReceived, receipts, receiptsInWindow] = await Promise.all([
    db.collection(COLLECTIONS.msgs).countDocuments({ receivers: user }),
    db.collection(COLLECTIONS.readMsgs).countDocuments({ userId: user }),
    db.collection(COLLECTIONS.readMsgs).countDocuments(receiptsInWindowFilter({ userId: user, windowStart: start })),
  ]);
  if (userSource === 'given' && messagesReceived === 0 && receipts === 0) {
    throw new InputError('user', `'${user}' received no messages and has no read receipts in --db ${target.dbName}; pass an existing user id or heaviest`, ' ');
  }
  return {
    user,
    userSource,
    anchor,
    anchorSource,
    windowStart: start,
    info: {
      seededNow,
      recorded,
      counts: { users: users!, topics: topics!, msgs: msgs!, readMsgs: readMsgs!, readCursors: readCursors! },
      user: { id: user, messagesReceived, receipts, receiptsInWindow },
    },
  };
}

/**
 * Half a dataset measures nothing the post-mortem describes (no readCursors, no indexes, a few
 * unread where the whole has more): refused, with the command that replaces it.
 */
async function refuseIncomplete(db: Db, recorded: Record<string, unknown> | null, target: MongoTarget): Promise<void> {
  const fix = `run \`npx imdiag seed --drop\` (same ${target.embedded ? '--data-dir' : '--uri'} and --db) to replace it`;
  if (recorded === null) {
    throw new InputError(
      'db',
      `${target.dbName} holds an incomplete dataset: an earlier seed did not finish (stopped or failed), so it has no dataset record; ${fix}`,
      ' ',
    );
  }
  const expected = recorded.documents as Record<string, number> | undefined;
  if (!expected) return;
  const short: string[] = [];
  for (const name of WEBIM_COLLECTIONS) {
    const want = expected[name];
    if (typeof want !== 'number') continue;
    const have = await db.collection(name).estimatedDocumentCount();
    if (have !== want) short.push(`${name} holds ${have.toLocaleString('en-US')} of ${want.toLocaleString('en-US')} documents`);
  }
  if (short.length > 0)
    throw new InputError('db', `${target.dbName} holds an incomplete dataset (${short.join(', ')}; the seed recorded more than is there); ${fix}`, ' ');
}

async function missingCollections(db: Db): Promise<string[]> {
  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  return WEBIM_COLLECTIONS.filter((name) => !present.has(name));
}

/** heaviest = most read receipts: from seed's mark when it recorded one, else one $group over readMsgs. */
async function chooseUser(db: Db, requested: string, recorded: Record<string, unknown> | null): Promise<Pick<DatasetChoice, 'user' | 'userSource'>> {
  if (requested !== 'heaviest') return { user: requested, userSource: 'given' };
  if (typeof recorded?.heavyUserId === 'string') return { user: recorded.heavyUserId, userSource: 'dataset-mark' };
  const [top] = await db
    .collection(COLLECTIONS.readMsgs)
    .aggregate<{ _id: string }>([{ $group: { _id: '$userId', receipts: { $sum: 1 } } }, { $sort: { receipts: -1, _id: 1 } }, { $limit: 1 }])
    .toArray();
  if (!top) throw new CheckError(`--db ${db.databaseName} has no read receipts, so there is no heaviest user; pass --user <id>`);
  return { user: top._id, userSource: 'aggregation' };
}
