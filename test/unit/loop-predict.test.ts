import { describe, expect, it } from 'vitest';
import { bandFor, LARGE_HEAP_BYTES, LARGE_HEAP_HIGH, SCALE_BAND } from '../../src/engines/query/loop-band.js';
import { extrapolate, spreadOf } from '../../src/engines/query/loop-fit.js';
import { blockParts, predictLoop, wholeResultBlocking } from '../../src/engines/query/loop-predict.js';
import { followUpCpu } from '../../src/engines/query/loop-follow-up.js';
import type { LoopRun } from '../../src/results/measure.js';

/** A constructed run: the longest block's split and the CPU. */
function run(split: { hydrationMs?: number; gcMs?: number; bsonMs?: number }, cpuMs: number): LoopRun {
  const parts = { hydrationMs: split.hydrationMs ?? 0, gcMs: split.gcMs ?? 0, bsonMs: split.bsonMs ?? 0 };
  const blockedMs = parts.hydrationMs + parts.gcMs + parts.bsonMs;
  return { blockedMs, blockedRawMs: blockedMs + 2, blockedCpuMs: blockedMs, resolutionMs: 2, cpuMs, elu: 0.9, gcMs: parts.gcMs, split: parts };
}

describe('the event-loop prediction model', () => {
  it('a whole-result block (Mongoose hydration after toArray) grows with the result; the batch part does not', () => {
    const whole = { docs: 10_000, runs: [run({ hydrationMs: 180, gcMs: 20, bsonMs: 10 }, 400), run({ hydrationMs: 185, gcMs: 15, bsonMs: 10 }, 410)] };
    const half = { docs: 5_000, runs: [run({ hydrationMs: 90, gcMs: 10, bsonMs: 10 }, 210), run({ hydrationMs: 92, gcMs: 8, bsonMs: 10 }, 210)] };
    expect(wholeResultBlocking(whole.runs)).toBe(true);
    const p = predictLoop({ whole, half, count: 100_000, sampleBatchDocs: 9_899, wholeBatchDocs: 99_899 })!;
    expect(p.blocking).toBe('whole-result');
    expect(p.batchDocs).toBeNull();
    // The block's GC shared by work when the meter did not time the pass's own (hydrationGcMs absent): GC × hydration / (hydration + BSON).
    const passGc = (h: number, g: number, b: number) => (g * h) / (h + b);
    const batch = (10 + 20 - passGc(180, 20, 10) + 10 + 15 - passGc(185, 15, 10)) / 2;
    const gc = (passGc(180, 20, 10) + passGc(185, 15, 10)) / 2;
    // The pass's work, the least run at each size: 180 ms per 10,000, 90 per 5,000 → 1,800 for 100,000; its GC per document
    // (a hydrating pass holds what it creates); the last batch ~11 ms × (99,899 / 9,899).
    expect(p.blockedMs).toBeCloseTo(180 + ((180 - 90) / 5_000) * 90_000 + gc * 10 + batch * (99_899 / 9_899), 0);
    expect(p.blockedLowMs).toBeLessThanOrEqual(p.blockedMs);
    expect(p.blockedHighMs).toBeGreaterThanOrEqual(p.blockedMs);
    // CPU: 405 at 10,000, 210 at 5,000, the runs at each size within 10 %: fixed 15 + 0.039 per document.
    expect(p.cpuMs).toBeCloseTo(405 + 0.039 * 90_000, 0);
    expect(p.measuredWhole).toBe(false);
  });

  it('the pass follows the last batch, not the largest: the longest block is the last batch + the pass, or the largest batch alone', () => {
    const whole = { docs: 10_000, runs: [run({ hydrationMs: 180, gcMs: 20, bsonMs: 10 }, 400), run({ hydrationMs: 180, gcMs: 20, bsonMs: 10 }, 400)] };
    const half = { docs: 5_000, runs: [run({ hydrationMs: 90, gcMs: 10, bsonMs: 10 }, 210), run({ hydrationMs: 90, gcMs: 10, bsonMs: 10 }, 210)] };
    // 340,170 documents: 101, two batches of 144,344, a last one of 51,381.
    const input = { whole, half, count: 340_170, sampleBatchDocs: 9_899, wholeBatchDocs: 144_344, wholeLastBatchDocs: 51_381 };
    const p = predictLoop(input)!;
    const gc = (20 * 180) / 190;
    const pass = 180 + ((180 - 90) / 5_000) * 330_170 + gc * 34.017;
    expect(p.blockedMs).toBeCloseTo((10 + 20 - gc) * (51_381 / 9_899) + pass, 0);
    // A cheap pass: the largest batch alone (its share of the block's GC with it) is the longest block.
    const cheap = (n: number) => ({ docs: n, runs: [1, 2].map(() => run({ hydrationMs: n / 1_000, gcMs: 1, bsonMs: 40 }, n / 20)) });
    const q = predictLoop({ ...input, whole: cheap(10_000), half: cheap(5_000) })!;
    const alone = (40 + (1 * 40) / 50) * (144_344 / 9_899);
    expect(q.blockedMs).toBeCloseTo(alone, 0);
  });

  it('runs that disagree by more than 10 % at a size: the average cost, the fit kept in the interval', () => {
    const whole = { docs: 10_000, runs: [run({ bsonMs: 40 }, 300), run({ bsonMs: 40 }, 500)] };
    const half = { docs: 5_000, runs: [run({ bsonMs: 20 }, 100), run({ bsonMs: 20 }, 110)] };
    const p = predictLoop({ whole, half, count: 100_000, sampleBatchDocs: 9_899, wholeBatchDocs: 9_899 })!;
    // Median 400 at 10,000: 40 ms per 1,000 documents; the fit (marginal 0.059) would say 5,710.
    expect(p.cpuMs).toBe(4_000);
    expect(p.cpuHighMs).toBeGreaterThanOrEqual(400 + 0.059 * 90_000 - 1);
    expect(spreadOf([300, 500])).toBeCloseTo(0.5, 5);
    expect(spreadOf([300])).toBe(Infinity);
  });

  it('a per-batch block (toArray, a cursor) is bounded by the largest batch, whatever the result', () => {
    const whole = { docs: 10_000, runs: [run({ bsonMs: 38, gcMs: 2 }, 150), run({ bsonMs: 40 }, 160)] };
    const half = { docs: 5_000, runs: [run({ bsonMs: 20 }, 80)] };
    expect(wholeResultBlocking(whole.runs)).toBe(false);
    const small = predictLoop({ whole, half, count: 1_000_000, sampleBatchDocs: 1_000, wholeBatchDocs: 1_000 })!;
    expect(small.blocking).toBe('per-batch');
    expect(small.batchDocs).toBe(1_000);
    expect(small.blockedMs).toBeCloseTo(40, 0);
    const big = predictLoop({ whole, half, count: 1_000_000, sampleBatchDocs: 9_899, wholeBatchDocs: 150_000 })!;
    expect(big.blockedMs).toBeCloseTo(40 * (150_000 / 9_899), 0);
    // CPU grows with every document all the same.
    expect(big.cpuMs).toBeGreaterThan(100 * small.blockedMs);
  });

  it('the whole result measured: the runs themselves, their spread ± one resolution', () => {
    const whole = { docs: 500, runs: [run({ hydrationMs: 20 }, 30), run({ hydrationMs: 24 }, 34), run({ hydrationMs: 22 }, 31)] };
    const p = predictLoop({ whole, half: null, count: 500, sampleBatchDocs: 399, wholeBatchDocs: 399 })!;
    expect(p.measuredWhole).toBe(true);
    expect(p.blockedMs).toBe(22);
    expect(p.blockedLowMs).toBe(18);
    expect(p.blockedHighMs).toBe(26);
    expect([p.cpuLowMs, p.cpuMs, p.cpuHighMs]).toEqual([30, 31, 34]);
  });

  it('two sizes: the interval spans the fit and the average; one size: the average alone', () => {
    // 100 ms at 5,000, 260 at 10,000: a marginal of 0.032 a document, within half to twice the average (0.026): the fit leads.
    const fit = extrapolate({ docs: 5_000, value: 100 }, { docs: 10_000, value: 260 }, 100_000);
    expect(fit.point).toBeCloseTo(260 + 0.032 * 90_000, 0);
    expect(fit.high).toBeCloseTo(260 + 0.032 * 90_000, 0);
    expect(fit.low).toBeCloseTo(2_600, 0);
    expect(extrapolate(null, { docs: 10_000, value: 260 }, 100_000)).toEqual({ point: 2_600, low: 2_600, high: 2_600 });
  });

  it('an extrapolated figure carries SCALE_BAND: 0.5–2.2× what the model gives, how far whole results moved from their predictions in the benchmark', () => {
    expect(SCALE_BAND).toEqual({ low: 0.5, high: 2.2 });
    const steady = (n: number, ms: number) => ({ docs: n, runs: [1, 2].map(() => run({ bsonMs: ms }, ms * 3)) });
    // Per batch: 40 ms for 9,899 documents → ~606 ms for a batch of 150,000, CPU 120 ms per 10,000 → 12,000 for 1,000,000.
    const p = predictLoop({ whole: steady(10_000, 40), half: steady(5_000, 20), count: 1_000_000, sampleBatchDocs: 9_899, wholeBatchDocs: 150_000 })!;
    const batch = 40 * (150_000 / 9_899);
    expect(p.blockedMs).toBeCloseTo(batch, 0);
    expect(p.blockedLowMs).toBeCloseTo(batch * 0.5 - 2, 0);
    expect(p.blockedHighMs).toBeCloseTo(batch * 2.2 + 2, 0);
    expect(p.cpuMs).toBeCloseTo(12_000, 0);
    expect([p.cpuLowMs, p.cpuHighMs]).toEqual([6_000, 26_400]);
    // Measured whole (the sample was all of it): the runs' own spread, no band.
    const all = predictLoop({ whole: steady(10_000, 40), half: null, count: 10_000, sampleBatchDocs: 9_899, wholeBatchDocs: 9_899 })!;
    expect([all.blockedLowMs, all.blockedHighMs]).toEqual([38, 42]);
  });

  it('the band grows with how far the prediction reaches: in full from 34× the sample, less below, none at 1×', () => {
    expect(bandFor(1)).toEqual({ low: 1, high: 1 });
    expect(bandFor(34)).toEqual({ low: 0.5, high: 2.2 });
    expect(bandFor(340)).toEqual({ low: 0.5, high: 2.2 });
    const twice = bandFor(2);
    expect(twice.low).toBeCloseTo(0.5 ** (Math.log(2) / Math.log(34)), 9);
    expect(twice.low).toBeGreaterThan(0.85);
    expect(twice.high).toBeLessThan(1.2);
    // A result twice its sample: the interval far narrower than at 100×.
    const steady = (n: number) => ({ docs: n, runs: [1, 2].map(() => run({ hydrationMs: n / 100 }, n / 50)) });
    const near = predictLoop({ whole: steady(10_000), half: steady(5_000), count: 20_000, sampleBatchDocs: 9_899, wholeBatchDocs: 9_899 })!;
    expect(near.cpuHighMs / near.cpuMs).toBeLessThan(1.2);
    const far = predictLoop({ whole: steady(10_000), half: steady(5_000), count: 1_000_000, sampleBatchDocs: 9_899, wholeBatchDocs: 9_899 })!;
    expect(far.cpuHighMs / far.cpuMs).toBeCloseTo(2.2, 5);
  });

  it("a holding pass over a heap of 1 GiB or more: its block's range reaches 3× the point; a lean pass's, a batch's and a smaller heap's keep 2.2×", () => {
    expect(LARGE_HEAP_HIGH * SCALE_BAND.high).toBeCloseTo(3, 9);
    // A pure pass (no batch part), 1,000,000 documents from 10,000 and 5,000: 100× the sample, the band in full.
    const pass = (n: number) => ({ docs: n, runs: [1, 2].map(() => run({ hydrationMs: n / 100 }, n / 50)) });
    const input = { whole: pass(10_000), half: pass(5_000), count: 1_000_000, sampleBatchDocs: 9_899, wholeBatchDocs: 9_899 };
    const large = predictLoop({ ...input, wholeHeapBytes: LARGE_HEAP_BYTES })!;
    expect(large.largeHeapPass).toBe(true);
    expect(large.blockedHighMs).toBeCloseTo(large.blockedMs * 3 + 2, 0);
    expect(large.blockedLowMs).toBeCloseTo(large.blockedMs * 0.5 - 2, 0);
    // The CPU keeps SCALE_BAND: the whole run's CPU was predicted within it on article.
    expect(large.cpuHighMs / large.cpuMs).toBeCloseTo(2.2, 5);
    // A result 8× its sample: the usual band is narrower there, the large heap's widening is not (a larger sample does not reach that heap).
    const near = predictLoop({ ...input, count: 80_000, wholeHeapBytes: 2 * LARGE_HEAP_BYTES })!;
    expect(near.blockedHighMs).toBeCloseTo(near.blockedMs * bandFor(8).high * LARGE_HEAP_HIGH + 2, 0);
    for (const other of [
      predictLoop({ ...input, wholeHeapBytes: LARGE_HEAP_BYTES - 1 })!,
      predictLoop({ ...input, wholeHeapBytes: LARGE_HEAP_BYTES, passHolds: false })!,
      predictLoop({ ...input, wholeHeapBytes: null })!,
    ]) {
      expect(other.largeHeapPass).toBeUndefined();
      expect(other.blockedHighMs).toBeCloseTo(other.blockedMs * 2.2 + 2, 0);
    }
    // A per-batch block over the same heap: bounded by its batch, the usual band.
    const batchy = (n: number) => ({ docs: n, runs: [1, 2].map(() => run({ bsonMs: 40 }, n / 50)) });
    const perBatch = predictLoop({ ...input, whole: batchy(10_000), half: batchy(5_000), wholeHeapBytes: 4 * LARGE_HEAP_BYTES })!;
    expect(perBatch.blocking).toBe('per-batch');
    expect(perBatch.largeHeapPass).toBeUndefined();
    expect(perBatch.blockedHighMs).toBeCloseTo(perBatch.blockedMs * 2.2 + 2, 0);
    // The whole result measured (the sample was all of it): its runs, no band, no flag.
    const measured = predictLoop({ ...input, count: 10_000, wholeHeapBytes: 4 * LARGE_HEAP_BYTES })!;
    expect(measured.measuredWhole).toBe(true);
    expect(measured.largeHeapPass).toBeUndefined();
  });

  it('a block with hydration in it is the whole-result pass after a batch, with the GC timed inside it (or shared by work); without, the batch part', () => {
    expect(blockParts(run({ hydrationMs: 1, gcMs: 3, bsonMs: 30 }, 50))).toEqual({ pass: 0, passGc: 0, batch: 34 });
    const small = blockParts(run({ hydrationMs: 5, gcMs: 7, bsonMs: 30 }, 50));
    expect(small.pass).toBeCloseTo(6, 6);
    expect(small.passGc).toBeCloseTo(1, 6);
    expect(small.batch).toBeCloseTo(36, 6);
    const large = blockParts(run({ hydrationMs: 50, gcMs: 11, bsonMs: 5 }, 80));
    expect(large.pass).toBeCloseTo(60, 6);
    expect(large.batch).toBeCloseTo(6, 6);
    // The loop meter timed 2 of the 11 ms of GC inside the pass: the other 9 are the batch's.
    const timed = run({ hydrationMs: 50, gcMs: 11, bsonMs: 5 }, 80);
    expect(blockParts({ ...timed, split: { ...timed.split, hydrationGcMs: 2 } })).toEqual({ pass: 52, passGc: 2, batch: 14 });
  });

  it("the pass's work from the least run at each size; its GC per document when the pass holds what it creates, by the last batch when not", () => {
    // GC timed inside the pass: 10 ms of 10,000 parents, 5 of 5,000; one disturbed run at each size (+40 %).
    const timed = (hydrationMs: number, passGcMs: number, bsonMs: number) => {
      const r = run({ hydrationMs, gcMs: passGcMs + 10, bsonMs }, 300);
      return { ...r, split: { ...r.split, hydrationGcMs: passGcMs } };
    };
    const whole = { docs: 10_000, runs: [timed(50, 8, 20), timed(70, 12, 20)] };
    const half = { docs: 5_000, runs: [timed(27, 5, 10), timed(38, 5, 10)] };
    const input = { whole, half, count: 340_000, sampleBatchDocs: 9_899, wholeBatchDocs: 144_000, wholeLastBatchDocs: 50_000 };
    // Work: fixed 4 + 0.0046 a parent (the least runs: 27 at 5,000, 50 at 10,000); the disturbed runs would give 0.0064.
    const work = 50 + ((50 - 27) / 5_000) * 330_000;
    const last = (20 + 10) * (50_000 / 9_899);
    const holds = predictLoop(input)!;
    expect(holds.blockedMs).toBeCloseTo(last + work + 10 * 34, 0);
    const lean = predictLoop({ ...input, passHolds: false })!;
    expect(lean.blockedMs).toBeCloseTo(last + work + 10 * (50_000 / 9_899), 0);
    // A run whose longest block was a batch, not the pass, does not read the pass as 0.
    const batchOnly = run({ bsonMs: 45 }, 300);
    expect(predictLoop({ ...input, whole: { ...whole, runs: [...whole.runs, batchOnly] } })!.blockedMs).toBeCloseTo(holds.blockedMs, 0);
    // Either way the interval spans both scalings of the pass's GC: the same bounds, only the point moves.
    expect(lean.blockedLowMs).toBe(holds.blockedLowMs);
    expect(lean.blockedHighMs).toBe(holds.blockedHighMs);
    expect(lean.blockedMs).toBeLessThan(holds.blockedMs);
  });
});

