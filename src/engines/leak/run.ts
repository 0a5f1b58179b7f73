import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSnapshotSession, type SnapshotSession } from '../../core/heapsnapshot/capture-session.js';
import { loadSnapshot } from '../../core/heapsnapshot/load.js';
import { evaluate } from '../../lib/inspector/client.js';
import type { Reporter } from '../../lib/progress.js';
import type { LeakHeapReading } from '../../results/leak.js';
import { analyseTracked } from './analyse.js';
import { readLiveSites, runSampling, SAMPLING_INTERVAL_BYTES, sitesFromSamples } from './sampling.js';
import { preferSampled } from './fallback.js';
import type { LeakParams, LeakRun } from './types.js';
import { runWorkload } from './workload.js';

export type { LeakParams, LeakRun } from './types.js';

/**
 * The run, in one inspector session (so object ids stay comparable): a forced GC and the
 * baseline, allocation tracking on, the workload --repeat times with an id mark after each (while
 * tracking, V8 numbers new objects every ~50 ms, so each repetition's objects are an id range),
 * --settle, the final snapshot (its own full GC), then tracking off. No forced GC while tracking:
 * V8 moves an object's allocation stack with it only while the object has no id yet
 * (HeapProfiler::ObjectMoveEvent, https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/profiler/heap-profiler.cc),
 * so a compacting collection would strip numbered survivors of their stacks. Tracking is abandoned by
 * disabling the HeapProfiler domain / closing the session, never by stopTrackingHeapObjects, which
 * would take one more snapshot; the session's end disables it even when imdiag is killed.
 */
export async function runLeak(params: LeakParams, reporter: Reporter, signal: AbortSignal): Promise<LeakRun> {
  const opened = await openSnapshotSession(params.from, signal);
  const started = performance.now();
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
  const read = async (label: string) => run.heap.push(await reading(opened, label, performance.now() - started));
  let file: string | null = null;
  let scratch: string | null = null;
  try {
    if (params.mode === 'sampling') return await runSampling(opened, params, run, { read, signal, reporter });
    await opened.session.send('HeapProfiler.collectGarbage');
    await read('baseline');
    await opened.session.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, 120_000);
    await opened.checkIds();
    // The sampling profiler beside the tracker: V8 drops the allocation stack of a numbered object that a GC moves, the sampler keeps its own.
    await opened.session.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
    const live: Array<Map<string, number>> = [new Map()];
    const marks = [await opened.idMark()];
    for (let repetition = 1; repetition <= params.repeat && !signal.aborted; repetition++) {
      reporter.note(`imdiag leak: workload ${repetition}/${params.repeat}${params.workload.kind === 'during' ? `: ${params.workload.command}` : ''}`);
      run.workloads.push(await runWorkload(params.workload, repetition, signal));
      if (signal.aborted) break;
      await opened.checkIds();
      marks.push(await opened.idMark());
      live.push((await readLiveSites(opened.session)).bytes);
      await read(`after repetition ${repetition}`);
    }
    if (signal.aborted) return run;
    await sleep(params.settleMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return run;
    await read('final');
    scratch = params.keepSnapshot ? null : await mkdtemp(join(tmpdir(), 'imdiag-leak-'));
    file = params.keepSnapshot ?? join(scratch!, 'final.heapsnapshot');
    const capture = await snapshotWaiting(opened, file, params.force, reporter, signal);
    run.snapshot = { ms: capture.durationMs, bytes: capture.bytesWritten };
    const sampled = sitesFromSamples(live, await readLiveSites(opened.session, true), params.top);
    // Tracking off without another snapshot, before the analysis (which may take a while).
    await opened.session.send('HeapProfiler.disable').catch(() => undefined);
    await opened.close();
    if (params.keepSnapshot) run.notes.push(`the final snapshot (with allocation stacks) is in ${params.keepSnapshot}`);
    const analysisStarted = performance.now();
    const loaded = await loadSnapshot(file, undefined, signal).catch((error: unknown) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (!loaded) return run;
    Object.assign(run, preferSampled(analyseTracked(loaded, marks, params.top), sampled));
    run.analysisMs = performance.now() - analysisStarted;
    run.status = 'ok';
    return run;
  } finally {
    await opened.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** A snapshot V8 has started cannot be cancelled: Ctrl-C meanwhile waits for it (and says so). */
async function snapshotWaiting(opened: SnapshotSession, file: string, force: boolean, reporter: Reporter, signal: AbortSignal) {
  const onAbort = () => reporter.note('imdiag leak: waiting for the heap snapshot V8 has started to end (it cannot be cancelled); tracking goes off after it');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await opened.snapshot(file, { signal: new AbortController().signal, force });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function reading(opened: SnapshotSession, label: string, tMs: number): Promise<LeakHeapReading> {
  const usage = await opened.session.send<{ usedSize: number }>('Runtime.getHeapUsage');
  const rssBytes = await evaluate<number>(opened.session, 'process.memoryUsage.rss()').catch(() => null);
  return { label, tMs, heapUsedBytes: usage.usedSize, rssBytes };
}
