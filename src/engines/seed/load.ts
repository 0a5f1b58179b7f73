import type { Db } from 'mongodb';
import type { GeneratedBatch } from './generator.js';

export interface LoadOptions {
  /** Batches in flight at once: the next batch is generated while the server stores the previous ones. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (documents: number) => void;
}

export interface LoadOutcome {
  documents: number;
  loadMs: number;
  peakHeapUsedBytes: number;
  peakRssBytes: number;
  /** False when the signal stopped the load early. */
  complete: boolean;
}

/**
 * Streams generated batches into MongoDB with unordered bulk inserts (`insertMany`, ordered:
 * false: the server need not stop at the first error nor keep order), keeping at most
 * `concurrency` batches in flight so the heap stays bounded whatever the dataset size.
 */
export async function loadBatches(db: Db, batches: Iterable<GeneratedBatch>, options: LoadOptions): Promise<LoadOutcome> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let documents = 0;
  let peakHeapUsedBytes = 0;
  let peakRssBytes = 0;
  const started = process.hrtime.bigint();
  let complete = true;
  for (const batch of batches) {
    if (options.signal?.aborted) {
      complete = false;
      break;
    }
    const memory = process.memoryUsage();
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, memory.heapUsed);
    peakRssBytes = Math.max(peakRssBytes, memory.rss);
    const insert = db
      .collection(batch.collection)
      .insertMany(batch.docs, { ordered: false })
      .then(
        () => {
          documents += batch.docs.length;
          options.onProgress?.(documents);
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(insert));
    inFlight.add(insert);
    if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (failure !== undefined) break;
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { documents, loadMs: Number(process.hrtime.bigint() - started) / 1e6, peakHeapUsedBytes, peakRssBytes, complete };
}