describe("a populate's follow-up queries", () => {
  /** A populate run: the parents' query (read, hydration) and one follow-up (read, hydration), each phase's CPU. */
  const populateRun = (parentsMs: number, followMs: number): LoopRun => ({
    ...run({ hydrationMs: 100, bsonMs: 10 }, parentsMs + followMs),
    phases: [
      { phase: 'read', cpuMs: parentsMs * 0.4 },
      { phase: 'hydration', cpuMs: parentsMs * 0.6 },
      { phase: 'read', cpuMs: followMs * 0.3 },
      { phase: 'hydration', cpuMs: followMs * 0.7 },
    ],
  });

  it("a run's follow-up CPU is its phases from the second 'read' on; a run of one query has none", () => {
    expect(followUpCpu(populateRun(200, 50))).toBeCloseTo(50, 6);
    expect(
      followUpCpu({
        ...run({ bsonMs: 10 }, 30),
        phases: [
          { phase: 'read', cpuMs: 10 },
          { phase: 'hydration', cpuMs: 20 },
        ],
      }),
    ).toBe(0);
    expect(followUpCpu(run({ bsonMs: 10 }, 30))).toBe(0);
  });

  it('scales by the referenced documents materialised, the parents by parents; the interval reaches per-parent scaling', () => {
    // 10,000 parents, 200 distinct referenced documents; the whole result: 340,000 parents, 4,000 referenced.
    const whole = { docs: 10_000, runs: [populateRun(200, 50), populateRun(200, 50)] };
    const half = { docs: 5_000, runs: [populateRun(100, 30), populateRun(100, 30)] };
    const base = { whole, half, count: 340_000, sampleBatchDocs: 9_899, wholeBatchDocs: 144_344 };
    const plain = predictLoop(base)!;
    const p = predictLoop({ ...base, followUp: { sampleHeld: 200, wholeHeld: 4_000 } })!;
    // Parents: 200 ms per 10,000, 100 per 5,000 (steady) → 6,800 ms; follow-up: 50 ms × 4,000 / 200 = 1,000 ms.
    expect(p.cpuMs).toBeCloseTo(6_800 + 1_000, 0);
    // Without the follow-up apart the whole run scales per parent: 250 at 10,000, 130 at 5,000 → fit 250 + 0.024 × 330,000.
    expect(plain.cpuMs).toBeCloseTo(250 + 0.024 * 330_000, 0);
    // The interval's top reaches the follow-up scaled per parent (50 × 34 = 1,700), widened by the band.
    const band = bandFor(34);
    expect(p.cpuHighMs).toBeCloseTo((6_800 + 1_700) * band.high, 0);
    expect(p.cpuLowMs).toBeCloseTo((6_800 + 1_000) * band.low, 0);
  });
});

describe('a busy machine', () => {
  it('a block the OS stretched counts at the CPU the process had in it: the prediction is of the work', () => {
    const stretched: LoopRun = { ...run({ bsonMs: 400 }, 60), blockedCpuMs: 40 };
    const p = predictLoop({ whole: { docs: 1_000, runs: [stretched] }, half: null, count: 1_000, sampleBatchDocs: 899, wholeBatchDocs: 899 })!;
    expect(p.blockedMs).toBe(40);
    const idle: LoopRun = { ...run({ bsonMs: 40 }, 60), blockedCpuMs: 55 };
    expect(predictLoop({ whole: { docs: 1_000, runs: [idle] }, half: null, count: 1_000, sampleBatchDocs: 899, wholeBatchDocs: 899 })!.blockedMs).toBe(40);
  });
});
