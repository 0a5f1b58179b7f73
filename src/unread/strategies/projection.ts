import type { ObjectId } from 'mongodb';
import { COLLECTIONS } from '../../seed/schema.js';
import { findReceiptsInWindow, findReceivedInWindow, ID_ONLY, MSG_ID_ONLY, receiptsInWindowFilter, receivedInWindowFilter } from '../queries.js';
import { collect, unreadIds } from './difference.js';
import type { UnreadStrategy } from './types.js';

/** Stage 2: window + only the ids cross the wire. */
export const projection: UnreadStrategy = {
  name: 'projection',
  description: 'window + projection to the message id only',
  stage: 'Stage 2: projection {_id: 0, msgId: 1}',
  exact: true,
  queries: (p) => [findReceivedInWindow(p, ID_ONLY), findReceiptsInWindow(p, MSG_ID_ONLY)],
  async run(ctx) {
    const received = await collect(
      ctx.db.collection(COLLECTIONS.msgs).find<{ _id: ObjectId }>(receivedInWindowFilter(ctx), { projection: ID_ONLY }),
      ctx.probe,
    );
    const receipts = await collect(
      ctx.db.collection(COLLECTIONS.readMsgs).find<{ msgId: ObjectId }>(receiptsInWindowFilter(ctx), { projection: MSG_ID_ONLY }),
      ctx.probe,
    );
    await ctx.atPeak();
    return unreadIds(
      received,
      receipts.map((receipt) => receipt.msgId),
    );
  },
};
