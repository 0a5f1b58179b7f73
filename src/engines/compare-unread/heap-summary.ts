import { stat } from 'node:fs/promises';
import { loadSnapshot } from '../../core/heapsnapshot/load.js';
import { groupSnapshotFile, NATIVE, type SnapshotGroups } from '../../core/heapsnapshot/self-sizes.js';
import { snapshotSummary } from '../../core/heapsnapshot/summarise.js';
import type { HeapSnapshotReport } from '../../results/compare-unread.js';

const TOP = 10;
/** Largest objects listed with their retainer paths. */
const LARGEST = 3;

/**
 * What fills a strategy's heap at its peak, from the snapshot its child wrote: the `imdiag heap`
 * analysis (classes by retained size as DevTools counts it, the largest objects and the shortest
 * path from a GC root to each), so a naive-mongoose snapshot shows what holds its documents.
 * A snapshot that analysis cannot read falls back to self sizes per constructor (a cheap stream
 * pass), and one that cannot be read at all is still reported (path, size) with the reason.
 */
export async function summariseSnapshot(path: string, writer: HeapSnapshotReport['writer']): Promise<HeapSnapshotReport> {
  const sizeBytes = (await stat(path)).size;
  try {
    const started = performance.now();
    const summary = snapshotSummary(await loadSnapshot(path), TOP, started);
    const computed =
      `retained size (DevTools' rule: nested instances of a class counted once) and count per constructor over all ${summary.nodeCount.toLocaleString('en-US')} nodes, ` +
      `from the dominator tree; the total includes native nodes (ArrayBuffer backing stores and the like, ${Math.round(summary.nativeBytes / 1024)} KB), which heapUsed leaves out`;
    return {
      path,
      sizeBytes,
      writer,
      computed,
      totalSelfSizeBytes: summary.totalSizeBytes,
      topByConstructor: summary.classes.map((row) => ({
        constructor: row.className,
        count: row.count,
        selfSizeBytes: row.selfSizeBytes,
        retainedSizeBytes: row.retainedSizeBytes,
      })),
      largest: summary.largest
        .slice(0, LARGEST)
        .map((object) => ({ name: object.name, id: object.id, retainedSizeBytes: object.retainedSizeBytes, retainers: object.retainers?.text ?? null })),
    };
  } catch {
    return selfSizesOnly(path, sizeBytes, writer);
  }
}

async function selfSizesOnly(path: string, sizeBytes: number, writer: HeapSnapshotReport['writer']): Promise<HeapSnapshotReport> {
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
    `(object nodes by constructor name, other nodes by kind); retained sizes not computed (the snapshot cannot be analysed whole); ` +
    `native nodes (ArrayBuffer backing stores and the like, ${Math.round((native?.selfSizeBytes ?? 0) / 1024)} KB) left out, as heapUsed leaves them out`;
  const topByConstructor = [...rows.entries()]
    .map(([constructor, row]) => ({ constructor, ...row }))
    .sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)
    .slice(0, TOP);
  return { path, sizeBytes, writer, computed, totalSelfSizeBytes, topByConstructor };
}
