import { populateThroughModel } from './populate-run.js';
import type { QueryVariant } from './types.js';

const needsPopulate = (spec: Parameters<QueryVariant['inapplicable']>[0]) =>
  spec.mode !== 'find' ? `Mongoose populates find results only (a ${spec.mode} returns plain objects)` : spec.populate?.length ? null : 'needs --populate PATH';

/** Model.find().populate(PATH): hydrated parents and referenced documents, Mongoose's follow-up queries counted. */
export const mongoosePopulate: QueryVariant = {
  name: 'mongoose+populate',
  description: 'Model.find().populate(…): hydrated parents and referenced documents, follow-up queries counted',
  scaling: 'per-document',
  inapplicable: needsPopulate,
  run: (ctx) => populateThroughModel(ctx, false),
};

/** The same with `.lean()`: plain objects, referenced documents still shared per distinct id. */
export const leanPopulate: QueryVariant = {
  name: 'lean+populate',
  description: 'Model.find().populate(…).lean(): plain parents and referenced documents, follow-up queries counted',
  scaling: 'per-document',
  passHolds: false,
  inapplicable: needsPopulate,
  run: (ctx) => populateThroughModel(ctx, true),
};
