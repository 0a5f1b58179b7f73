import type { LoopRun } from '../../results/measure.js';
import type { LoopPrediction } from '../../results/query-prediction.js';
import { bandFor, LARGE_HEAP_BYTES, LARGE_HEAP_HIGH } from './loop-band.js';
import { median } from '../../core/measure/stats.js';
import { extrapolate, spreadOf, type Extrapolated } from './loop-fit.js';
import { followUpCpu, followUpPart, type FollowUp } from './loop-follow-up.js';

/**
 * From the sample's event-loop and CPU figures to the whole result's, modelling where the work
 * happens (read in node_modules/mongodb/lib/cursor/abstract_cursor.js and
 * node_modules/mongoose/lib/query.js):
 * - the driver deserialises a reply lazily, one document per `next()` (CursorResponse.shift in
 *   node_modules/mongodb/lib/cmap/wire_protocol/responses.js), but `toArray()` and `for await`
 *   chain those calls as microtasks: timers and I/O run only at each getMore. So driver, raw,
 *   projection and stream block once per batch, for as long as one batch takes: bounded by the
 *   largest batch (src/engines/query/batch.ts), not by the result;
 * - Mongoose's `_find` awaits `toArray()` and hydrates the whole result (`_completeMany`) in the same
 *   macrotask: one block that grows with the result, GC included (the young generation fills
 *   with documents that all stay live, and each scavenge copies more of them).
 * GC grows with the live heap, so the whole-result pass and the CPU are read at two sample sizes
 * (the sample and its first half): fixed + marginal × N when the runs at each size agree within
 * MAX_FIT_SPREAD (loop-fit.ts), else the average cost × N (a difference of two readings carries about three times
 * their spread: on a busy machine, runs of tens of ms differ by ±50 % and the marginal with them).
 * The whole-result pass is the exception: its work is fitted from the least run at each size and its
 * GC, from the sample alone, scaled by where it falls (passPrediction); its interval also spans both
 * scalings of that GC. The interval spans the average and the fit, widened by SCALE_BAND
 * (loop-band.ts): what a cost per document did between a sample and its whole result in the benchmark;
 * a pass that keeps what it creates over a heap of LARGE_HEAP_BYTES or more reaches LARGE_HEAP_HIGH
 * times higher (its GC grows with a heap no sample reaches).
 * Mongoose's pass runs after the driver read the LAST batch, in its macrotask: the whole result's
 * longest block is that last batch + the pass, or its largest batch alone, whichever is longer
 * (not the largest batch + the pass: the largest batch is an earlier macrotask).
 */

/** One sample size's figures: the median over its timed runs. */
export interface LoopSample {
  docs: number;
  runs: LoopRun[];
}

export interface LoopModelInput {
  whole: LoopSample;
  half: LoopSample | null;
  /** Documents of the whole result. */
  count: number;
  /** Documents in the sample's largest reply, and in the whole result's largest batch. */
  sampleBatchDocs: number;
  wholeBatchDocs: number;
  /** Documents in the whole result's last batch, read in the whole-result pass's macrotask (default: wholeBatchDocs). */
  wholeLastBatchDocs?: number;
  /** A populate's referenced documents materialised, on the sample and over the whole result (loop-follow-up.ts). */
  followUp?: FollowUp;
  /**
   * Whether the whole-result pass creates objects that stay, one or more a document (Mongoose's
   * hydration: default), so its GC grows with the result; without (lean: the driver's documents
   * returned as they are; a lean populate's preparation holds only the ids), the pass's scavenges
   * copy what is young when it starts — the last batch — and its GC scales with that batch.
   */
  passHolds?: boolean;
  /**
   * The heap the whole-result pass runs over, predicted (predict.ts; a populate's parents alone: its
   * pass runs before the follow-up queries): a holding pass over LARGE_HEAP_BYTES or more gets a
   * blocked range LARGE_HEAP_HIGH times wider at the top (loop-band.ts).
   */
  wholeHeapBytes?: number | null;
}

