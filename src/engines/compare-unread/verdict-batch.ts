import { bytes, count, medianRange } from '../../lib/format.js';
import type { MeasuredOutcome } from '../../results/compare-unread.js';
import { PROJECTION_BATCH_SIZE } from './strategies/projection-batched.js';

/**
 * A peak heap growth is "clearly lower" below 3/4 of the other and more than 16 MB below it: a
 * sampled peak moves with V8's collection timing from run to run, and on small data it is mostly
 * young-generation garbage, ~16 MB whatever the strategy. What batchSize 1000 saves is far past
 * both (projection's receipts on demo, iterated alone: 380–400 MB with the default batch, 114–140
 * MB with 1000).
 */
export const CLEARLY_LOWER = 0.75;
const PEAK_NOISE_BYTES = 16 * 1024 * 1024;

export const clearlyLower = (a: number, b: number): boolean => a < b * CLEARLY_LOWER && b - a > PEAK_NOISE_BYTES;

const finished = (measured: readonly MeasuredOutcome[], name: MeasuredOutcome['name']) => measured.find((o) => o.status === 'ok' && o.name === name);

/**
 * What the driver's batch costs, when projection and projection-batched (the same query with a
 * batch size) were both measured and the batched one peaks clearly lower: their two peaks, the
 * live heap projection held at its peak point, and the largest batch each received. Null
 * otherwise: no claim without both figures.
 */
export function driverBatchClause(measured: readonly MeasuredOutcome[]): string | null {
  const whole = finished(measured, 'projection')?.measurement;
  const batched = finished(measured, 'projection-batched')?.measurement;
  if (!whole || !batched || !clearlyLower(batched.peakHeapGrowthBytes, whole.peakHeapGrowthBytes)) return null;
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
