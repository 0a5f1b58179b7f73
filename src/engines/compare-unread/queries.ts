import type { Document } from 'mongodb';
import type { PlannedQuery } from '../../core/measure/explain.js';
import { COLLECTIONS } from '../../core/webim/schema.js';

/**
 * The filters the strategies send, in one place so that the strategies and `explain` agree.
 * The window applies to both sides: a message sent before the window start can only have been
 * read after it was sent, and every unread message lies inside the window (schema.ts), so the
 * windowed strategies return the same set as the naive one.
 */
export interface QueryParams {
  userId: string;
  windowStart: Date;
}

export const receivedFilter = (p: QueryParams): Document => ({ receivers: { $in: [p.userId] } });
export const receivedInWindowFilter = (p: QueryParams): Document => ({ receivers: p.userId, sentAt: { $gt: p.windowStart } });
export const receiptsFilter = (p: QueryParams): Document => ({ userId: p.userId });
export const receiptsInWindowFilter = (p: QueryParams): Document => ({ userId: p.userId, readDateTime: { $gt: p.windowStart } });

export const findReceived = (p: QueryParams): PlannedQuery => ({ collection: COLLECTIONS.msgs, operation: 'find', filter: receivedFilter(p) });
export const findReceipts = (p: QueryParams): PlannedQuery => ({ collection: COLLECTIONS.readMsgs, operation: 'find', filter: receiptsFilter(p) });
export const findReceivedInWindow = (p: QueryParams, projection?: Document): PlannedQuery => ({
  collection: COLLECTIONS.msgs,
  operation: 'find',
  filter: receivedInWindowFilter(p),
  ...(projection && { projection }),
});
export const findReceiptsInWindow = (p: QueryParams, projection?: Document): PlannedQuery => ({
  collection: COLLECTIONS.readMsgs,
  operation: 'find',
  filter: receiptsInWindowFilter(p),
  ...(projection && { projection }),
});

export const ID_ONLY = { _id: 1 } as const;
export const MSG_ID_ONLY = { _id: 0, msgId: 1 } as const;

export type { PlannedQuery } from '../../core/measure/explain.js';
