import { runMeasuredChild, type ChildOptions, type MeasuredChildOutcome } from '../../core/measure/run-child.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';

export type QueryChildOptions = ChildOptions;
export type QueryChildOutcome = MeasuredChildOutcome<QueryChildMessage>;

/**
 * A sample child's young generation: one semi-space of SAMPLE_SEMI_SPACE_MB (Node's default grows
 * it to 16 MB). A timed run starts after a full GC with an empty young generation, so the first
 * semi-space of its allocation costs no scavenge; the whole result allocates hundreds of
 * semi-spaces and pays the steady state. A sample that allocates a few (or, raw's 10,001 Buffers,
 * less than one: no scavenge at all) misses that share of its CPU and of its batch's block. What a
 * scavenge costs a document is copying it (once, then promoting it), whatever the semi-space's
 * size; a small one only makes the sample reach the steady state (docs/benchmarks.md: raw at
 * 10,001 documents 1.9–2.1 µs per document with 16 MB, 2.6–4.1 with 1–4 MB, the whole result 3.9–4.5;
 * driver and Mongoose within their noise). The whole result's child (--full) keeps Node's default.
 */
export const SAMPLE_SEMI_SPACE_MB = 1;

/**
 * One variant in a fresh `node --expose-gc` child (child.ts) through the harness compare-unread's
 * strategies use; an OOM, a signal or a timeout comes back as a death with the documents seen before
 * it. A sample's child (`probeHalf`: the sample is not the whole result) measures under
 * SAMPLE_SEMI_SPACE_MB.
 */
export const runQueryChild = (config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> =>
  runMeasuredChild<QueryChildConfig, QueryChildMessage>(new URL('./child.js', import.meta.url), config, {
    ...options,
    ...(config.probeHalf && { v8Flags: [...(options.v8Flags ?? []), `--max-semi-space-size=${SAMPLE_SEMI_SPACE_MB}`] }),
  });
