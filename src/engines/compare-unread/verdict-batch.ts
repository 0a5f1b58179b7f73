import { bytes, count, medianRange } from '../../lib/format.js';
import type { MeasuredOutcome } from '../../results/compare-unread.js';
import { PROJECTION_BATCH_SIZE } from './strategies/projection-batched.js';

/**
 * A peak heap growth is "clearly lower" below 3/4 of the other and more than one semi-space of
 * V8's young generation below it: a sampled peak moves with V8's collection timing from run to
 * run, and on small data it is mostly young-generation garbage, about one semi-space whatever the
 * strategy. The semi-space is the children's own (src/core/measure/young-generation.ts: 16 MB on
 * Node 20 and 22, 64 MB on 24, 32 MB on 26); FALLBACK_SEMI_SPACE_BYTES, Node 20's, only for a
 * verdict recomputed from figures alone. What batchSize 1000 saves is far past both (projection's
 * receipts on demo, iterated alone: 380–400 MB with the default batch, 114–140 MB with 1000).
 */
export const CLEARLY_LOWER = 0.75;
export const FALLBACK_SEMI_SPACE_BYTES = 16 * 1024 * 1024;

export const clearlyLower = (a: number, b: number, semiSpaceBytes: number): boolean => a < b * CLEARLY_LOWER && b - a > semiSpaceBytes;

const finished = (measured: readonly MeasuredOutcome[], name: MeasuredOutcome['name']) => measured.find((o) => o.status === 'ok' && o.name === name);

/**
 * What the driver's batch costs, when projection and projection-batched (the same query with a
 * batch size) were both measured and the batched one peaks clearly lower: their two peaks, the
 * live heap projection held at its peak point, and the largest batch each received. Null
 * otherwise: no claim without both figures.
 */
export function driverBatchClause(measured: readonly MeasuredOutcome[], semiSpaceBytes = FALLBACK_SEMI_SPACE_BYTES): string | null {
  const whole = finished(measured, 'projection')?.measurement;
  const batched = finished(measured, 'projection-batched')?.measurement;
  if (!whole || !batched || !clearlyLower(batched.peakHeapGrowthBytes, whole.peakHeapGrowthBytes, semiSpaceBytes)) return null;
  const live = whole.liveAtPeak
    ? medianRange(whole.liveAtPeak.medianBytes, whole.liveAtPeak.minBytes, whole.liveAtPeak.maxBytes)
    : whole.liveAtPeakBytes === null
      ? null
      : bytes(whole.liveAtPeakBytes);
  const batches =
    whole.largestBatchDocs === undefined || batched.largestBatchDocs === undefined
      ? ''
      : ` (largest batch received: ${count(whole.largestBatchDocs)} documents against ${count(batched.largestBatchDocs)})`;
  return (
    `projection peaks at ${bytes(whole.peakHeapGrowthBytes)} more heap${live === null ? '' : ` with ${live} live at its peak point`}, ` +
    `the same query with batchSize ${PROJECTION_BATCH_SIZE} (projection-batched) at ${bytes(batched.peakHeapGrowthBytes)}: ` +
    `the driver keeps the lazily parsed state of a whole getMore batch while the cursor reads it, and a batch is up to 16 MiB of BSON however small the documents${batches}`
  );
}
