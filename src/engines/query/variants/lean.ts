import { onlyFind } from './mongoose.js';
import { findThroughModel } from './mongoose-model.js';
import type { QueryVariant } from './types.js';

/** The same Mongoose query with `.lean()`: plain objects, no hydration. */
export const lean: QueryVariant = {
  name: 'lean',
  description: 'Model.find().lean(): the same query, plain objects',
  scaling: 'per-document',
  passHolds: false,
  inapplicable: (spec) => onlyFind(spec.mode),
  run: (ctx) => findThroughModel(ctx, true),
};
