import { runMeasuredChild, type ChildOptions, type MeasuredChildOutcome } from '../../core/measure/run-child.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';

export type QueryChildOptions = ChildOptions;
export type QueryChildOutcome = MeasuredChildOutcome<QueryChildMessage>;

/**
 * One variant in a fresh `node --expose-gc` child (child.ts) through the harness compare-unread's
 * strategies use; an OOM, a signal or a timeout comes back as a death with the documents seen before
 * it. A sample's child and the whole result's (--full) run under the same young generation, Node's
 * default: a sample's timed runs start with it half full (src/core/measure/settle.ts, halfFillYoung:
 * held filler for a variant that holds its result, garbage for a batch's), so that they pay their share of the scavenges the whole result pays. A 1 MB
 * semi-space used to force them: it paid a scavenge's fixed cost (the roots, the parallel
 * scavenger's tasks) ~14× as often per document as the whole result (docs/benchmarks.md).
 */
export const runQueryChild = (config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> =>
  runMeasuredChild<QueryChildConfig, QueryChildMessage>(new URL('./child.js', import.meta.url), config, options);
