import type { PopulateOutcome, PopulateSampleQueries, VariantOutcome } from '../../../results/query.js';
import { loopFor } from '../outcome.js';
import { variantNamed } from '../variants/index.js';
import { capVerdict, liveOf } from '../predict.js';
import type { QueryChildResult } from '../protocol.js';
import type { PopulateChildPath } from './child-report.js';
import type { PopulateCensus } from './census.js';
import { populateQueries, predictPopulate, type PopulateReading } from './predict.js';

/** ObjectIds in one 16 MiB reply or command (~20 bytes of BSON each in an array): past it, distinct or one $in no longer fits. */
export const IDS_PER_16MB = 800_000;

const SIBLING: Record<string, string> = { 'mongoose+populate': 'mongoose', 'lean+populate': 'lean' };

/**
 * A populate variant's outcome with what only populate has: the follow-up queries it sent on the
 * sample, the whole result's queries under Mongoose's split rule, the prediction of parents plus
 * referenced documents held (populate/predict.ts) in place of the plain per-document one, and the
 * cheaper alternative (distinct + one `$in`).
 */
export function withPopulate(
  outcome: VariantOutcome,
  message: QueryChildResult | null,
  census: readonly PopulateCensus[],
  earlier: readonly VariantOutcome[],
  count: number,
  limitBytes: number,
  batchSize?: number,
): VariantOutcome {
  if (outcome.status !== 'ok' || !message?.populate || !message.live) return outcome;
  const report = message.populate;
  const live = message.live;
  const sample = report.map((path) => sampleQueries(path, live.docs));
  const heldAt = (parents: number) => report.reduce((sum, path) => sum + (path.runs.find((r) => r.parents === parents)?.idsTotal ?? 0), 0);
  const reading: PopulateReading = { parents: live.docs, held: heldAt(live.docs), liveBytes: liveOf(live), heapBytes: live.heapBytes };
  const halfHeld = message.liveHalf ? heldAt(message.liveHalf.docs) : 0;
  const half: PopulateReading | null =
    message.liveHalf && halfHeld > 0
      ? { parents: message.liveHalf.docs, held: halfHeld, liveBytes: liveOf(message.liveHalf), heapBytes: message.liveHalf.heapBytes }
      : null;
  const sibling = earlier.find((v) => v.name === SIBLING[outcome.name] && v.status === 'ok');
  const siblingPerParent = sibling?.status === 'ok' ? sibling.measurement.bytesPerDoc : null;
  const paths = census.map((path) => populateQueries(path));
  const wholeHeld = paths.reduce((sum, path) => sum + path.referencedDocsHeld, 0);
  const fit = predictPopulate(reading, half, siblingPerParent, count, wholeHeld);
  const distinctIds = census.reduce((sum, path) => sum + path.distinctIds, 0);
  const populate: PopulateOutcome = {
    sample,
    paths,
    perParentBytes: fit.perParentBytes,
    perReferencedBytes: fit.perReferencedBytes,
    alternative: {
      queries: 1 + census.length,
      liveBytes: fit.perReferencedBytes === null ? null : Math.round(distinctIds * fit.perReferencedBytes),
      note:
        distinctIds > IDS_PER_16MB
          ? `${distinctIds} distinct ids are past what one 16 MiB reply or command holds (~${IDS_PER_16MB} ObjectIds): read them with an aggregation ($group) and send the $in in chunks`
          : null,
    },
  };
  // The follow-up queries' CPU scales by the referenced documents they materialise (loop-predict.ts).
  const loopPrediction =
    reading.held > 0
      ? loopFor(variantNamed(outcome.name), message, count, {
          batchSize,
          followUp: { sampleHeld: reading.held, wholeHeld },
          // The pass hydrates the parents before the follow-up queries: the heap it runs over is theirs.
          wholeHeapBytes: fit.perParentBytes === null ? null : fit.perParentBytes * count,
        })
      : outcome.loopPrediction;
  return { ...outcome, prediction: fit.prediction, loopPrediction, cap: capVerdict(fit.prediction, message.heapBeforeBytes, limitBytes), populate };
}

function sampleQueries(path: PopulateChildPath, parents: number): PopulateSampleQueries {
  const run = path.runs.find((r) => r.parents === parents) ?? { parents, queries: 0, idsTotal: 0, idsMax: 0 };
  // Under the split limit Mongoose makes the ids unique before its one $in: its ids are the distinct ids.
  return {
    path: path.path,
    collection: path.collection,
    parents,
    distinctIds: run.queries <= 1 ? run.idsTotal : null,
    queries: run.queries,
    idsTotal: run.idsTotal,
    idsMax: run.idsMax,
    server: path.server,
  };
}
