import { COLLECTIONS, type MsgDoc, type ReadMsgDoc } from '../../../core/webim/schema.js';
import { findReceipts, findReceived, receiptsFilter, receivedFilter } from '../queries.js';
import { collect, unreadIds } from './difference.js';
import type { UnreadStrategy } from './types.js';

/** The original getUnreadMsgs: every message received, every receipt (whole documents), difference in memory. */
export const naive: UnreadStrategy = {
  name: 'naive',
  description: 'all received messages + all receipts, whole documents, difference in memory',
  stage: 'The original getUnreadMsgs',
  exact: true,
  queries: (p) => [findReceived(p), findReceipts(p)],
  async run(ctx) {
    const received = await collect(ctx.db.collection<MsgDoc>(COLLECTIONS.msgs).find(receivedFilter(ctx)), ctx.probe);
    const receipts = await collect(ctx.db.collection<ReadMsgDoc>(COLLECTIONS.readMsgs).find(receiptsFilter(ctx)), ctx.probe);
    await ctx.atPeak();
    return unreadIds(
      received,
      receipts.map((receipt) => receipt.msgId),
    );
  },
};
