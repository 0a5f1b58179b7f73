/**
 * How `imdiag query` predicts a variant's memory for the whole result from its sample: the live
 * reading it is fitted on, the prediction, the cap verdict and the driver's batch (the models:
 * src/engines/query/predict.ts and batch.ts).
 */

export interface LiveReading {
  docs: number;
  /** Growth over the settled baseline: V8 heap. */
  heapBytes: number;
  /** Growth of `external` (C++ objects and every ArrayBuffer / Buffer; `arrayBuffers` is part of it). */
  externalBytes: number;
  arrayBuffersBytes: number;
  /**
   * How many copies of the result were held at once for this reading (absent: one). The figures
   * are the measured growth divided by it: per copy, like a reading of one.
   */
  copies?: number;
}

export interface Prediction {
  docs: number;
  /** heap + external, the whole live memory. */
  liveBytes: number;
  lowBytes: number;
  highBytes: number;
  /** V8 heap only: what --max-old-space-size limits. */
  heapBytes: number;
  /** Live bytes per document of the sample (live ÷ documents): the prediction's slope. */
  perDocBytes: number;
  /** The difference between the whole sample and its first half, per document; with fixedBytes, the interval's other end. */
  marginalPerDocBytes: number;
  fixedBytes: number;
  /** True when the sample was the whole result: measured, not extrapolated. */
  measuredWhole: boolean;
}

export type CapVerdict = { fits: true; headroomBytes: number } | { fits: false; oomAfterDocs: number };

export interface BatchCost {
  /** Documents in the largest batch of the whole result. */
  docsPerBatch: number;
  /** Live memory of that batch while it is read (parse state on the heap + its BSON): stream's prediction. */
  bytes: number;
  heapBytes: number;
  /** Per document of the batch, as stream measured it: all of it, and the heap part. */
  perDocBytes: number;
  heapPerDocBytes: number;
  /** The same batch cost at SUGGESTED_BATCH_SIZE documents. */
  suggestedBatchBytes: number;
}

/**
 * The event loop and CPU a variant costs for the whole result, from the sample at two sizes
 * (src/engines/query/loop-predict.ts).
 */
export interface LoopPrediction {
  docs: number;
  /**
   * Where the longest block comes from. whole-result: one synchronous pass over every document
   * after the driver's toArray() (Mongoose's hydration), so it grows with the result; per-batch: the
   * driver's deserialisation of one batch (toArray, a cursor), bounded by the largest batch.
   */
  blocking: 'whole-result' | 'per-batch';
  blockedMs: number;
  blockedLowMs: number;
  blockedHighMs: number;
  /** per-batch: documents of the whole result's largest batch; whole-result: null. */
  batchDocs: number | null;
  cpuMs: number;
  cpuLowMs: number;
  cpuHighMs: number;
  /** True when the sample was the whole result: measured, not extrapolated. */
  measuredWhole: boolean;
  /**
   * The whole-result pass keeps what it creates over a heap predicted at 1 GiB or more: its GC is
   * beyond what any sample shows, and the blocked interval's high end is LARGE_HEAP_HIGH (3/2.2)
   * times the usual band's (src/engines/query/loop-band.ts). Absent otherwise.
   */
  largeHeapPass?: true;
}
