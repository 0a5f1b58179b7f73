import { projection, projectedUnread } from './projection.js';
import type { UnreadStrategy } from './types.js';

/**
 * Documents per getMore reply. Without it a getMore is capped at 16 MiB of BSON, not at a count:
 * projected to `{msgId}` (~24 B each) a whole user's receipts fit in one batch, and the driver
 * keeps that batch's lazily parsed state (~870 B a document, driver 7.9) for as long as the cursor
 * reads it. 1000, as bloom streams with: small enough that the parse state stays under 1 MB,
 * large enough that the extra round trips stay a small part of the query.
 */
export const PROJECTION_BATCH_SIZE = 1000;

/** Stage 2 with a batch size: the same query as projection, to show what the driver's batch costs. */
export const projectionBatched: UnreadStrategy = {
  name: 'projection-batched',
  description: `projection with batchSize ${PROJECTION_BATCH_SIZE}: the driver keeps a batch's lazily parsed state while the cursor reads it, and a getMore batch is 16 MiB of BSON however small the documents`,
  stage: `Stage 2 + batchSize ${PROJECTION_BATCH_SIZE}`,
  exact: true,
  // The batch size changes how the replies are cut, not what the server examines or returns.
  queries: projection.queries,
  run: (ctx) => projectedUnread(ctx, { batchSize: PROJECTION_BATCH_SIZE }),
};
