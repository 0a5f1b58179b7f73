import { backpressure } from './backpressure.js';
import { interval } from './interval.js';
import { perMessage } from './per-message.js';
import type { PushStrategy } from './types.js';

/** The registry: adding a strategy is adding a file and a line here. */
export const STRATEGIES: readonly PushStrategy[] = [perMessage, interval, backpressure];

export const STRATEGY_NAMES: readonly string[] = STRATEGIES.map((strategy) => strategy.name);

export function strategyByName(name: string): PushStrategy | undefined {
  return STRATEGIES.find((strategy) => strategy.name === name);
}

export type { PushContext, PushHandle, PushStrategy } from './types.js';
