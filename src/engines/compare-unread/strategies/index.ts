import type { StrategyName } from '../../../results/compare-unread.js';
import { aggregate } from './aggregate.js';
import { bloom } from './bloom.js';
import { cursor } from './cursor.js';
import { distinct } from './distinct.js';
import { naiveMongoose } from './naive-mongoose.js';
import { naive } from './naive.js';
import { projectionBatched } from './projection-batched.js';
import { projection } from './projection.js';
import type { UnreadStrategy } from './types.js';
import { window } from './window.js';

/** Every strategy, in the post-mortem's order; adding one is a file and a line here. */
export const STRATEGIES: Record<StrategyName, UnreadStrategy> = {
  naive,
  'naive-mongoose': naiveMongoose,
  window,
  projection,
  'projection-batched': projectionBatched,
  distinct,
  aggregate,
  cursor,
  bloom,
};

export function strategyNamed(name: StrategyName): UnreadStrategy {
  return STRATEGIES[name];
}