/**
 * The longest block's parts: the whole-result pass (hydration, and `passGc`: the GC pauses inside it)
 * and the batch's part (the driver's reading of the last batch and the rest of the block's GC). A
 * block with more than a resolution of hydration in it is the whole-result pass after the last batch
 * (Mongoose's, or lean's `_completeManyLean`, cheap but over every document). The loop meter times
 * the GC inside the pass (split.hydrationGcMs); a result saved before it did shares the block's GC in
 * proportion to each part's own work.
 */
export function blockParts(run: LoopRun): { pass: number; passGc: number; batch: number } {
  const { hydrationMs, bsonMs, gcMs, hydrationGcMs } = run.split;
  const f = working(run);
  if (hydrationMs <= run.resolutionMs) return { pass: 0, passGc: 0, batch: run.blockedMs * f };
  const passGc = hydrationGcMs ?? (gcMs * hydrationMs) / (hydrationMs + bsonMs);
  return { pass: (hydrationMs + passGc) * f, passGc: passGc * f, batch: (bsonMs + gcMs - passGc) * f };
}

/**
 * The share of the longest block the process had the CPU: below 1 when the machine was busy and the
 * OS ran other processes inside the gap (src/core/measure/loop.ts, blockedCpuMs). The prediction is
 * of the work, what the block takes on idle cores: the wait for a busy machine is not the query's.
 */
export function working(run: LoopRun): number {
  if (run.blockedMs <= 0 || !(run.blockedCpuMs >= 0)) return 1;
  return Math.min(1, run.blockedCpuMs / run.blockedMs);
}

/** Whether the variant's longest block is the whole-result pass (in at least half its runs). */
export function wholeResultBlocking(runs: readonly LoopRun[]): boolean {
  return runs.filter((run) => blockParts(run).pass > 0).length * 2 >= runs.length && runs.length > 0;
}

