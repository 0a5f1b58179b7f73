import { openCursor } from './cursor.js';
import type { QueryVariant } from './types.js';

/** The cursor's default first batch (101 documents): the live probe is taken once the next batch has arrived. */
const FIRST_BATCH = 101;

/** `for await` over the cursor, each document dropped once counted: what a streaming consumer holds (one batch). */
export const stream: QueryVariant = {
  name: 'stream',
  description: 'for await over the cursor, each document dropped after it is counted',
  scaling: 'constant',
  inapplicable: (spec) => (spec.mode === 'distinct' ? 'a distinct reply is one document, not a cursor' : null),
  async run(ctx) {
    const { spec } = ctx;
    if (spec.mode === 'distinct') return 0;
    const probeAt = (spec.batchSize ?? FIRST_BATCH) + 1;
    let count = 0;
    let probed = false;
    for await (const _document of openCursor(ctx.db, spec, ctx.maxTimeMS)) {
      count++;
      ctx.probe.docs(1);
      if (count === probeAt) {
        probed = true;
        await ctx.atPeak();
      }
    }
    if (!probed) await ctx.atPeak();
    return count;
  },
};
