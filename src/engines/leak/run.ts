import { openSnapshotSession } from '../../core/heapsnapshot/capture-session.js';
import { reading, startTracking } from '../../core/leak/tracking.js';
import type { Reporter } from '../../lib/progress.js';
import { runSampling } from './sampling.js';
import type { LeakParams, LeakRun } from './types.js';
import { startWorkload, type StartedWorkload } from './workload.js';

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
    analysisMs: null,
    survivors: null,
    sites: [],
    paths: [],
    notes: [],
  };
  let held: StartedWorkload | null = null;
  try {
    if (params.mode === 'sampling') {
      const started = performance.now();
      const read = async (label: string) => run.heap.push(await reading(opened, label, performance.now() - started));
      return await runSampling(opened, params, run, { read, signal, reporter });
    }
    const tracking = await startTracking(opened, params, reporter, signal);
    run.heap = tracking.heap;
    for (let repetition = 1; repetition <= params.repeat && !signal.aborted; repetition++) {
      reporter.note(`imdiag leak: workload ${repetition}/${params.repeat}${params.workload.kind === 'during' ? `: ${params.workload.command}` : ''}`);
      const workload = await startWorkload(params.workload, repetition, signal);
      if (!(await workload.loaded)) run.workloads.push(await workload.end());
      else held = workload;
      if (signal.aborted) break;
      await tracking.mark(`after repetition ${repetition}`);
      // A workload holding its connections (imdiag flood's monitors) ends after the last repetition's final snapshot.
      if (held && repetition < params.repeat) {
        run.workloads.push(await held.end());
        held = null;
      }
    }
    if (signal.aborted) {
      if (held) run.workloads.push(await held.end());
      return run;
    }
    const analysed = await tracking.finish(params.settleMs, () => held?.release());
    if (held) run.workloads.push(await held.end());
    if (!analysed) return run;
    const { snapshot, analysisMs, ...found } = analysed;
    Object.assign(run, { snapshot, analysisMs, ...found, status: 'ok' });
    return run;
  } finally {
    // A failed snapshot or analysis still lets a holding workload go.
    await held?.release();
    await opened.close();
  }
}
