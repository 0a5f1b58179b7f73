/**
 * imdiag query never writes and never runs the user's JavaScript on the server: `$out` and
 * `$merge` write a collection; `$where`, `$function` and `$accumulator` run server-side JavaScript
 * (deprecated since MongoDB 8.0, and a way to do anything). Refused wherever they appear, nested
 * included ($lookup / $facet sub-pipelines, $expr).
 */
export const REFUSED_OPERATORS = ['$out', '$merge', '$where', '$function', '$accumulator'] as const;

/** Why `value` (a filter, projection or pipeline) is refused, or null when it only reads. */
export function writeRefusal(value: unknown): string | null {
  const found = findRefused(value, '');
  if (!found) return null;
  const why = found.operator === '$out' || found.operator === '$merge' ? 'writes to the database' : 'runs JavaScript on the server';
  return `${found.operator} (at ${found.path || 'the top'}) ${why}; imdiag query is read-only and refuses ${REFUSED_OPERATORS.join(', ')}`;
}

function findRefused(value: unknown, path: string): { operator: string; path: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findRefused(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  // BSON values (ObjectId, Date, Long…) hold no operators.
  if ('_bsontype' in value || value instanceof Date) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if ((REFUSED_OPERATORS as readonly string[]).includes(key)) return { operator: key, path: here };
    const found = findRefused(item, here);
    if (found) return found;
  }
  return undefined;
}
