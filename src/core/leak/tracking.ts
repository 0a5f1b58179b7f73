import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ID_TIMEOUT_MS, type SnapshotSession } from '../heapsnapshot/capture-session.js';
import { loadSnapshot } from '../heapsnapshot/load.js';
import { evaluate } from '../../lib/inspector/client.js';
import type { Reporter } from '../../lib/progress.js';
import type { LeakGroup } from '../../results/heap.js';
import type { LeakHeapReading, LeakSite } from '../../results/leak.js';
import { analyseTracked } from './analyse.js';
import { preferSampled } from './fallback.js';
import type { LeakedTotals } from './growth.js';
import { readLiveSites, SAMPLING_START, sitesFromSamples, TRACKING_SAMPLING_INTERVAL_BYTES, type LiveSites } from './sampled-sites.js';

export interface TrackedAnalysis {
  snapshot: { ms: number; bytes: number };
  analysisMs: number;
  survivors: { count: number; bytes: number };
  sites: LeakSite[];
  leaked: LeakedTotals;
  paths: LeakGroup[];
  notes: string[];
}

export interface LeakTracking {
  /** The target's heap after a forced GC (the baseline), after each mark and at the end. */
  readonly heap: LeakHeapReading[];
  /** How long startTrackingHeapObjects held the target: V8 numbers every live object before it returns. */
  readonly startMs: number;
  /**
   * The final snapshot's pause and size once it has ended, also when the run was stopped after (a
   * snapshot V8 has started cannot be cancelled: its pause is part of what the run cost the target).
   */
  readonly finalSnapshot: { ms: number; bytes: number } | null;
  /** After one round of the workload: the id check, an id mark (what follows is the next round's), a heap reading. */
  mark(label: string): Promise<void>;
  /** The settle time, the final snapshot (then `afterSnapshot`), tracking off (without another snapshot), the analysis; null when stopped. */
  finish(settleMs: number, afterSnapshot?: () => unknown): Promise<TrackedAnalysis | null>;
}

/**
 * Allocation tracking around a workload, in the one inspector session `opened` (so object ids stay
 * comparable): a forced GC and the baseline reading, tracking on with the sampling profiler beside
 * it, then the caller's workload between marks. No forced GC while tracking: V8 moves an object's
 * allocation stack with it only while the object has no id yet (HeapProfiler::ObjectMoveEvent,
 * https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/profiler/heap-profiler.cc), so a
 * compacting collection would strip numbered survivors of their stacks. Tracking is abandoned by
 * disabling the HeapProfiler domain / closing the session (the caller's), never by
 * stopTrackingHeapObjects, which would take one more snapshot.
 */
