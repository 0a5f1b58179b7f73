import { findThroughModel } from './mongoose-model.js';
import type { QueryVariant } from './types.js';

export const onlyFind = (mode: string) => (mode === 'find' ? null : `Mongoose hydrates find results only (a ${mode} returns plain objects)`);

/** Hydrated Mongoose documents (no lean): the team's model (--model) or a schema inferred from a sample. */
export const mongoose: QueryVariant = {
  name: 'mongoose',
  description: 'Model.find(): hydrated Mongoose documents (no lean)',
  scaling: 'per-document',
  inapplicable: (spec) => onlyFind(spec.mode),
  run: (ctx) => findThroughModel(ctx, false),
};
