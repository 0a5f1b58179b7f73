import { openCursor, toArrayCounted } from './cursor.js';
import type { QueryVariant } from './types.js';

/** `find().toArray()`: every document as the driver gives it, held at once. */
export const driver: QueryVariant = {
  name: 'driver',
  description: 'find().toArray(): documents as the driver gives them, all held at once',
  scaling: 'per-document',
  inapplicable: () => null,
  async run(ctx) {
    const { spec } = ctx;
    if (spec.mode === 'distinct') {
      const values = await ctx.db.collection(spec.collection).distinct(spec.field, spec.filter, { maxTimeMS: ctx.maxTimeMS });
      ctx.probe.docs(values.length);
      await ctx.atPeak();
      return values.length;
    }
    const documents = await toArrayCounted(openCursor(ctx.db, spec, ctx.maxTimeMS), ctx.probe);
    await ctx.atPeak();
    return documents.length;
  },
};
