/**
 * How long V8 will stop a process to snapshot it, as far as its heap's size alone tells: a lower
 * bound. V8 walks every object and writes every node, edge and string while the process's main
 * thread waits (HeapProfiler.takeHeapSnapshot builds and serialises in one synchronous call), so
 * the pause grows with the heap, but far faster for some heaps than others: a process that loaded
 * a large single script (TypeScript's 9 MB compiler) has hundreds of thousands of functions, each
 * with its SharedFunctionInfo, scope info, feedback and source positions, and takes many times as
 * long per MB as plain data (README, "heap capture"). The inspector gives no cheap object count
 * beforehand, so only the size is known, and the figure is the best case.
 */

/**
 * Heap bytes per second V8 snapshotted at best here: plain objects on an idle machine (README,
 * "heap capture": `node bench/snapshot-pause.mjs`). Every other heap measured was slower.
 */
export const FASTEST_HEAP_BYTES_PER_S = 60 * 2 ** 20;

/** The pause at least, in ms, for a heap of `heapUsedBytes`. */
export function pauseLowerBoundMs(heapUsedBytes: number): number {
  return (heapUsedBytes / FASTEST_HEAP_BYTES_PER_S) * 1000;
}
