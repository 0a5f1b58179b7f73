import { bytesHuman, count, milliseconds, NO_VALUE } from '../../lib/format.js';
import type { CapVerdict, FullReplay, GroupValue, LoopPrediction, MeasuredQuery, Prediction, VariantMeasurement } from '../../results/query.js';

/** The figures the query table (terminal) and the query report write alike. */

/** "340,170 documents, 61.2 MB BSON": the whole result. */
export function resultSize(query: MeasuredQuery): string {
  return `${count(query.count)} ${query.mode === 'distinct' ? 'values' : 'documents'}${query.resultBsonBytes === null ? '' : `, ${bytesHuman(query.resultBsonBytes)} BSON`}`;
}

/** The documents each variant was measured on (no more than the result holds); null: the whole result. */
export function sampleSize(query: MeasuredQuery): string | null {
  return query.sampleDocs === null ? null : count(Math.min(query.sampleDocs, query.count));
}

/** "×3.4": live bytes over the BSON received. */
export function bsonMultiplier(measurement: VariantMeasurement): string {
  return measurement.bsonMultiplier === null ? NO_VALUE : `×${measurement.bsonMultiplier.toFixed(1)}`;
}

/** The predicted live memory for the whole result, with its range unless the sample was the whole. */
export function predictedLive(prediction: Prediction | null): string {
  if (!prediction) return NO_VALUE;
  return `${bytesHuman(prediction.liveBytes)}${prediction.measuredWhole ? '' : ` (${bytesHuman(prediction.lowBytes)}–${bytesHuman(prediction.highBytes)})`}`;
}

/** The predicted live memory's range, "1.32–1.33 MB"; the whole result measured: none. */
export function predictedRange(prediction: Prediction | null): string {
  if (!prediction || prediction.measuredWhole) return NO_VALUE;
  const [low, high] = [bytesHuman(prediction.lowBytes), bytesHuman(prediction.highBytes)];
  const unit = (text: string) => text.replace(/^[\d.,]+ /, '');
  return unit(low) === unit(high) ? `${low.replace(/ \S+$/, '')}–${high}` : `${low}–${high}`;
}

/** Whether the whole result fits under the heap limit, or after how many documents it would not. */
export function capText(cap: CapVerdict | null): string {
  if (!cap) return NO_VALUE;
  return cap.fits ? 'fits' : `OOM after ~${count(cap.oomAfterDocs)}`;
}

/** One --group-by value's predicted live memory for a variant; ✗: it would not fit under the heap limit. */
export function groupPrediction(predicted: GroupValue['predicted'][number]): string {
  return `${bytesHuman(predicted.liveBytes)}${predicted.fits ? '' : ' ✗'}`;
}

/**
 * --full's replay: its live memory; when it has no live reading (a replay that peaked too close to
 * the heap limit is not probed again, src/core/measure/headroom.ts), the peak heap growth it did
 * measure, so a variant that was replayed never shows as if it was not.
 */
export function replayCell(replay: FullReplay | null, withReason = false): string {
  if (!replay) return NO_VALUE;
  if (replay.status !== 'ok') return withReason ? `${replay.status}: ${replay.reason}` : replay.status;
  if (replay.liveBytes !== null) return bytesHuman(replay.liveBytes);
  return `peak +${bytesHuman(replay.peakHeapGrowthBytes)} (live not read)`;
}

/** Predicted longest block for the whole result: "4.1 s", "38 ms/batch" (a cursor's block is one batch's). */
export function predictedBlocked(prediction: LoopPrediction | null): string {
  if (!prediction) return NO_VALUE;
  return `${milliseconds(prediction.blockedMs)}${prediction.blocking === 'per-batch' ? '/batch' : ''}`;
}

/** The event-loop utilisation over the timed runs: "93 %". */
export function eluCell(measurement: VariantMeasurement): string {
  return measurement.loop ? `${Math.round(measurement.loop.elu * 100)} %` : NO_VALUE;
}

/** --full's one run: its longest block and CPU, what the prediction is checked against. */
export function replayLoopCell(replay: FullReplay | null, figure: 'blockedMs' | 'cpuMs'): string {
  return replay?.status === 'ok' && replay.loop ? milliseconds(replay.loop[figure]) : NO_VALUE;
}
