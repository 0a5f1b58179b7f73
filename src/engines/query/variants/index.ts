import { driver } from './driver.js';
import { lean } from './lean.js';
import { mongoose } from './mongoose.js';
import type { VariantName } from './names.js';
import { leanPopulate, mongoosePopulate } from './populate.js';
import { projection } from './projection.js';
import { raw } from './raw.js';
import { stream } from './stream.js';
import type { QueryVariant } from './types.js';

/** Every variant; adding one is a file and a line here. */
export const VARIANTS: Record<VariantName, QueryVariant> = {
  driver,
  stream,
  mongoose,
  lean,
  raw,
  projection,
  'mongoose+populate': mongoosePopulate,
  'lean+populate': leanPopulate,
};

export function variantNamed(name: VariantName): QueryVariant {
  return VARIANTS[name];
}
