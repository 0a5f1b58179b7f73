import { setTimeout as sleep } from 'node:timers/promises';
import type { SnapshotSession } from '../../core/heapsnapshot/capture-session.js';
import { readLiveSites, SAMPLING_INTERVAL_BYTES, SAMPLING_START, sitesFromSamples, type LiveSites } from '../../core/leak/sampled-sites.js';
import { NOISE_FLOOR_BYTES } from '../../core/leak/growth.js';
import { arrayBuffersRise } from '../../core/leak/tracking.js';
import { bytesHuman } from '../../lib/format.js';
import type { Reporter } from '../../lib/progress.js';
import type { LeakParams, LeakRun } from './types.js';
import { endHeld, releaseAll, startWorkload, type StartedWorkload } from './workload.js';

/**
 * --sampling: the sampling heap profiler (HeapProfiler.startSampling) instead of tracking every
 * allocation. Its profile keeps only samples still alive (V8 drops those a GC collected), each
 * scaled to the bytes it stands for: allocation sites of the surviving memory, statistically. No
 * object ids and no retainers: "held by" is unknown in this mode. The profile is read after each
 * repetition (getSamplingProfile does not stop it): its latest sample's ordinal dates the final
 * profile's samples by repetition (sampled-sites.ts), as the tracker dates objects by id.
 */
export async function runSampling(
  opened: SnapshotSession,
  params: LeakParams,
  run: LeakRun,
  hooks: { read(label: string): Promise<unknown>; signal: AbortSignal; reporter: Reporter },
): Promise<LeakRun> {
  const { session } = opened;
  await session.send('HeapProfiler.collectGarbage');
  await hooks.read('baseline');
  await session.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
  const live: LiveSites[] = [SAMPLING_START];
  const held: StartedWorkload[] = [];
  let final: Awaited<ReturnType<typeof readLiveSites>>;
  try {
    for (let repetition = 1; repetition <= params.repeat && !hooks.signal.aborted; repetition++) {
      hooks.reporter.note(`imdiag leak: workload ${repetition}/${params.repeat}${params.workload.kind === 'during' ? `: ${params.workload.command}` : ''}`);
      const workload = await startWorkload(params.workload, repetition, hooks.signal);
      if (!(await workload.loaded)) run.workloads.push(await workload.end());
      else held.push(workload);
      if (hooks.signal.aborted) break;
      await session.send('HeapProfiler.collectGarbage');
      live.push(await readLiveSites(session, SAMPLING_INTERVAL_BYTES));
      await hooks.read(`after repetition ${repetition}`);
    }
    if (!hooks.signal.aborted) await sleep(params.settleMs, undefined, { signal: hooks.signal }).catch(() => undefined);
    if (hooks.signal.aborted) {
      await endHeld(held, run.workloads);
      return run;
    }
    await session.send('HeapProfiler.collectGarbage');
    await hooks.read('final');
    final = await readLiveSites(session, SAMPLING_INTERVAL_BYTES, true);
    // Every repetition's holding workload (src/core/leak/handoff.ts) ends after the final reading.
    await endHeld(held, run.workloads);
  } finally {
    await releaseAll(held);
  }
  const total = [...final.bytes.values()].reduce((sum, bytes) => sum + bytes, 0);
  const { sites, leaked } = sitesFromSamples(live, final, params.top);
  run.sites = sites;
  run.leaked = leaked;
  // Every site's samples, not only the --top listed (as the bytes).
  run.survivors = { count: [...final.counts.values()].reduce((sum, n) => sum + n, 0), bytes: total };
  run.notes.push(
    `sampling mode: sizes are estimates from samples every ~${SAMPLING_INTERVAL_BYTES / 1024} KB allocated (count = samples); what holds them is unknown in this mode (run without --sampling for retainer paths)`,
  );
  // The sampler sees the V8 heap only: a backlog of Buffers lives in their backing stores, outside it.
  const outside = arrayBuffersRise(run.heap);
  if (outside !== null && outside >= NOISE_FLOOR_BYTES)
    run.notes.push(
      `Buffers' and ArrayBuffers' memory outside the V8 heap rose by ${bytesHuman(outside)} (process.memoryUsage().arrayBuffers), which the sampler cannot see: run without --sampling to name the code that allocated it`,
    );
  run.status = 'ok';
  return run;
}
