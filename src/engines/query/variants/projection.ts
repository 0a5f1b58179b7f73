import { driver } from './driver.js';
import type { QueryVariant } from './types.js';

/** The driver variant on the query projected to --suggest-projection's fields (the parent projects the spec). */
export const projection: QueryVariant = {
  ...driver,
  name: 'projection',
  description: 'find(filter, projection).toArray(): the same query projected to --suggest-projection',
  inapplicable: (spec) => (spec.mode === 'distinct' ? 'a distinct reply holds one field already' : null),
};
