export { VARIANT_NAMES, type VariantName } from '../../../results/query.js';
