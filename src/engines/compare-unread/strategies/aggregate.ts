import type { Document, ObjectId } from 'mongodb';
import { COLLECTIONS } from '../../../core/webim/schema.js';
import { receiptsInWindowFilter, receivedInWindowFilter, type QueryParams } from '../queries.js';
import { collect } from './difference.js';
import type { UnreadStrategy } from './types.js';

/**
 * The difference computed by the server: the user's received ids in one group, the distinct
 * read ids joined in by an uncorrelated $lookup (MongoDB ≥ 3.6), $setDifference, one id per
 * output document. Both arrays live inside one document on the server, so they must fit the
 * 16 MB document cap (≈ 500,000 ids each) — far beyond one user's window.
 */
export function unreadPipeline(p: QueryParams): Document[] {
  return [
    { $match: receivedInWindowFilter(p) },
    { $group: { _id: null, received: { $push: '$_id' } } },
    {
      $lookup: {
        from: COLLECTIONS.readMsgs,
        pipeline: [{ $match: receiptsInWindowFilter(p) }, { $group: { _id: '$msgId' } }],
        as: 'read',
      },
    },
    { $project: { _id: 0, unread: { $setDifference: ['$received', '$read._id'] } } },
    { $unwind: '$unread' },
    { $project: { _id: '$unread' } },
  ];
}

export const aggregate: UnreadStrategy = {
  name: 'aggregate',
  description: 'the difference computed on the server ($lookup + $setDifference); only unread ids cross the wire',
  stage: 'Server-side difference (aggregation)',
  exact: true,
  queries: (p) => [{ collection: COLLECTIONS.msgs, operation: 'aggregate', pipeline: unreadPipeline(p) }],
  async run(ctx) {
    const unread = await collect(ctx.db.collection(COLLECTIONS.msgs).aggregate<{ _id: ObjectId }>(unreadPipeline(ctx)), ctx.probe);
    await ctx.atPeak();
    return unread.map((document) => document._id.toHexString());
  },
};
