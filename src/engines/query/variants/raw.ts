import { openCursor, toArrayCounted } from './cursor.js';
import type { QueryVariant } from './types.js';

/**
 * The driver's `raw: true`: each document stays a Buffer of its BSON bytes, the floor for holding
 * everything. Those bytes live outside the V8 heap (`external` / `arrayBuffers`), so a heap cap
 * (--max-old-space-size) does not limit them: only RSS does.
 */
export const raw: QueryVariant = {
  name: 'raw',
  description: 'raw: true, documents as BSON Buffers (outside the V8 heap: a heap cap does not limit them)',
  scaling: 'per-document',
  inapplicable: (spec) =>
    spec.mode === 'distinct' ? 'distinct() has no raw form: its values come in one reply that the driver always parses (driver measures them)' : null,
  async run(ctx) {
    const { spec } = ctx;
    if (spec.mode === 'distinct') return 0;
    const documents = await toArrayCounted(openCursor(ctx.db, spec, ctx.maxTimeMS, true), ctx.probe);
    await ctx.atPeak();
    return documents.length;
  },
};
