import { openSnapshotSession } from '../../core/heapsnapshot/capture-session.js';
import type { CaptureFrom } from '../../core/heapsnapshot/capture.js';
import { NOISE_FLOOR_BYTES } from '../../core/leak/growth.js';
import { outsideHeapRise, startTracking, type LeakTracking } from '../../core/leak/tracking.js';
import { leakVerdict } from '../../core/leak/verdict.js';
import type { SourceSpec } from '../../core/memory/sources/types.js';
import { CheckError } from '../../lib/errors.js';
import type { Reporter } from '../../lib/progress.js';
import type { FloodLeak, TargetOutcome } from '../../results/flood-target.js';
import { LEAK_COOLDOWN_MS } from './cooldown.js';

const TOP = 10;

export interface FloodLeakRun {
  /** The load ended (its outcome): the mark, the cooldown, the final snapshot and the analysis. */
  finish(outcome: TargetOutcome): Promise<FloodLeak>;
  close(): Promise<void>;
}

/**
 * `flood --target --leak`: the baseline and allocation tracking before the producers start, in an
 * inspector session of its own (src/core/leak/tracking.ts), beside the memory source's. It stays
 * open through the load, so no session closes meanwhile and the object ids stay comparable.
 */
export async function startFloodLeak(spec: SourceSpec, ctx: { signal: AbortSignal; reporter: Reporter }): Promise<FloodLeakRun> {
  if (spec.kind === 'metrics') throw new Error('--leak needs the inspector (the options refuse --metrics)');
  const from: CaptureFrom = spec.kind === 'inspector' ? { kind: 'inspector', address: spec.address } : { kind: 'pid', pid: spec.pid };
  const opened = await openSnapshotSession(from, ctx.signal);
  let tracking: LeakTracking;
  try {
    tracking = await startTracking(opened, { force: false, top: TOP, keepSnapshot: null }, ctx.reporter, ctx.signal);
  } catch (error) {
    await opened.close();
    throw error;
  }
  const base = { via: opened.via, cooldownMs: LEAK_COOLDOWN_MS, noiseFloorBytes: NOISE_FLOOR_BYTES };
  return {
    async finish(outcome) {
      const skipped = (reason: string): FloodLeak => ({
        ...base,
        status: 'skipped',
        reason,
        heap: tracking.heap,
        cost: {
          trackingStartMs: tracking.startMs,
          snapshotMs: tracking.finalSnapshot?.ms ?? null,
          snapshotBytes: tracking.finalSnapshot?.bytes ?? null,
          outsideHeapRiseBytes: outsideHeapRise(tracking.heap),
          analysisMs: null,
        },
        survivors: null,
        sites: [],
        paths: [],
        leakedBytes: 0,
        verdict: { leaking: false, lines: [`no leak analysis: ${reason}`] },
        notes: [],
      });
      if (outcome !== 'completed') return skipped(outcome === 'died' ? 'the target died under load' : 'the run was stopped');
      try {
        await tracking.mark('producers stopped');
        ctx.reporter.note(`flood --leak: ${LEAK_COOLDOWN_MS / 1000} s cooldown, then the final snapshot`);
        const analysed = await tracking.finish(LEAK_COOLDOWN_MS);
        if (!analysed) return skipped('the run was stopped');
        const result: FloodLeak = {
          ...base,
          status: 'ok',
          reason: null,
          heap: tracking.heap,
          cost: {
            trackingStartMs: tracking.startMs,
            snapshotMs: analysed.snapshot.ms,
            snapshotBytes: analysed.snapshot.bytes,
            outsideHeapRiseBytes: outsideHeapRise(tracking.heap),
            analysisMs: analysed.analysisMs,
          },
          survivors: analysed.survivors,
          sites: analysed.sites,
          paths: analysed.paths,
          leakedBytes: analysed.leaked.bytes,
          verdict: leakVerdict(analysed.sites, { status: 'ok', repeat: 1, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: 'tracking', leaked: analysed.leaked }),
          notes: analysed.notes,
        };
        return result;
      } catch (error) {
        // The load's own figures stand: a failed analysis is this part's outcome, not the run's.
        if (!(error instanceof CheckError)) throw error;
        return skipped(error.message);
      } finally {
        await opened.close();
      }
    },
    close: () => opened.close(),
  };
}
