import { readFileSync, statSync } from 'node:fs';
import type { HeapSnapshotReport } from './result.js';

/** Beyond this the snapshot is reported (path, size) but not parsed: JSON.parse would need several times its size. */
export const MAX_PARSED_SNAPSHOT_BYTES = 512 * 1024 * 1024;
const TOP = 10;
/** Off-heap memory V8 tracks in the snapshot (ArrayBuffer data): outside heapUsed, so outside the ranking. */
const NATIVE = '(native)';

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/**
 * Top retainers by constructor from a .heapsnapshot: self size (the node's own bytes, what
 * DevTools' "Shallow Size" column shows) and count per constructor name, for object
 * nodes; other node kinds are grouped by type as DevTools does ("(string)", "(array)", …).
 * Retained sizes would need the dominator tree; they are not computed.
 */
export function summariseSnapshot(path: string, writer: HeapSnapshotReport['writer']): HeapSnapshotReport {
  const sizeBytes = statSync(path).size;
  const base = { path, sizeBytes, writer, computed: 'self (shallow) size and count per constructor over JS heap nodes; retained sizes not computed' };
  if (sizeBytes > MAX_PARSED_SNAPSHOT_BYTES) {
    return { ...base, computed: `not summarised: the snapshot is over ${MAX_PARSED_SNAPSHOT_BYTES / 1024 / 1024} MB; open it in Chrome DevTools`, totalSelfSizeBytes: 0, topByConstructor: [] };
  }
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as SnapshotJson;
  const rows = groupByConstructor(snapshot);
  const native = rows.get(NATIVE);
  rows.delete(NATIVE);
  const totalSelfSizeBytes = [...rows.values()].reduce((total, row) => total + row.selfSizeBytes, 0);
  const computed = `${base.computed}; native nodes (ArrayBuffer backing stores and the like, ${Math.round((native?.selfSizeBytes ?? 0) / 1024)} KB) left out, as heapUsed leaves them out`;
  const topByConstructor = [...rows.entries()]
    .map(([constructor, row]) => ({ constructor, ...row }))
    .sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)
    .slice(0, TOP);
  return { ...base, computed, totalSelfSizeBytes, topByConstructor };
}

export function groupByConstructor(snapshot: SnapshotJson): Map<string, { count: number; selfSizeBytes: number }> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const rows = new Map<string, { count: number; selfSizeBytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? 'unknown';
    const key = type === 'native' ? NATIVE : type === 'object' ? (snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '(unknown)') : /string/.test(type) ? '(string)' : `(${type})`;
    const row = rows.get(key) ?? { count: 0, selfSizeBytes: 0 };
    row.count++;
    row.selfSizeBytes += snapshot.nodes[i + sizeAt]!;
    rows.set(key, row);
  }
  return rows;
}
