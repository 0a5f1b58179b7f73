/**
 * Settled memory readings for the measuring children (compare-unread's strategies, `imdiag query`'s
 * variants), which run under `node --expose-gc`.
 */
const gc = (globalThis as { gc?: () => void }).gc;

/** Two passes: the first can leave objects that only a second collects (weak refs, finalizers). */
export const settle = (): void => {
  gc?.();
  gc?.();
};

/**
 * `count` readings of process.memoryUsage(), each once nothing is pending: pending socket callbacks
 * (a cursor's last killCursors, pool events) run first, then a full collection. Callers keep the
 * lowest, so that a collection still finishing its sweep (or a drained cursor not yet released) is
 * not counted as live.
 */
export async function settledReadings(count: number): Promise<NodeJS.MemoryUsage[]> {
  const readings: NodeJS.MemoryUsage[] = [];
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    settle();
    readings.push(process.memoryUsage());
  }
  return readings;
}
