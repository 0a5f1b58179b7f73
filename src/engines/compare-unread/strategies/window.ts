import { COLLECTIONS, type MsgDoc, type ReadMsgDoc } from '../../../core/webim/schema.js';
import { findReceiptsInWindow, findReceivedInWindow, receiptsInWindowFilter, receivedInWindowFilter } from '../queries.js';
import { collect, unreadIds } from './difference.js';
import type { UnreadStrategy } from './types.js';

/** Stage 1: only the last --window months (whole documents still). */
export const window: UnreadStrategy = {
  name: 'window',
  description: 'naive limited to the time window (readDateTime / sentAt), whole documents',
  stage: 'Stage 1: six-month window',
  exact: true,
  queries: (p) => [findReceivedInWindow(p), findReceiptsInWindow(p)],
  async run(ctx) {
    const received = await collect(ctx.db.collection<MsgDoc>(COLLECTIONS.msgs).find(receivedInWindowFilter(ctx)), ctx.probe);
    const receipts = await collect(ctx.db.collection<ReadMsgDoc>(COLLECTIONS.readMsgs).find(receiptsInWindowFilter(ctx)), ctx.probe);
    await ctx.atPeak();
    return unreadIds(
      received,
      receipts.map((receipt) => receipt.msgId),
    );
  },
};
