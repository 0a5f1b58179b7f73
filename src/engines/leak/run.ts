import { IdsReset, openSnapshotSession } from '../../core/heapsnapshot/capture-session.js';
import { CheckError } from '../../lib/errors.js';
import { reading, startTracking } from '../../core/leak/tracking.js';
import type { Reporter } from '../../lib/progress.js';
import { runSampling } from './sampling.js';
import type { LeakParams, LeakRun } from './types.js';
import { endHeld, releaseAll, startWorkload, type StartedWorkload } from './workload.js';

export type { LeakParams, LeakRun } from './types.js';

/**
 * The run, in one inspector session (so object ids stay comparable): the baseline and tracking on
 * (src/core/leak/tracking.ts), the workload --repeat times with an id mark after each (while
 * tracking, V8 numbers new objects every ~50 ms, so each repetition's objects are an id range),
 * --settle, the final snapshot, tracking off, the analysis. The session's end disables tracking
 * even when imdiag is killed.
 */
export async function runLeak(params: LeakParams, reporter: Reporter, signal: AbortSignal): Promise<LeakRun> {
  const opened = await openSnapshotSession(params.from, signal);
  const run: LeakRun = {
    status: 'stopped',
    target: { pid: opened.pid, via: opened.via },
    workloads: [],
    heap: [],
    snapshot: null,
    trackingStartMs: null,
    analysisMs: null,
    survivors: null,
    sites: [],
    leaked: null,
    paths: [],
    notes: [],
  };
  const held: StartedWorkload[] = [];
  try {
    if (params.mode === 'sampling') {
      const started = performance.now();
      const read = async (label: string) => run.heap.push(await reading(opened, label, performance.now() - started));
      return await runSampling(opened, params, run, { read, signal, reporter });
    }
    const tracking = await startTracking(opened, params, reporter, signal);
    run.heap = tracking.heap;
    run.trackingStartMs = tracking.startMs;
    for (let repetition = 1; repetition <= params.repeat && !signal.aborted; repetition++) {
      reporter.note(`imdiag leak: workload ${repetition}/${params.repeat}${params.workload.kind === 'during' ? `: ${params.workload.command}` : ''}`);
      const workload = await startWorkload(params.workload, repetition, signal);
      if (!(await workload.loaded)) run.workloads.push(await workload.end());
      else held.push(workload);
      if (signal.aborted) break;
      await tracking.mark(`after repetition ${repetition}`).catch((error: unknown) => {
        if (!(error instanceof IdsReset) || params.workload.kind !== 'during') throw error;
        throw new CheckError(
          `the target's heap object ids were reset during repetition ${repetition}: the --during workload may have opened and closed an inspector session on the target (e.g. a tool given its --inspect address), or another session closed; leave the workload's own inspector out and run again`,
        );
      });
    }
    if (signal.aborted) {
      await endHeld(held, run.workloads);
      return run;
    }
    const analysed = await tracking.finish(params.settleMs, () => releaseAll(held)).finally(() => (run.snapshot = tracking.finalSnapshot));
    await endHeld(held, run.workloads);
    if (!analysed) return run;
    const { snapshot, analysisMs, ...found } = analysed;
    Object.assign(run, { snapshot, analysisMs, ...found, status: 'ok' });
    return run;
  } catch (error) {
    // A target that died mid-run shows as a closed inspector or a failing workload: name the cause.
    if (signal.aborted || !(error instanceof CheckError) || !(await opened.exited())) throw error;
    throw new CheckError(`the target (pid ${opened.pid}, ${opened.via}) exited during the run: ${error.message}`);
  } finally {
    // A failed snapshot or analysis still lets the holding workloads go.
    await releaseAll(held);
    await opened.close();
  }
}
