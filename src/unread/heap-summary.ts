import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { groupSnapshot, NATIVE, type SnapshotGroups } from './heap-groups.js';
import type { HeapSnapshotReport } from './result.js';

const TOP = 10;
/** Read size: memory stays this plus one row per constructor name, whatever the snapshot's size. */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

export function groupSnapshotFile(path: string, chunkBytes = SNAPSHOT_CHUNK_BYTES): Promise<SnapshotGroups> {
  return groupSnapshot(createReadStream(path, { highWaterMark: chunkBytes }));
}

/**
 * Top retainers by constructor from a .heapsnapshot, streamed (a snapshot of a 1 GB heap is
 * larger than a JS string may be): self size (the node's own bytes, what DevTools' "Shallow
 * Size" column shows) and count per constructor name for object nodes; other node kinds are
 * grouped by type as DevTools does ("(string)", "(array)", …). Retained sizes would need the
 * dominator tree, hence the edges in memory; they are not computed. A snapshot that cannot be
 * read is still reported (path, size) with the reason in `computed`.
 */
export async function summariseSnapshot(path: string, writer: HeapSnapshotReport['writer']): Promise<HeapSnapshotReport> {
  const sizeBytes = (await stat(path)).size;
  let groups: SnapshotGroups;
  try {
    groups = await groupSnapshotFile(path);
  } catch (error) {
    const computed = `not summarised: ${(error as Error).message}; open it in Chrome DevTools`;
    return { path, sizeBytes, writer, computed, totalSelfSizeBytes: 0, topByConstructor: [] };
  }
  const rows = new Map(groups.rows);
  const native = rows.get(NATIVE);
  rows.delete(NATIVE);
  const totalSelfSizeBytes = [...rows.values()].reduce((total, row) => total + row.selfSizeBytes, 0);
  const computed =
    `self (shallow) size and count per constructor over all ${groups.nodeCount.toLocaleString('en-US')} nodes of the snapshot, read as a stream ` +
    `(object nodes by constructor name, other nodes by kind); retained sizes not computed; ` +
    `native nodes (ArrayBuffer backing stores and the like, ${Math.round((native?.selfSizeBytes ?? 0) / 1024)} KB) left out, as heapUsed leaves them out`;
  const topByConstructor = [...rows.entries()]
    .map(([constructor, row]) => ({ constructor, ...row }))
    .sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)
    .slice(0, TOP);
  return { path, sizeBytes, writer, computed, totalSelfSizeBytes, topByConstructor };
}
