import { MongoServerError, type ObjectId } from 'mongodb';
import { COLLECTIONS } from '../../../core/webim/schema.js';
import { findReceivedInWindow, ID_ONLY, receiptsInWindowFilter, receivedInWindowFilter, type QueryParams } from '../queries.js';
import { collect, unreadIds } from './difference.js';
import type { StrategyContext, UnreadStrategy } from './types.js';

/**
 * 17217: the code of "distinct too big, 16mb cap" — a distinct reply is one BSON document and
 * must fit in the 16 MB document cap; then the same set is streamed through `$group` instead.
 */
const DISTINCT_TOO_BIG = 17217;

const groupPipeline = (p: QueryParams) => [{ $match: receiptsInWindowFilter(p) }, { $group: { _id: '$msgId' } }];

/** Stage 4: distinct('msgId') instead of find — one id per message, not one per receipt. */
export const distinct: UnreadStrategy = {
  name: 'distinct',
  description: "window + distinct('msgId') ($group fallback past the 16 MB reply cap)",
  stage: "Stage 4: distinct('msgId', …)",
  exact: true,
  queries: (p) => [
    findReceivedInWindow(p, ID_ONLY),
    { collection: COLLECTIONS.readMsgs, operation: 'distinct', key: 'msgId', filter: receiptsInWindowFilter(p) },
  ],
  async run(ctx) {
    const received = await collect(
      ctx.db.collection(COLLECTIONS.msgs).find<{ _id: ObjectId }>(receivedInWindowFilter(ctx), { projection: ID_ONLY }),
      ctx.probe,
    );
    const read = await readMsgIds(ctx);
    await ctx.atPeak();
    return unreadIds(received, read);
  },
};

async function readMsgIds(ctx: StrategyContext): Promise<ObjectId[]> {
  const readMsgs = ctx.db.collection(COLLECTIONS.readMsgs);
  try {
    const ids = (await readMsgs.distinct('msgId', receiptsInWindowFilter(ctx))) as ObjectId[];
    ctx.probe.docs(ids.length);
    ctx.details.distinct = { fallback: false };
    return ids;
  } catch (error) {
    if (!isDistinctTooBig(error)) throw error;
    const reason = `distinct reply over the 16 MB BSON cap (${(error as Error).message}); used $group instead`;
    ctx.details.distinct = { fallback: true, reason };
    ctx.note(reason);
    const groups = await collect(readMsgs.aggregate<{ _id: ObjectId }>(groupPipeline(ctx)), ctx.probe);
    return groups.map((group) => group._id);
  }
}

export function isDistinctTooBig(error: unknown): boolean {
  if (error instanceof MongoServerError && error.code === DISTINCT_TOO_BIG) return true;
  return error instanceof Error && /distinct too big/i.test(error.message);
}
