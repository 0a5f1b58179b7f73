import { UsageError } from '../../lib/errors.js';
import type { PopulateRequest } from '../../engines/query/populate/resolve.js';
import type { VariantName } from '../../engines/query/variants/names.js';
import { field } from './source.js';

export const POPULATE_VARIANTS: readonly VariantName[] = ['mongoose+populate', 'lean+populate'];

// A collection name: no $, no NUL, not empty (https://www.mongodb.com/docs/manual/reference/limits/#naming-restrictions).
const COLLECTION = /^[^$\0\s]+$/;

/**
 * --populate PATH[,PATH]: with --model each path's ref says where it points (PATH:collection
 * overrides it); without --model every path must say it (PATH:collection).
 */
export function parsePopulate(raw: string, hasModel: boolean): PopulateRequest[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError('--populate must list at least one path, e.g. msgId (with --model) or msgId:msgs');
  const requests = items.map((item): PopulateRequest => {
    const colon = item.indexOf(':');
    const path = field('--populate', colon < 0 ? item : item.slice(0, colon));
    const collection = colon < 0 ? null : item.slice(colon + 1).trim();
    if (collection !== null && !COLLECTION.test(collection))
      throw new UsageError(`--populate ${item}: '${collection}' is not a collection name (PATH:collection, e.g. msgId:msgs)`);
    if (collection === null && !hasModel)
      throw new UsageError(`--populate ${path}: without --model say which collection its ids point to, e.g. --populate ${path}:msgs`);
    return { path, collection };
  });
  const paths = requests.map((r) => r.path);
  const repeated = paths.find((path, i) => paths.indexOf(path) !== i);
  if (repeated) throw new UsageError(`--populate lists ${repeated} twice`);
  return requests;
}
