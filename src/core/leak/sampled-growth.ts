import { median } from '../measure/stats.js';
import { judgeGrowth, NOISE_FLOOR_BYTES, type Growth } from './growth.js';

/** The growth of a sampled leak site (sampled-sites.ts), judged only where its samples can tell. */

/** Fewer samples than this are chance (one sample stands for a sampling interval's bytes): such a site is never counted as leaked. */
export const MIN_SAMPLES = 4;

/**
 * A site's samples in one repetition are a Poisson count: with n of them the repetition's bytes are
 * known within ±2/√n (two standard deviations). The growth judgement (growth.ts) tells a leak, whose
 * repetitions keep alike, from an evicting cache, whose first keeps about half, by a margin of a
 * third (KEPT_SHARE); from DECIDING_SAMPLES in the typical repetition (±20 %) the counts mostly stay
 * inside it. Drawn 400,000 times (Poisson, three repetitions): an LRU keeping t/2, t and t samples
 * reads as growing (alike, or rising) in 49 % of draws at t = 5, 25 % at 40 and 8 % at 100; a leak
 * keeping t, t, t reads as not growing in 40 %, 3 % and 0.1 %. Below DECIDING_SAMPLES a site's
 * growth is left unjudged (growing null: a suspect when above the floor, as with one repetition)
 * unless its counts rule a leak out (ruleOutAlike): a site judged growing on few samples may be a
 * cache, one judged not growing may be a leak.
 */
export const DECIDING_SAMPLES = 100;

/**
 * Whether some repetition's samples are too few for repetitions alike: below the typical (median)
 * count by more than three standard deviations (√typical), or none where the repetitions averaged 4
 * or more (a Poisson count of mean 4 is 0 in 1.8 % of draws). A cache filled by the first
 * repetition ([t, 0, 0]) or kept only by the latest ([0, 0, t]) is then not growing, however few its
 * samples. Drawn 200,000 times, a leak of t, t, t samples is ruled out so in at most 0.6 % of draws
 * (t = 3…80), an LRU of t/2, t, t in 2 % at t = 10, 40 % at 40, 85 % at 80.
 */
function ruleOutAlike(samples: readonly number[]): boolean {
  const typical = median(samples);
  const mean = samples.reduce((sum, n) => sum + n, 0) / samples.length;
  return samples.some((n) => n < typical - 3 * Math.sqrt(typical) || (n === 0 && mean >= 4));
}

export function sampledGrowth(perRepetition: number[], perRepetitionSamples: number[], samples: number): Growth {
  const growth = judgeGrowth(perRepetition);
  const decided =
    perRepetition.length < 2 || median(perRepetitionSamples) >= DECIDING_SAMPLES || (growth.growing === false && ruleOutAlike(perRepetitionSamples));
  // Unjudged: what it kept in the typical repetition stands as its per-repetition figure (a suspect's, in the totals
  // too), and reaches the floor as a leak's must (growth.ts): a first repetition's warm-up alone does not make a suspect.
  const typical = median(perRepetition);
  const judged: Growth = decided
    ? growth
    : { growing: null, pattern: null, bytesPerRepetition: typical, leaking: typical * perRepetition.length >= NOISE_FLOOR_BYTES };
  return { ...judged, leaking: judged.leaking && samples >= MIN_SAMPLES };
}
