/**
 * bench:query's event-loop comparison: the longest block and the CPU that imdiag query predicts from
 * the sample (src/engines/query/loop-predict.ts) against the whole result's timed run.
 *
 * Both sides on the same footing. The prediction is of the work: each sample block counts at the CPU
 * the process had in it (`working`: on a busy machine the OS runs other processes inside a gap, and
 * that wait is not the query's). The whole result's block is read the same way: its gap × the CPU
 * share in it. Comparing the prediction with the full run's raw gap instead made every prediction
 * look short by the machine's load (at a load of 16 on 2 CPUs, −46…−77 %). The raw gap is kept
 * beside it. CPU (process.cpuUsage over the run) needs no such correction on either side.
 */
import { loadavg } from 'node:os';
import { milliseconds, NO_VALUE } from '../src/lib/format.js';
import type { LoopPrediction } from '../src/results/query-prediction.js';
import { median as medianOf } from '../src/core/measure/stats.js';
import { blockParts, working } from '../src/engines/query/loop-predict.js';
import type { QueryChildResult } from '../src/engines/query/protocol.js';
import { median } from './stats.js';

export interface LoopReading {
  predictedBlockedMs: number;
  predictedBlocking: 'whole-result' | 'per-batch';
  /** The whole result's longest block at the CPU it had (as the prediction counts the sample's), and its raw gap − one resolution. */
  fullBlockedMs: number;
  fullBlockedWallMs: number;
  blockedError: number;
  predictedCpuMs: number;
  fullCpuMs: number;
  cpuError: number;
  /** Whether the whole result's figure fell inside the interval imdiag query printed (its band included: SCALE_BAND, or LARGE_HEAP_HIGH's wider top). */
  blockedInRange: boolean;
  cpuInRange: boolean;
  /** What the prediction was made from: the sample's and its half's median CPU, and their documents. */
  sampleCpuMs: number;
  sampleDocs: number;
  halfCpuMs: number | null;
  halfDocs: number | null;
  /** Each timed run's CPU at both sizes, and the longest block's batch part (loop-predict.ts's blockParts): how far runs at one size agree. */
  sampleCpuRunsMs: number[];
  halfCpuRunsMs: number[];
  sampleBatchBlockRunsMs: number[];
  halfBatchBlockRunsMs: number[];
  /** 1-minute load average when the full child ended (2 CPUs: above 2, other processes wait for a core). */
  load1: number;
}

/** `loop`: the sample's prediction as imdiag query makes it (a populate variant's through withPopulate). */
export function loopReading(loop: LoopPrediction | null | undefined, sampled: QueryChildResult, full: QueryChildResult): LoopReading {
  const run = full.runs[0]?.loop;
  if (!loop || !run) throw new Error(`${sampled.variant}: no event-loop prediction or no full run`);
  const fullBlockedMs = run.blockedMs * working(run);
  return {
    predictedBlockedMs: loop.blockedMs,
    predictedBlocking: loop.blocking,
    fullBlockedMs,
    fullBlockedWallMs: run.blockedMs,
    blockedError: loop.blockedMs / fullBlockedMs - 1,
    predictedCpuMs: loop.cpuMs,
    fullCpuMs: run.cpuMs,
    cpuError: loop.cpuMs / run.cpuMs - 1,
    blockedInRange: fullBlockedMs >= loop.blockedLowMs && fullBlockedMs <= loop.blockedHighMs,
    cpuInRange: run.cpuMs >= loop.cpuLowMs && run.cpuMs <= loop.cpuHighMs,
    sampleCpuMs: medianOf(sampled.runs.map((r) => r.loop.cpuMs)),
    sampleDocs: sampled.runs.at(-1)?.docs ?? 0,
    halfCpuMs: sampled.halfRuns.length > 0 ? medianOf(sampled.halfRuns.map((r) => r.loop.cpuMs)) : null,
    halfDocs: sampled.halfRuns[0]?.docs ?? null,
    sampleCpuRunsMs: sampled.runs.map((r) => r.loop.cpuMs),
    halfCpuRunsMs: sampled.halfRuns.map((r) => r.loop.cpuMs),
    sampleBatchBlockRunsMs: sampled.runs.map((r) => Math.round(blockParts(r.loop).batch * 10) / 10),
    halfBatchBlockRunsMs: sampled.halfRuns.map((r) => Math.round(blockParts(r.loop).batch * 10) / 10),
    load1: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** One variant's figures over the rounds: medians and the spread of the errors. */
export function loopFigures(mine: readonly LoopReading[], target = 0.25) {
  const blocked = mine.map((r) => r.blockedError);
  const cpu = mine.map((r) => r.cpuError);
  return {
    medianPredictedBlockedMs: median(mine.map((r) => r.predictedBlockedMs)),
    medianFullBlockedMs: median(mine.map((r) => r.fullBlockedMs)),
    medianFullBlockedWallMs: median(mine.map((r) => r.fullBlockedWallMs)),
    medianBlockedError: median(blocked),
    minBlockedError: Math.min(...blocked),
    maxBlockedError: Math.max(...blocked),
    medianPredictedCpuMs: median(mine.map((r) => r.predictedCpuMs)),
    medianFullCpuMs: median(mine.map((r) => r.fullCpuMs)),
    medianCpuError: median(cpu),
    minCpuError: Math.min(...cpu),
    maxCpuError: Math.max(...cpu),
    medianLoad1: median(mine.map((r) => r.load1)),
    /** Rounds whose whole-result figure fell inside the printed interval, of all rounds. */
    blockedInRange: mine.filter((r) => r.blockedInRange).length,
    cpuInRange: mine.filter((r) => r.cpuInRange).length,
    rounds: mine.length,
    blockedWithinTarget: Math.abs(median(blocked)) <= target,
    cpuWithinTarget: Math.abs(median(cpu)) <= target,
    allWithinTarget: [...blocked, ...cpu].every((e) => Math.abs(e) <= target),
  };
}

export const pct = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %` : NO_VALUE);

/** The text table's rows. */
export function loopLines(variants: ReadonlyArray<{ variant: string; loop: ReturnType<typeof loopFigures> }>): string[] {
  return [
    "event loop: longest block (at the CPU it had, both sides; the full run's raw gap in brackets) and CPU, predicted from the sample and its half against the whole result",
    'variant              pred. blocked   full blocked (raw)    median error   spread (min…max)   pred. CPU   full CPU   median error   spread (min…max)   median ±25 %      in range   load',
    ...variants.map(({ variant, loop: l }) =>
      [
        variant.padEnd(18),
        milliseconds(l.medianPredictedBlockedMs).padStart(13),
        `${milliseconds(l.medianFullBlockedMs)} (${milliseconds(l.medianFullBlockedWallMs)})`.padStart(19),
        pct(l.medianBlockedError).padStart(12),
        `${pct(l.minBlockedError)}…${pct(l.maxBlockedError)}`.padStart(16),
        milliseconds(l.medianPredictedCpuMs).padStart(9),
        milliseconds(l.medianFullCpuMs).padStart(8),
        pct(l.medianCpuError).padStart(12),
        `${pct(l.minCpuError)}…${pct(l.maxCpuError)}`.padStart(16),
        `${l.blockedWithinTarget ? 'yes' : 'no'}/${l.cpuWithinTarget ? 'yes' : 'no'}`.padStart(12),
        `${l.blockedInRange}/${l.cpuInRange} of ${l.rounds}`.padStart(11),
        l.medianLoad1.toFixed(1).padStart(4),
      ].join('   '),
    ),
  ];
}
