import type { Db } from 'mongodb';
import { firstPeak, probeHeadroom, type TimedRun } from '../../core/measure/runs.js';
import type { MeasuredRun, MeasureSession } from '../../core/measure/session.js';
import { settledMemory, type MemoryReading } from '../../core/measure/settle.js';
import { liveOf, probeCopies, type LiveReading } from './predict.js';
import { sampled, type QuerySpec } from './spec.js';
import type { QueryVariant } from './variants/types.js';

/** A variant's run on one spec (the sample, its first half), given what the session shares. */
export type SpecRun = (spec: QuerySpec) => MeasuredRun<number>;

/**
 * Unmeasured runs that stop at the peak point: `copies` runs nested in each other's peak point,
 * so that all their results are held at once when the innermost one takes the reading (a full
 * GC). The reading is divided by `copies`: one sample of a few MB is close to the settled heap's
 * noise, the same sample held several times is not. Null when the variant reached no peak point.
 */
export async function probeLive(session: MeasureSession, db: Db, run: MeasuredRun<number>, index: number, copies = 1): Promise<LiveReading | null> {
  const base = await settledMemory();
  session.sampler.reset();
  session.enter('probe', index);
  let reading: Omit<LiveReading, 'docs'> | null = null;
  let docs = 0;
  const level = async (depth: number): Promise<void> => {
    const peak = firstPeak(async () => {
      if (depth < copies) return level(depth + 1);
      const now = await settledMemory(2);
      reading = {
        heapBytes: (now.heap - base.heap) / copies,
        externalBytes: (now.external - base.external) / copies,
        arrayBuffersBytes: (now.arrayBuffers - base.arrayBuffers) / copies,
        ...(copies > 1 && { copies }),
      };
    });
    const held = await run(session.context(db, { atPeak: peak.atPeak }));
    if (depth === 1) docs = held;
  };
  await level(1);
  const measured = reading as Omit<LiveReading, 'docs'> | null;
  return measured ? { ...measured, docs } : null;
}

export interface LiveReadings {
  live: LiveReading | null;
  liveHalf: LiveReading | null;
  heapLimitBytes: number;
}

/**
 * After the timed runs: the live memory of the sample and, for a per-document variant with
 * `probeHalf`, of its first half (the marginal cost per document), each held in as many copies as
 * the heap's headroom allows. None when the timed runs peaked too near the heap limit.
 */
export async function liveReadings(
  session: MeasureSession,
  db: Db,
  variant: QueryVariant,
  runOn: SpecRun,
  { spec, probeHalf, runs, before, lastDocs }: { spec: QuerySpec; probeHalf: boolean; runs: TimedRun[]; before: MemoryReading; lastDocs: number },
): Promise<LiveReadings> {
  const { limitBytes, mayCollect } = probeHeadroom(session, Math.max(0, ...runs.map((run) => run.peakHeapBytes)));
  const halfDocs = Math.floor(lastDocs / 2);
  let live: LiveReading | null = null;
  let liveHalf: LiveReading | null = null;
  if (mayCollect) {
    let index = 0;
    live = await probeLive(session, db, runOn(spec), ++index);
    const peakGrowthBytes = Math.max(0, ...runs.map((run) => run.peakHeapBytes - before.heap));
    const perDocument = variant.scaling === 'per-document';
    const copies = probeHalf && perDocument && live ? probeCopies(liveOf(live), peakGrowthBytes, limitBytes - before.heap) : 1;
    if (copies > 1) live = (await probeLive(session, db, runOn(spec), ++index, copies)) ?? live;
    // A per-batch variant holds one batch, not the sample: no marginal cost per document to fit.
    if (probeHalf && halfDocs > 0 && perDocument) liveHalf = await probeLive(session, db, runOn(sampled(spec, halfDocs)), ++index, copies);
    if (live === null) session.notes.add('the variant reached no peak point; its live memory is unknown');
  }
  return { live, liveHalf, heapLimitBytes: limitBytes };
}
