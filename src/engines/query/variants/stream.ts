import { openCursor } from './cursor.js';
import type { QueryVariant } from './types.js';

/**
 * `for await` over the cursor, each document dropped once counted: what a streaming consumer holds,
 * which is one batch. Its peak point is the end of a batch, the cursor still referenced: the driver
 * then holds the whole reply and the parsed state of every document read from it
 * (src/engines/query/batch.ts). It takes the end of the first getMore batch, or of the first batch when the
 * server said that one was the last (cursor id 0). A server may leave a cursor open after the last
 * document and answer the next getMore with an empty batch: then there is no batch left to measure
 * and `batchDocs` says 0.
 */
export const stream: QueryVariant = {
  name: 'stream',
  description: 'for await over the cursor, each document dropped after it is counted (one batch held: its BSON and the driver’s parse state)',
  scaling: 'per-batch',
  inapplicable: (spec) => (spec.mode === 'distinct' ? 'a distinct reply is one document, not a cursor' : null),
  async run(ctx) {
    const { spec } = ctx;
    if (spec.mode === 'distinct') return 0;
    const cursor = openCursor(ctx.db, spec, ctx.maxTimeMS);
    let count = 0;
    let batchStart = 0;
    let batchEnds = 0;
    let probed = false;
    for await (const _document of cursor) {
      count++;
      ctx.probe.docs(1);
      if (probed || cursor.bufferedCount() !== 0) continue;
      batchEnds++;
      if (batchEnds >= 2 || cursor.id?.isZero()) {
        probed = true;
        ctx.details.batchDocs = count - batchStart;
        await ctx.atPeak();
      }
      batchStart = count;
    }
    if (!probed) {
      ctx.details.batchDocs = 0;
      await ctx.atPeak();
    }
    // The cursor is referenced up to here, so that it holds its batch at the peak point.
    await cursor.close();
    return count;
  },
};