export function predictLoop({
  whole,
  half,
  count,
  sampleBatchDocs,
  wholeBatchDocs,
  wholeLastBatchDocs,
  followUp,
  passHolds = true,
  wholeHeapBytes = null,
}: LoopModelInput): LoopPrediction | null {
  if (whole.runs.length === 0) return null;
  const resolution = whole.runs[0]!.resolutionMs;
  const blocking = wholeResultBlocking(whole.runs) ? 'whole-result' : 'per-batch';
  // With follow-up queries measured apart (a populate's), the parents' CPU is the rest of the run's.
  const separate = followUp !== undefined && whole.runs.some((run) => followUpCpu(run) > 0);
  const parentsCpu = (run: LoopRun) => run.cpuMs - (separate ? followUpCpu(run) : 0);
  const cpu = (sample: LoopSample) => ({ docs: sample.docs, value: median(sample.runs.map(parentsCpu)) });
  const blocked = whole.runs.map((run) => run.blockedMs * working(run));
  if (count <= whole.docs) {
    const point = median(blocked);
    const cpus = whole.runs.map((run) => run.cpuMs);
    return {
      docs: count,
      blocking,
      blockedMs: round(point),
      blockedLowMs: round(Math.max(0, Math.min(...blocked) - resolution)),
      blockedHighMs: round(Math.max(...blocked) + resolution),
      batchDocs: blocking === 'per-batch' ? sampleBatchDocs : null,
      cpuMs: round(median(cpus)),
      cpuLowMs: round(Math.min(...cpus)),
      cpuHighMs: round(Math.max(...cpus)),
      measuredWhole: true,
    };
  }
  const halfRuns = half && half.runs.length > 0 ? half : null;
  const spread = (value: (run: LoopRun) => number) => Math.max(spreadOf(whole.runs.map(value)), halfRuns ? spreadOf(halfRuns.runs.map(value)) : 0);
  const parents = extrapolate(halfRuns && cpu(halfRuns), cpu(whole), count, spread(parentsCpu));
  const follow = separate ? followUpPart(median(whole.runs.map(followUpCpu)), whole.docs, count, followUp) : { point: 0, low: 0, high: 0 };
  const cpuFit = { point: parents.point + follow.point, low: parents.low + follow.low, high: parents.high + follow.high };
  // The sample's batch cost per document (its largest reply is the one its block read), carried to a batch of the whole result.
  const scaled = (docs: number, value: number) => (sampleBatchDocs > 0 ? (value / sampleBatchDocs) * docs : value);
  const batch = scaled(Math.max(sampleBatchDocs, wholeBatchDocs), median(whole.runs.map((run) => blockParts(run).batch)));
  let longest = { point: batch, low: batch, high: batch };
  if (blocking === 'whole-result') {
    const lastBatchDocs = wholeLastBatchDocs ?? wholeBatchDocs;
    // The whole result's last batch against the sample's largest reply (its last, unless --batch-size split the sample):
    // what the pass's GC scales by when the pass keeps nothing.
    const pass = passPrediction(whole, halfRuns, count, scaled(lastBatchDocs, 1), passHolds);
    const last = scaled(lastBatchDocs, median(whole.runs.map((run) => blockParts(run).batch)));
    longest = { point: Math.max(batch, last + pass.point), low: Math.max(batch, last + pass.low), high: Math.max(batch, last + pass.high) };
  }
  const band = bandFor(count / whole.docs);
  const largeHeapPass = blocking === 'whole-result' && passHolds && (wholeHeapBytes ?? 0) >= LARGE_HEAP_BYTES;
  const blockedBand = largeHeapPass ? { low: band.low, high: band.high * LARGE_HEAP_HIGH } : band;
  return {
    docs: count,
    blocking,
    blockedMs: round(longest.point),
    blockedLowMs: round(Math.max(0, longest.low * blockedBand.low - resolution)),
    blockedHighMs: round(longest.high * blockedBand.high + resolution),
    batchDocs: blocking === 'per-batch' ? wholeBatchDocs : null,
    cpuMs: round(cpuFit.point),
    cpuLowMs: round(cpuFit.low * band.low),
    cpuHighMs: round(cpuFit.high * band.high),
    measuredWhole: false,
    ...(largeHeapPass && { largeHeapPass: true as const }),
  };
}

/**
 * The whole-result pass taken to `count` documents: its work without GC fitted from the sample's two
 * sizes, each read as the least of its runs (a 30–100 ms stretch only ever gains from what else the
 * machine did: on idle cores lean+populate's runs at one size differed by a third, the least of them
 * lie near one line from 5,000 to 100,000 parents and the whole result, a few ms + 4.4–4.7 µs a
 * parent, where the medians carried up to ~20 ms more at the small sizes); its GC scaled per
 * document when the pass holds what it creates, by the last batch when not, the other way bounding
 * the interval (docs/benchmarks.md, the populate rows).
 */
function passPrediction(whole: LoopSample, half: LoopSample | null, count: number, lastBatchRatio: number, holds: boolean): Extrapolated {
  // Only runs whose longest block was the pass read it (in another, a batch was longer and the pass's 0 is not its cost).
  const passes = (sample: LoopSample) => sample.runs.map(blockParts).filter((parts) => parts.pass > 0);
  const least = (sample: LoopSample) => {
    const works = passes(sample).map((parts) => parts.pass - parts.passGc);
    return { docs: sample.docs, value: works.length > 0 ? Math.min(...works) : 0 };
  };
  const work = extrapolate(half && least(half), least(whole), count);
  const gc = median(passes(whole).map((parts) => parts.passGc));
  const byDoc = whole.docs > 0 ? (gc / whole.docs) * count : 0;
  const byBatch = gc * lastBatchRatio;
  const [point, other] = holds ? [byDoc, byBatch] : [byBatch, byDoc];
  return { point: work.point + point, low: work.low + Math.min(point, other), high: work.high + Math.max(point, other) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
