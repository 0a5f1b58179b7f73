import { readFileSync } from 'node:fs';

/**
 * Nodes by constructor (object nodes) or kind ("(string)" for every string kind, "(native)",
 * "(code)"…), the obvious way: JSON.parse of the whole file, then a walk over the nodes. What
 * compare-unread's summariser did before it streamed (`git show 4fa0342:src/unread/heap-summary.ts`),
 * without its 512 MB cap (V8 cannot hold a longer string, so past that it fails): the baseline of
 * bench:heap-summary, and the reference the streaming reader is tested against on small snapshots.
 */
export function groupWholeSnapshot(path: string): Map<string, { count: number; selfSizeBytes: number }> {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const rows = new Map<string, { count: number; selfSizeBytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? 'unknown';
    const key =
      type === 'native'
        ? '(native)'
        : type === 'object'
          ? (snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '(unknown)')
          : type.includes('string')
            ? '(string)'
            : `(${type})`;
    const row = rows.get(key) ?? { count: 0, selfSizeBytes: 0 };
    row.count++;
    row.selfSizeBytes += snapshot.nodes[i + sizeAt]!;
    rows.set(key, row);
  }
  return rows;
}
