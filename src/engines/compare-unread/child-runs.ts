import type { Db } from 'mongodb';
import { writeSnapshot } from '../../core/heapsnapshot/write.js';
import { firstPeak, probeHeadroom, timedRuns } from '../../core/measure/runs.js';
import type { MeasuredRun, MeasureSession } from '../../core/measure/session.js';
import { settledHeapUsed, settledNoiseBytes } from '../../core/measure/settle.js';
import type { ChildResultMessage, ChildRun } from './protocol.js';

/**
 * What a strategy child (child.ts) measures beyond the session's warm-up and timed runs
 * (src/core/measure/runs.ts): the heap the timed runs retained, beside the noise of that figure,
 * and the probe run with its heap snapshot.
 */

export interface RetainedRuns {
  /** Settled heap before the first timed run. */
  heapBeforeBytes: number;
  runs: ChildRun[];
  /** The answer of the last run. */
  unreadIds: string[];
  heapSamples: number;
  /** Settled heap after the last run (its answer, the ids sent in the message, still held). */
  heapAfterBytes: number;
  /** Spread (max − min) of settled readings with nothing run between them: the noise of a retained figure. */
  settledNoiseBytes: number;
}

/** The timed runs between two settled heap readings, with the noise of those readings measured before and after. */
export async function retainedRuns(session: MeasureSession, db: Db, run: MeasuredRun<string[]>): Promise<RetainedRuns> {
  const noiseBytes = await settledNoiseBytes();
  const heapBeforeBytes = await settledHeapUsed();
  const timed = await timedRuns(session, db, run, (ids) => ({ unreadCount: ids.length }));
  const heapAfterBytes = await settledHeapUsed();
  // After the runs too: the JIT and the driver's pools have grown, and the spread with them.
  const settledNoise = Math.max(noiseBytes, await settledNoiseBytes());
  return { heapBeforeBytes, runs: timed.runs, unreadIds: timed.last ?? [], heapSamples: timed.heapSamples, heapAfterBytes, settledNoiseBytes: settledNoise };
}

/**
 * The probe run: unmeasured, it stops at the peak point for a full GC (the live heap) and, with
 * --heapdump, a snapshot; neither may touch the timed runs. Its baseline is the settled heap the
 * timed runs ended on: more forced collections in a row, near a tight --max-old-space-size, make
 * V8 declare them ineffective and abort the process as OOM.
 */
export async function probeRun(
  session: MeasureSession,
  db: Db,
  run: MeasuredRun<string[]>,
  { baseBytes, measuredPeakBytes, snapshotPath, index }: { baseBytes: number; measuredPeakBytes: number; snapshotPath?: string | undefined; index: number },
): Promise<{ liveAtPeakBytes: number | null; refused: boolean; snapshot?: ChildResultMessage['heapSnapshot'] }> {
  const { mayCollect } = probeHeadroom(session, measuredPeakBytes);
  session.enter('probe', index);
  let liveAtPeakBytes: number | null = null;
  let snapshot: ChildResultMessage['heapSnapshot'];
  const peak = firstPeak(async () => {
    // The lowest of three settled readings, pending callbacks run before each: a drained cursor's
    // last batch (lazily parsed, ~1.2 KB a document: 60–130 MB for naive's and window's last
    // batch on demo) is sometimes still referenced at the first one. With one reading, 2 of 6
    // probe runs of naive and window on demo read it (127 → 187 MB, 95 → 222 MB); with three, 0 of 12.
    if (mayCollect) liveAtPeakBytes = Math.max(0, (await settledHeapUsed(3)) - baseBytes);
    if (snapshotPath) snapshot = { path: snapshotPath, writer: writeSnapshot(snapshotPath) };
  });
  await run(session.context(db, { atPeak: peak.atPeak }));
  if (!peak.reached()) session.notes.add('the strategy reached no peak point; its live heap at peak is unknown and no heap snapshot was written');
  return { liveAtPeakBytes, refused: !mayCollect, ...(snapshot && { snapshot }) };
}