export async function startTracking(
  opened: SnapshotSession,
  options: { force: boolean; top: number; keepSnapshot: string | null },
  reporter: Reporter,
  signal: AbortSignal,
): Promise<LeakTracking> {
  const started = performance.now();
  const heap: LeakHeapReading[] = [];
  const read = async (label: string) => heap.push(await reading(opened, label, performance.now() - started));
  await opened.session.send('HeapProfiler.collectGarbage', {}, ID_TIMEOUT_MS);
  // Refused before the workload, not after it: the final snapshot is at least this heap's.
  await opened.checkFit(options.keepSnapshot ?? join(tmpdir(), 'final.heapsnapshot'), options.force);
  await read('baseline');
  const startBegan = performance.now();
  await opened.session.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, 120_000);
  const startMs = performance.now() - startBegan;
  await opened.checkIds();
  // The sampling profiler beside the tracker: V8 drops the allocation stack of a numbered object that a GC moves, the sampler keeps its own.
  await opened.session.send('HeapProfiler.startSampling', { samplingInterval: TRACKING_SAMPLING_INTERVAL_BYTES });
  const live: LiveSites[] = [SAMPLING_START];
  const marks = [await opened.idMark()];
  let finalSnapshot: { ms: number; bytes: number } | null = null;
  return {
    heap,
    startMs,
    get finalSnapshot() {
      return finalSnapshot;
    },
    async mark(label) {
      await opened.checkIds();
      marks.push(await opened.idMark());
      live.push(await readLiveSites(opened.session, TRACKING_SAMPLING_INTERVAL_BYTES));
      await read(label);
    },
    async finish(settleMs, afterSnapshot) {
      if (signal.aborted) return null;
      await sleep(settleMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return null;
      await read('final');
      const scratch = options.keepSnapshot ? null : await mkdtemp(join(tmpdir(), 'imdiag-leak-'));
      try {
        const file = options.keepSnapshot ?? join(scratch!, 'final.heapsnapshot');
        const capture = await snapshotWaiting(opened, file, options.force, reporter, signal);
        finalSnapshot = { ms: capture.durationMs, bytes: capture.bytesWritten };
        // The sampler's final profile straight after the snapshot (whose GC left only survivors), before the held workloads end.
        const sampled = sitesFromSamples(live, await readLiveSites(opened.session, TRACKING_SAMPLING_INTERVAL_BYTES, true), options.top);
        await afterSnapshot?.();
        // Tracking off without another snapshot, before the analysis (which may take a while).
        await opened.session.send('HeapProfiler.disable').catch(() => undefined);
        await opened.close();
        const analysisStarted = performance.now();
        const loaded = await loadSnapshot(file, undefined, signal).catch((error: unknown) => {
          if (signal.aborted) return null;
          throw error;
        });
        if (!loaded) return null;
        const analysed = preferSampled(analyseTracked(loaded, marks, options.top), sampled);
        if (options.keepSnapshot) analysed.notes.push(`the final snapshot (with allocation stacks) is in ${options.keepSnapshot}`);
        return { snapshot: finalSnapshot, analysisMs: performance.now() - analysisStarted, ...analysed };
      } finally {
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** A snapshot V8 has started cannot be cancelled: Ctrl-C meanwhile waits for it (and says so). */
async function snapshotWaiting(opened: SnapshotSession, file: string, force: boolean, reporter: Reporter, signal: AbortSignal) {
  const onAbort = () => reporter.note('imdiag: waiting for the heap snapshot V8 has started to end (it cannot be cancelled); tracking goes off after it');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await opened.snapshot(file, { signal: new AbortController().signal, force });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function reading(opened: SnapshotSession, label: string, tMs: number): Promise<LeakHeapReading> {
  const usage = await opened.session.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, ID_TIMEOUT_MS);
  const memory = await evaluate<[number, number]>(opened.session, '(() => { const m = process.memoryUsage(); return [m.rss, m.arrayBuffers]; })()').catch(
    () => null,
  );
  return { label, tMs, heapUsedBytes: usage.usedSize, rssBytes: memory?.[0] ?? null, arrayBuffersBytes: memory?.[1] ?? null };
}

/** The rise of ArrayBuffers' and Buffers' memory (outside the V8 heap) from the first reading to the last. */
export function arrayBuffersRise(heap: readonly LeakHeapReading[]): number | null {
  const first = heap[0]?.arrayBuffersBytes;
  const last = heap[heap.length - 1]?.arrayBuffersBytes;
  return heap.length < 2 || first === null || first === undefined || last === null || last === undefined ? null : last - first;
}

/**
 * RSS rise from the first reading to the last minus the V8 heap's rise and the Buffers' rise
 * (arrayBuffersRise, when the target gave it): what is left is mostly the tracker's own memory,
 * not the leak (a backlog of Buffers lives outside the heap).
 */
export function outsideHeapRise(heap: readonly LeakHeapReading[]): number | null {
  const first = heap[0];
  const last = heap[heap.length - 1];
  if (!first || !last || heap.length < 2 || first.rssBytes === null || last.rssBytes === null) return null;
  return last.rssBytes - first.rssBytes - (last.heapUsedBytes - first.heapUsedBytes) - (arrayBuffersRise(heap) ?? 0);
}
