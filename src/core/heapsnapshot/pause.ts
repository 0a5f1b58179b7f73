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
 * Heap bytes per second of V8's snapshot at best: the heaps measured here went at 4.8 (plain
 * objects) to 10 MB per CPU-second (README, "heap capture"); 5-10 times that leaves room for a
 * faster machine, so the figure stays below the real pause.
 */
export const FASTEST_HEAP_BYTES_PER_S = 50 * 2 ** 20;

/** The pause at least, in ms, for a heap of `heapUsedBytes`. */
export function pauseLowerBoundMs(heapUsedBytes: number): number {
  return (heapUsedBytes / FASTEST_HEAP_BYTES_PER_S) * 1000;
}
