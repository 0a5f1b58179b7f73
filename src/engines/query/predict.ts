import type { CapVerdict, LiveReading, Prediction } from '../../results/query-prediction.js';

/**
 * From a sample to the whole result. A variant's child measures what the sample holds live (after a
 * full GC, everything still referenced) at two sizes: the whole sample and its first half. The
 * prediction for N documents is the average cost (live ÷ documents) × N: the model, the connection
 * and the JIT's code are already in the baseline, so what the sample holds grows with its
 * documents. The interval spans it and fixed + marginal × N, the marginal cost being the
 * difference between the two halves: how far the per-document spread lets the figure move.
 */

/** What a sample's copies probe aims to hold: far above the settled heap's noise (~0.2 MB between two full GCs). */
export const PROBE_TARGET_BYTES = 16 * 1024 * 1024;
export const PROBE_MAX_COPIES = 8;

/**
 * How many copies of a sample to hold at once for its live reading: enough to reach
 * PROBE_TARGET_BYTES, at most PROBE_MAX_COPIES, and only as many as leave half the heap's headroom
 * free (the innermost run also needs its own transient peak on top of the copies already held).
 */
export function probeCopies(oneCopyBytes: number, peakGrowthBytes: number, headroomBytes: number): number {
  const wanted = oneCopyBytes > 0 ? Math.ceil(PROBE_TARGET_BYTES / oneCopyBytes) : PROBE_MAX_COPIES;
  const room = oneCopyBytes > 0 ? Math.floor((headroomBytes / 2 - peakGrowthBytes) / oneCopyBytes) + 1 : PROBE_MAX_COPIES;
  return Math.max(1, Math.min(wanted, PROBE_MAX_COPIES, room));
}

export function liveOf(reading: LiveReading): number {
  return Math.max(0, reading.heapBytes) + Math.max(0, reading.externalBytes);
}

interface Fit {
  perDoc: number;
  fixed: number;
  average: number;
}

/** Marginal and fixed cost from the half and whole sample; a marginal cost the noise made implausible falls back to the average. */
export function fitCost(half: { docs: number; bytes: number } | null, whole: { docs: number; bytes: number }): Fit {
  const average = whole.docs > 0 ? whole.bytes / whole.docs : 0;
  if (!half || whole.docs - half.docs <= 0) return { perDoc: average, fixed: 0, average };
  const perDoc = (whole.bytes - half.bytes) / (whole.docs - half.docs);
  // Below half or above twice the average, the two readings disagree more than documents differ: noise.
  if (!(perDoc >= average * 0.5 && perDoc <= average * 2)) return { perDoc: average, fixed: 0, average };
  return { perDoc, fixed: Math.max(0, whole.bytes - perDoc * whole.docs), average };
}

export function predict(half: LiveReading | null, whole: LiveReading, count: number): Prediction {
  const live = fitCost(half && { docs: half.docs, bytes: liveOf(half) }, { docs: whole.docs, bytes: liveOf(whole) });
  const heap = fitCost(half && { docs: half.docs, bytes: Math.max(0, half.heapBytes) }, { docs: whole.docs, bytes: Math.max(0, whole.heapBytes) });
  if (count <= whole.docs) {
    const measured = liveOf(whole);
    return {
      docs: count,
      liveBytes: measured,
      lowBytes: measured,
      highBytes: measured,
      heapBytes: Math.max(0, whole.heapBytes),
      perDocBytes: live.average,
      marginalPerDocBytes: live.perDoc,
      fixedBytes: live.fixed,
      measuredWhole: true,
    };
  }
  const point = live.average * count;
  const byMarginal = live.fixed + live.perDoc * count;
  return {
    docs: count,
    liveBytes: Math.round(point),
    lowBytes: Math.round(Math.min(point, byMarginal)),
    highBytes: Math.round(Math.max(point, byMarginal)),
    heapBytes: Math.round(heap.average * count),
    perDocBytes: live.average,
    marginalPerDocBytes: live.perDoc,
    fixedBytes: live.fixed,
    measuredWhole: false,
  };
}

/**
 * Under a heap cap: the V8 heap the whole result needs (baseline + fixed + per document × N) against
 * the old-space limit. Buffers (the raw variant) live outside the heap and do not count.
 */
export function capVerdict(prediction: Prediction, baselineHeapBytes: number, limitBytes: number): CapVerdict {
  const needed = baselineHeapBytes + prediction.heapBytes;
  if (needed < limitBytes) return { fits: true, headroomBytes: limitBytes - needed };
  const heapPerDoc = prediction.docs > 0 ? prediction.heapBytes / prediction.docs : 0;
  const oomAfterDocs = heapPerDoc > 0 ? Math.max(0, Math.floor((limitBytes - baselineHeapBytes) / heapPerDoc)) : 0;
  return { fits: false, oomAfterDocs: Math.min(oomAfterDocs, prediction.docs) };
}

/** Predicted live bytes of `count` documents with a known per-document cost (group-by rows). */
export function scale(prediction: Prediction, count: number): number {
  return Math.round(prediction.perDocBytes * count);
}

/** The prediction carried over to another document count (a --group-by value): same fixed and per-document cost. */
export function rescale(prediction: Prediction, docs: number): Prediction {
  const heapPerDoc = prediction.docs > 0 ? prediction.heapBytes / prediction.docs : 0;
  const liveBytes = scale(prediction, docs);
  return { ...prediction, docs, liveBytes, lowBytes: liveBytes, highBytes: liveBytes, heapBytes: Math.round(heapPerDoc * docs), measuredWhole: false };
}

export type { CapVerdict, LiveReading, Prediction } from '../../results/query-prediction.js';
