import { youngSpace } from './young-generation.js';
/**
 * Settled memory readings for the measuring children (compare-unread's strategies, `imdiag query`'s
 * variants), which run under `node --expose-gc`.
 */
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;

/** Two passes: the first can leave objects that only a second collects (weak refs, finalizers). */
export const settle = (): void => {
  gc?.();
  gc?.();
};

/** Whether this process can force collections (`node --expose-gc`): without it the functions here do nothing. */
export const gcExposed = gc !== undefined;

/** One forced young-generation collection. */
export const minorGc = (): void => gc?.({ type: 'minor' });

/**
 * Two young-generation collections (scavenges), no full GC: what an unmeasured run left in the
 * young generation goes, and the optimised code stays. A full GC deoptimises every optimised
 * function whose code embeds an object it collects (`--trace-deopt`: "marking dependent code …
 * for deoptimization, reason: weak objects"); a scavenge does not process those references.
 */
export const scavenge = (): void => {
  minorGc();
  minorGc();
};

/**
 * `count` readings of process.memoryUsage(), each once nothing is pending: pending socket callbacks
 * (a cursor's last killCursors, pool events) run first, then a full collection. Callers keep the
 * lowest, so that a collection still finishing its sweep (or a drained cursor not yet released) is
 * not counted as live.
 */
export async function settledReadings(count: number): Promise<NodeJS.MemoryUsage[]> {
  const readings: NodeJS.MemoryUsage[] = [];
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    settle();
    readings.push(process.memoryUsage());
  }
  return readings;
}

/** The settled reading (of `count`) that holds the least by `weight`: the first such on a tie. */
export async function lowestSettled(count: number, weight: (usage: NodeJS.MemoryUsage) => number): Promise<NodeJS.MemoryUsage> {
  return (await settledReadings(count)).reduce((lowest, usage) => (weight(usage) < weight(lowest) ? usage : lowest));
}

/**
 * Heap used once nothing is pending, the lowest of `count` settled readings: what compare-unread's
 * retained heap and live heap at peak are read from (V8's heap only; a strategy's answer is ids).
 */
export async function settledHeapUsed(count = 2): Promise<number> {
  return (await lowestSettled(count, (usage) => usage.heapUsed)).heapUsed;
}

export interface MemoryReading {
  heap: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Memory once nothing is pending, the settled reading with the least heap + external of `count`:
 * what `imdiag query` reads live memory from, since a variant may hold its documents as Buffers
 * (raw BSON) outside V8's heap.
 */
export async function settledMemory(count = 2): Promise<MemoryReading> {
  const lowest = await lowestSettled(count, (usage) => usage.heapUsed + usage.external);
  return { heap: lowest.heapUsed, external: lowest.external, arrayBuffers: lowest.arrayBuffers };
}

const NOISE_READINGS = 5;

/**
 * How much settled heap readings differ when nothing is retained between them: each reading lets
 * pending callbacks run and forces a full GC, as the before and after readings do.
 */
export async function settledNoiseBytes(readings = NOISE_READINGS): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < readings; i++) values.push(await settledHeapUsed(1));
  return Math.max(...values) - Math.min(...values);
}

/** Filler allocated per step of halfFillYoung: arrays of 32 slots (~150 bytes each with compressed pointers), checked every 1,000. */
const FILL_STEP = 1_000;
/** An array of 32 slots is at least this big (compressed pointers: 4-byte slots and a 16-byte header; 8-byte slots without). */
const MIN_ARRAY_BYTES = 144;
/**
 * What each filler array copies. Not `new Array(32)`: V8 tracks the survival of what an allocation
 * site (an array or object literal, the Array constructor) creates, and once a held filler survived
 * a scavenge it pretenured the site: later runs' filler went straight to the old generation (a
 * young generation that grew 6.5 MB for 20,000 held arrays grew 0.1–0.6 MB from the second run on)
 * and the loop below allocated old-space filler until its guard, or the heap limit. A copy by
 * `slice()` has no allocation site (6.5 MB every run).
 */
const FILLER_ARRAY: readonly unknown[] = new Array(32);
/** Where unheld filler goes: stored outside the loop, so that no escape analysis removes the allocation. */
const sink: { last: unknown } = { last: null };

/** What halfFillYoung added, and (held filler) how to let it go once the run is over. */
export interface YoungFiller {
  bytes: number;
  /** The share of the filler held until release(): the rest is garbage. */
  heldShare: number;
  /** bytes × heldShare: what a scavenge copies of it. */
  heldBytes: number;
  release(): void;
}

/**
 * Fills the young generation to half its semi-space and returns the bytes added. After a scavenge
 * the semi-space is empty, so a run timed from there makes floor(A / S) scavenges for A bytes of
 * allocation in a semi-space of S: none below S, where the same allocation inside a long run pays
 * A / S of them on average. From half full it makes round(A / S): a sample's share of the whole
 * result's scavenges, to within half of one, under the whole result's own semi-space (query's sample
 * children). What a scavenge costs is copying what is live in the young generation: inside a
 * whole result, what the variant holds (`heldShare` of the filler is held until `release()`: 1 for a
 * variant that holds every document, 0 for a cursor's batches), so that the run's first scavenge
 * copies about as much as the whole result's do. Filler nothing holds is freed without copying:
 * driver's, lean's and Mongoose's blocks erred −10…−40 % on demo with it (docs/benchmarks.md).
 */
export function halfFillYoung(heldShare: number): YoungFiller {
  const holder: unknown[] = [];
  const share = Math.min(1, Math.max(0, heldShare));
  let owed = 0;
  const start = youngSpace();
  let base = start.used;
  let bytes = 0;
  // Filler that does not land in the young generation (pretenured, above) would be allocated until the heap
  // limit: the loop stops after a step that grew it by under a tenth of the step's smallest size without a
  // scavenge, and after twice the semi-space's worth of arrays at MIN_ARRAY_BYTES (four times at 8-byte slots).
  const steps = Math.max(1, Math.ceil((2 * start.capacity) / (FILL_STEP * MIN_ARRAY_BYTES)));
  let previous = start.used;
  for (let step = 0; step < steps; step++) {
    const now = youngSpace();
    if (step > 0 && now.used >= previous && now.used - previous < (FILL_STEP * MIN_ARRAY_BYTES) / 10) break;
    previous = now.used;
    // A scavenge ran meanwhile (the space emptied, unheld filler with it): fill from there. (Its used
    // bytes also wobble down by a few KB without one: only a fall below the start counts.)
    if (now.used < base) base = now.used;
    bytes = Math.max(0, now.used - base);
    if (now.used >= now.capacity / 2) break;
    for (let i = 0; i < FILL_STEP; i++) {
      // Every (1 / share)-th array held: the share of the filler a scavenge copies.
      owed += share;
      if (owed >= 1) {
        owed -= 1;
        holder.push(FILLER_ARRAY.slice());
      } else sink.last = FILLER_ARRAY.slice();
    }
  }
  sink.last = null;
  return { bytes, heldShare: share, heldBytes: bytes * share, release: () => void (holder.length = 0) };
}
