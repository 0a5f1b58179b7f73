import type { LeakGroup } from '../../results/heap.js';
import type { LeakSite } from '../../results/leak.js';
import { NOISE_FLOOR_BYTES, type LeakedTotals } from './growth.js';
import { topLeak } from './verdict.js';

/** Above this share of survivor bytes without an allocation stack (after attribute.ts lent them their path's site), the sampled sites name the allocators instead. */
const UNKNOWN_SHARE = 0.5;

/**
 * V8 keeps an object's allocation stack by address and moves it with the object only while the
 * object has no snapshot id (HeapProfiler::ObjectMoveEvent in V8's src/profiler/heap-profiler.cc,
 * https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/profiler/heap-profiler.cc); with tracking on, V8
 * numbers new objects every ~50 ms, so a survivor a later GC moved (promoted, compacted) loses
 * its stack. When most surviving bytes lost theirs, the sampling profiler run beside the tracker
 * names the sites (statistically) and the snapshot's retainer paths say what holds the survivors.
 */
export function preferSampled(
  analysed: { survivors: { count: number; bytes: number }; unknownBytes: number; sites: LeakSite[]; leaked: LeakedTotals; paths: LeakGroup[]; notes: string[] },
  { sites: sampled, leaked }: { sites: LeakSite[]; leaked: LeakedTotals },
): { survivors: { count: number; bytes: number }; sites: LeakSite[]; leaked: LeakedTotals; paths: LeakGroup[]; notes: string[] } {
  // Every site's survivors, not only the top ones shown: unknown ones rank last and would be cut.
  const { unknownBytes: unknown, ...tracked } = analysed;
  // Tiny survivors stay the tracker's: below the noise floor the stackless bytes explain nothing,
  // and one sample's estimate (a 32 KB object's) can outweigh them.
  if (unknown < NOISE_FLOOR_BYTES || unknown / tracked.survivors.bytes < UNKNOWN_SHARE || sampled.length === 0) return tracked;
  const share = Math.round((unknown / tracked.survivors.bytes) * 100);
  const heldBy = tracked.paths[0]?.path ?? null;
  // On the site the verdict names, else the first.
  const named = topLeak(sampled.filter((site) => site.leaking)) ?? sampled[0];
  return {
    ...tracked,
    sites: sampled.map((site) => ({ ...site, heldBy: site === named ? heldBy : null })),
    leaked,
    notes: [
      ...tracked.notes,
      `V8 dropped the allocation stacks of ${share} % of the surviving bytes (objects a GC moved after V8 numbered them); the sites are the sampling profiler's (statistical), "held by" is the largest group of survivors by retainer path`,
    ],
  };
}
