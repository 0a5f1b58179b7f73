import { getHeapStatistics } from 'node:v8';
import type { Db } from 'mongodb';
import { heapLimitBytes, probeRefusal } from './headroom.js';
import type { MeasuredRun, MeasureSession } from './session.js';
import { halfFillYoung, scavenge, settle, type YoungFiller } from './settle.js';
import { fillerCost } from './filler-cost.js';
import type { LoopRun } from '../../results/measure.js';

/**
 * The runs every measuring child makes in its session (session.ts): the warm-up, whose first run
 * counts the server's replies, and the timed runs. The probe runs that follow are each engine's own
 * (compare-unread's heap snapshot, query's nested copies); what they share is here too: the
 * headroom check and a peak point that acts once.
 */

/** What the server sent for one run, counted on the accounting run. */
export interface Replies {
  docsReceived: number;
  bytesReceived: number;
  /** Documents in the largest single reply. */
  largestBatchDocs: number;
}

/**
 * Warm-up: the first run counts the server's replies (on the connection with command monitoring),
 * later ones just warm the JIT. The accounting connection is closed after it: no measured run pays
 * for monitoring. No answer is kept: none may be held while the timed runs are measured.
 */
export async function warmUp(session: MeasureSession, db: Db, run: MeasuredRun<unknown>): Promise<Replies> {
  const { config, sampler, accounting, accountingClient } = session;
  for (let i = 0; i < config.warmupRuns; i++) {
    sampler.reset();
    session.enter('warm-up', i + 1);
    const accountingRun = i === 0;
    if (accountingRun) accounting.watch(accountingClient);
    await run(session.context(accountingRun ? accountingClient.db(config.dbName) : db, { accounting: accountingRun }));
    accounting.unwatchAll();
  }
  await accountingClient.close();
  return { docsReceived: accounting.docs, bytesReceived: accounting.bytes, largestBatchDocs: accounting.largestBatchDocs };
}

export interface TimedRun {
  durationMs: number;
  /** The sampler's highest heap reading during the run. */
  peakHeapBytes: number;
  /** Its longest event-loop block, CPU, utilisation and GC (loop.ts). */
  loop: LoopRun;
}

/**
 * How long a re-warm waits before the timed run: V8 compiles optimised code on its worker threads,
 * whose CPU process.cpuUsage counts; the jobs a re-warm queues must end before the run is timed
 * (TurboFan took up to 92 ms for the driver's BSON deserializeObject on a 2-CPU machine).
 */
export const REWARM_PAUSE_MS = 150;

/**
 * `config.runs` timed runs on the measured connection: a full GC before each, the sampler's peak
 * and the hrtime duration of each. With `rewarm` (a short run of the same work), each full GC is
 * followed by that run, unmeasured, a pause for the compiler, two scavenges and the young generation
 * filled to half its semi-space (the share `heldShare` of it held through the run): the full GC deoptimised the hot code (settle.ts,
 * `scavenge`), and a timed run that re-optimises it pays a fixed cost that a short sample's cost per
 * document carries and the whole result's does not; a run timed from an empty young generation
 * misses the scavenges the same allocation pays inside the whole result (`halfFillYoung`); the held
 * filler's own copying is taken out of the run's CPU (filler-cost.ts). A run that took no measurable time is dropped with a note (a
 * zero would be a rate of infinity). `record` keeps what the engine reports of each answer (its
 * size); only the last answer is kept, and it is dropped before the next run's GC so that no run is
 * measured holding its predecessor's.
 */
export async function timedRuns<A, R extends object>(
  session: MeasureSession,
  db: Db,
  run: MeasuredRun<A>,
  record: (answer: A) => R,
  rewarm?: { run: MeasuredRun<unknown>; heldShare: number },
): Promise<{ runs: Array<TimedRun & R>; last: A | undefined; heapSamples: number }> {
  const { config, sampler, notes } = session;
  const runs: Array<TimedRun & R> = [];
  let last: A | undefined;
  let heapSamples = 0;
  // Measured before the first run's full GC, which frees the calibration's promoted filler.
  const cost = rewarm && rewarm.heldShare > 0 ? fillerCost() : null;
  for (let i = 0; i < config.runs; i++) {
    last = undefined;
    settle();
    let filler: YoungFiller | undefined;
    if (rewarm) {
      await rewarm.run(session.context(db));
      // A timer, not a sync call: the awaited answer is only released once the async frame moves on.
      await new Promise((resolve) => setTimeout(resolve, REWARM_PAUSE_MS));
      scavenge();
      filler = halfFillYoung(rewarm.heldShare);
    }
    await session.loop.beginRun();
    sampler.reset(filler);
    session.enter('run', i + 1);
    const samplesBefore = sampler.samples;
    const started = process.hrtime.bigint();
    last = await run(session.context(db));
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The held filler's own copying is not the run's CPU (filler-cost.ts); its part of the longest block stays.
    const loop = await session.loop.endRun(cost && filler ? { heldBytes: filler.heldBytes, cost } : undefined);
    filler?.release();
    if (loop.blockedMs > 20 && loop.blockedCpuMs < 0.5 * loop.blockedMs)
      notes.add(
        `the machine was busy: a longest event-loop block of ${Math.round(loop.blockedMs)} ms had ${Math.round(loop.blockedCpuMs)} ms of CPU (the rest, other processes ran); blocked times include that wait: rerun on idle cores to narrow them`,
      );
    sampler.sample();
    heapSamples += sampler.samples - samplesBefore;
    if (durationMs <= 0) notes.add(`run ${i + 1} took no measurable time and was dropped`);
    else runs.push({ durationMs, peakHeapBytes: sampler.peakBytes, loop, ...record(last) });
  }
  return { runs, last, heapSamples };
}

/**
 * Whether a probe run may force collections at the peak point, under this process's heap limit
 * (headroom.ts); a refusal is noted once.
 */
export function probeHeadroom(session: MeasureSession, measuredPeakBytes: number): { limitBytes: number; mayCollect: boolean } {
  const limitBytes = heapLimitBytes(process.execArgv, getHeapStatistics().heap_size_limit);
  const refusal = probeRefusal(measuredPeakBytes, limitBytes);
  if (refusal) session.notes.add(refusal);
  return { limitBytes, mayCollect: refusal === null };
}

/** A peak point that acts on its first call only (a run may pass it more than once); `reached` says whether it was called. */
export function firstPeak(onPeak: () => Promise<void>): { atPeak: () => Promise<void>; reached: () => boolean } {
  let reached = false;
  return {
    atPeak: async () => {
      if (reached) return;
      reached = true;
      await onPeak();
    },
    reached: () => reached,
  };
}
