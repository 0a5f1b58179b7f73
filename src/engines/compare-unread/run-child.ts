import { runMeasuredChild, type ChildOptions, type MeasuredChildOutcome } from '../../core/measure/run-child.js';
import type { ChildConfig, ChildMessage } from './protocol.js';

export type ChildOutcome = MeasuredChildOutcome<ChildMessage>;

/** One strategy in its own `node --expose-gc` child (child.ts), through the core's measuring-child runner. */
export const runChild = (config: Omit<ChildConfig, 'forkedAtNs'>, options: ChildOptions): Promise<ChildOutcome> =>
  runMeasuredChild<ChildConfig, ChildMessage>(new URL('./child.js', import.meta.url), config, options);
