import type { Db, Document, ObjectId } from 'mongodb';
import { COLLECTIONS, type ReadCursorDoc, type TopicDoc } from '../../../core/webim/schema.js';
import type { QueryParams } from '../queries.js';
import { collect } from './difference.js';
import type { Probe, UnreadStrategy } from './types.js';

/**
 * The redesign the post-mortem proposes: one read position per (user, topic); unread = the
 * user's messages with a sequence above it. Topics whose last message is at or below the
 * cursor are skipped without touching msgs; the rest become one $or of (topicId, seq > cursor)
 * branches, each served by the topicId_1_seq_1 index.
 */
export function unreadFilter(userId: string, topics: Array<Pick<TopicDoc, '_id' | 'lastSeq'>>, cursors: Map<string, number>): Document | null {
  const branches = topics
    .map((topic) => ({ topicId: topic._id, after: cursors.get(topic._id) ?? 0, lastSeq: topic.lastSeq }))
    .filter((topic) => topic.lastSeq > topic.after)
    .map((topic) => ({ topicId: topic.topicId, seq: { $gt: topic.after } }));
  return branches.length === 0 ? null : { $or: branches, receivers: userId };
}

const topicsFilter = (p: QueryParams): Document => ({ participants: p.userId });

export const cursor: UnreadStrategy = {
  name: 'cursor',
  description: 'per-topic read cursors (readCursors): unread = seq above the cursor',
  stage: 'Redesign: read cursor per topic',
  exact: true,
  async queries(p, db) {
    const filter = await unreadFilterFor(db, p, silentProbe);
    return [
      { collection: COLLECTIONS.topics, operation: 'find', filter: topicsFilter(p), projection: TOPIC_FIELDS },
      { collection: COLLECTIONS.readCursors, operation: 'find', filter: { userId: p.userId }, projection: CURSOR_FIELDS },
      ...(filter ? [{ collection: COLLECTIONS.msgs, operation: 'find' as const, filter, projection: { _id: 1 } }] : []),
    ];
  },
  async run(ctx) {
    const filter = await unreadFilterFor(ctx.db, ctx, ctx.probe);
    if (!filter) return [];
    const unread = await collect(ctx.db.collection(COLLECTIONS.msgs).find<{ _id: ObjectId }>(filter, { projection: { _id: 1 } }), ctx.probe);
    await ctx.atPeak();
    return unread.map((message) => message._id.toHexString());
  },
};

const TOPIC_FIELDS = { _id: 1, lastSeq: 1 };
const CURSOR_FIELDS = { _id: 0, topicId: 1, lastReadSeq: 1 };
const silentProbe: Probe = { docs: () => undefined, sample: () => undefined };

async function unreadFilterFor(db: Db, p: QueryParams, probe: Probe): Promise<Document | null> {
  const [topics, cursors] = await Promise.all([
    collect(db.collection<TopicDoc>(COLLECTIONS.topics).find(topicsFilter(p), { projection: TOPIC_FIELDS }), probe),
    collect(db.collection<ReadCursorDoc>(COLLECTIONS.readCursors).find({ userId: p.userId }, { projection: CURSOR_FIELDS }), probe),
  ]);
  return unreadFilter(p.userId, topics, new Map(cursors.map((c) => [c.topicId, c.lastReadSeq])));
}
