import { median } from '../measure/stats.js';
import type { NotGrowingPattern } from '../../results/leak.js';

/**
 * Below this many bytes of survivors a site is noise: what any run leaves behind (compiled code,
 * inline caches, a pooled socket, the inspector's own objects). A server without a leak stays
 * under it in the tests (test/e2e/leak.test.ts); raise --repeat to tell a slow leak from noise.
 */
export const NOISE_FLOOR_BYTES = 64 * 1024;

/** The share of the typical repetition's survivors every repetition must have left to count as growing. */
export const KEPT_SHARE = 2 / 3;

/**
 * Whether a site grows with every repetition (memlab's idea): a leak keeps everything each
 * repetition left, about as much each time (the same workload). A cache that fills (an LRU)
 * evicts its oldest entries, so its earlier repetitions kept less than the later ones (an LRU of
 * 100 under 40 requests a repetition keeps 20, 40, 40); what a server builds once, on its first
 * requests (connections, parsers, compiled code), sits in the first repetition alone. So every
 * repetition must have left at least two thirds of the typical one (the rest is the workload's own
 * variation), and what grows (the typical repetition's bytes times the repetitions) must reach the
 * noise floor. Or every repetition kept at least half again as much as the one before (three or
 * more): a leak whose workload grows, as a push server's with every repetition's clients still
 * connected. With one repetition there is no telling: a site above the noise floor is then a
 * suspect, reported as such.
 */
export function judgeGrowth(perRepetition: number[]): Growth {
  // With one repetition, what the workload left: the settle period's survivors (the snapshot's own line tables among them) are not its.
  if (perRepetition.length < 2) return { growing: null, pattern: null, bytesPerRepetition: null, leaking: (perRepetition[0] ?? 0) >= NOISE_FLOOR_BYTES };
  const typical = median(perRepetition);
  const alike = typical > 0 && perRepetition.every((bytes) => bytes > 0 && bytes >= typical * KEPT_SHARE);
  // A leak whose workload grows (each repetition reaching more clients) keeps more each time; a
  // cache's full repetitions are alike, so a rise through the last one is not a cache's.
  const rising = perRepetition.length >= 3 && perRepetition.every((bytes, i) => bytes > 0 && (i === 0 || bytes * KEPT_SHARE >= perRepetition[i - 1]!));
  const growing = alike || rising;
  // What grows must itself reach the floor: a first repetition's warm-up plus a few KB a repetition is not a leak.
  return {
    growing,
    pattern: growing ? null : notGrowingPattern(perRepetition),
    bytesPerRepetition: growing ? typical : null,
    leaking: growing && typical * perRepetition.length >= NOISE_FLOOR_BYTES,
  };
}

export interface Growth {
  growing: boolean | null;
  /** Why a site did not grow alike (notGrowingPattern); null when it grew or with one repetition. */
  pattern: NotGrowingPattern | null;
  bytesPerRepetition: number | null;
  leaking: boolean;
}

/**
 * Why a site above the floor did not grow alike with every repetition, from its per-repetition
 * survivors: `first` when the first repetition kept most and every later one less (filled once,
 * or built on the first requests); `latest` when no repetition kept clearly more than the one after it (a
 * cache that evicts or replaces its oldest entries, or a leak whose first repetition was a
 * warm-up: more repetitions empty a cache's earliest, never a leak's); `uneven` otherwise (a
 * backlog that drains unevenly looks like this).
 */
export function notGrowingPattern(perRepetition: readonly number[]): NotGrowingPattern {
  const [first = 0, ...later] = perRepetition;
  if (later.every((bytes) => bytes < first * KEPT_SHARE)) return 'first';
  // Within the workload's own variation (KEPT_SHARE, as for alike repetitions): an id mark can also
  // date a repetition's last objects to the next one.
  if (perRepetition.every((bytes, i) => i === 0 || perRepetition[i - 1]! * KEPT_SHARE <= bytes)) return 'latest';
  return 'uneven';
}

/** Every site counted as leaking, not only the --top listed: their number, bytes, and bytes per repetition (null with one). */
export interface LeakedTotals {
  sites: number;
  bytes: number;
  perRepetitionBytes: number | null;
}

export function leakedTotals(sites: Iterable<{ selfSizeBytes: number; growth: Growth }>, repetitions: number): LeakedTotals {
  const totals: LeakedTotals = { sites: 0, bytes: 0, perRepetitionBytes: repetitions > 1 ? 0 : null };
  for (const { selfSizeBytes, growth } of sites) {
    if (!growth.leaking) continue;
    totals.sites++;
    totals.bytes += selfSizeBytes;
    if (totals.perRepetitionBytes !== null) totals.perRepetitionBytes += growth.bytesPerRepetition ?? 0;
  }
  return totals;
}
