/** Every variant `imdiag query` can measure, in the order of its table. */
export const VARIANT_NAMES = ['driver', 'stream', 'mongoose', 'lean', 'raw', 'projection'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];
