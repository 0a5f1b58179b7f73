import { bytesHuman, count, NO_VALUE, percent } from '../../lib/format.js';
import type { DuplicateStringRow, HeapClassDelta, HeapClassRow, HeapDiffResult } from '../../results/heap.js';

/** The rows the heap tables (terminal) and the heap reports write alike. */

/** "+1.2 MB", "−512 B": a change in size, its sign always shown (a true minus). */
export function signedBytes(bytes: number): string {
  return `${bytes > 0 ? '+' : bytes < 0 ? '−' : ''}${bytesHuman(Math.abs(bytes))}`;
}

function signedCount(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${count(Math.abs(n))}`;
}

/** constructor, count, self size, retained size, % of the heap. */
export function classCells(row: HeapClassRow, totalSizeBytes: number): string[] {
  return [row.className, count(row.count), bytesHuman(row.selfSizeBytes), bytesHuman(row.retainedSizeBytes), percent(row.retainedSizeBytes / totalSizeBytes)];
}

/** value, copies, total size, beyond the first. */
export function stringCells(row: DuplicateStringRow): string[] {
  return [row.value, count(row.count), bytesHuman(row.totalBytes), bytesHuman(row.wastedBytes)];
}

/** constructor, count, Δ count, new objects (only when one process), Δ self size, retained after, Δ retained. */
export function classDeltaCells(row: HeapClassDelta, sameProcess: HeapDiffResult['sameProcess']): string[] {
  return [
    row.className,
    count(row.countAfter),
    signedCount(row.countAfter - row.countBefore),
    sameProcess.sameProcess ? count(row.newObjects) : NO_VALUE,
    signedBytes(row.selfAfter - row.selfBefore),
    bytesHuman(row.retainedAfter),
    signedBytes(row.retainedAfter - row.retainedBefore),
  ];
}
