import { runMeasuredChild, type ChildOptions, type MeasuredChildOutcome } from '../../core/measure/run-child.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';

export type QueryChildOptions = ChildOptions;
export type QueryChildOutcome = MeasuredChildOutcome<QueryChildMessage>;

/**
 * One variant in a fresh `node --expose-gc` child (child.ts) through the harness compare-unread's
 * strategies use; an OOM, a signal or a timeout comes back as a death with the documents seen before it.
 */
export const runQueryChild = (config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> =>
  runMeasuredChild<QueryChildConfig, QueryChildMessage>(new URL('./child.js', import.meta.url), config, options);
