import { DEFAULT_FIRST_BATCH } from '../batch.js';
import { openCursor } from './cursor.js';
import type { QueryVariant } from './types.js';

/**
 * `for await` over the cursor, each document dropped once counted: what a streaming consumer holds,
 * which is one batch. Its peak point is the end of the first batch after the first (or of the
 * only one), the cursor still referenced: the driver then holds the whole reply and the parsed
 * state of every document read from it (src/query/batch.ts).
 */
export const stream: QueryVariant = {
  name: 'stream',
  description: 'for await over the cursor, each document dropped after it is counted (one batch held: its BSON and the driver’s parse state)',
  scaling: 'per-batch',
  inapplicable: (spec) => (spec.mode === 'distinct' ? 'a distinct reply is one document, not a cursor' : null),
  async run(ctx) {
    const { spec } = ctx;
    if (spec.mode === 'distinct') return 0;
    const firstBatch = spec.batchSize ?? DEFAULT_FIRST_BATCH;
    const cursor = openCursor(ctx.db, spec, ctx.maxTimeMS);
    let count = 0;
    let probed = false;
    for await (const _document of cursor) {
      count++;
      ctx.probe.docs(1);
      if (!probed && count > firstBatch && cursor.bufferedCount() === 0) {
        probed = true;
        ctx.details.batchDocs = count - firstBatch;
        await ctx.atPeak();
      }
    }
    if (!probed) {
      ctx.details.batchDocs = count;
      await ctx.atPeak();
    }
    // The cursor is referenced up to here, so that it holds its batch at the peak point.
    await cursor.close();
    return count;
  },
};
