import type { FindOptions, ObjectId } from 'mongodb';
import { COLLECTIONS } from '../../../core/webim/schema.js';
import { findReceiptsInWindow, findReceivedInWindow, ID_ONLY, MSG_ID_ONLY, receiptsInWindowFilter, receivedInWindowFilter } from '../queries.js';
import { collect, unreadIds } from './difference.js';
import type { StrategyContext, UnreadStrategy } from './types.js';

/** Window + only the ids; `cursorOptions` is what projection-batched changes (its batch size). */
export async function projectedUnread(ctx: StrategyContext, cursorOptions: FindOptions = {}): Promise<string[]> {
  const received = await collect(
    ctx.db.collection(COLLECTIONS.msgs).find<{ _id: ObjectId }>(receivedInWindowFilter(ctx), { ...cursorOptions, projection: ID_ONLY }),
    ctx.probe,
  );
  const receipts = await collect(
    ctx.db.collection(COLLECTIONS.readMsgs).find<{ msgId: ObjectId }>(receiptsInWindowFilter(ctx), { ...cursorOptions, projection: MSG_ID_ONLY }),
    ctx.probe,
  );
  await ctx.atPeak();
  return unreadIds(
    received,
    receipts.map((receipt) => receipt.msgId),
  );
}

/** Stage 2: window + only the ids cross the wire. */
export const projection: UnreadStrategy = {
  name: 'projection',
  description: 'window + projection to the message id only',
  stage: 'Stage 2: projection {_id: 0, msgId: 1}',
  exact: true,
  queries: (p) => [findReceivedInWindow(p, ID_ONLY), findReceiptsInWindow(p, MSG_ID_ONLY)],
  run: (ctx) => projectedUnread(ctx),
};
