import { setTimeout as sleep } from 'node:timers/promises';
import { CheckError } from '../../lib/errors.js';
import { analyseMemory, type LimitOptions } from '../../core/memory/analyse.js';
import type { MemoryAnalysis, WatchOutcome, WatchSample } from '../../results/watch.js';
import { openMemorySource, TargetGone, type SourceSpec, type TargetFacts } from '../../core/memory/sources/index.js';
import type { LiveSnapshot, WatchCapture } from '../../results/watch.js';
import { captureNow, heapShare, type CaptureAt } from './capture-at.js';

export type { LiveSnapshot } from '../../results/watch.js';

/** The verdict is recomputed this often (the live line, --until-verdict). */
export const ANALYSE_EVERY_MS = 1_000;
/** --until-verdict stops once the verdict has been the same this many checks in a row… */
export const SETTLE_CHECKS = 5;
/**
 * …and never before a minute (the README's rule for trusting a projection: in a process's first
 * tens of seconds the young generation is still sizing up); "growing" also waits for its
 * projection's range to be narrow (src/core/memory/analyse.ts, rangeIsNarrow).
 */
export const UNTIL_VERDICT_MIN_MS = 60_000;
/** Readings that fail (a target too busy to answer, e.g. in a long collection) are skipped; this long without one is an error. */
export const MAX_SILENCE_MS = 60_000;

export interface WatchRunOptions {
  spec: SourceSpec;
  intervalMs: number;
  durationMs: number;
  untilVerdict: boolean;
  limits: LimitOptions;
  /** --capture-at; null without it. */
  capture: CaptureAt | null;
}

export interface WatchRun {
  facts: TargetFacts;
  outcome: WatchOutcome;
  watchedMs: number;
  samples: WatchSample[];
  failedReadings: number;
  died: { afterMs: number; reason: string } | null;
  analysis: MemoryAnalysis;
  capture: WatchCapture | null;
}

/**
 * Opens the source (a bad target fails here, before any watching), reads it every intervalMs
 * until --duration, a settled verdict (--until-verdict), Ctrl-C, or the target's death; closes the
 * source on every path.
 */
export async function runWatch(
  options: WatchRunOptions,
  hooks: { signal: AbortSignal; onLive?: (snapshot: LiveSnapshot) => void; onNote?: (note: string) => void },
): Promise<WatchRun> {
  const { signal } = hooks;
  const source = await openMemorySource(options.spec, signal).catch((error: unknown) => {
    if (error instanceof TargetGone) throw new CheckError(`the target is gone: ${error.message}`);
    throw error;
  });
  const started = Date.now();
  const samples: WatchSample[] = [];
  let outcome: WatchOutcome = 'completed';
  let died: WatchRun['died'] = null;
  let failedReadings = 0;
  let lastReadingAt = started;
  let nextAnalysisAt = started + ANALYSE_EVERY_MS;
  const settled: string[] = [];
  let capture: WatchCapture | null = options.capture ? { status: 'not-reached', atShare: options.capture.atShare } : null;
  try {
    let nextReadingAt = started;
    for (;;) {
      if (signal.aborted) {
        outcome = 'stopped';
        break;
      }
      const elapsed = Date.now() - started;
      if (elapsed >= options.durationMs) break;
      try {
        const { time, ...reading } = await source.sample();
        samples.push({ tMs: time - started, ...reading });
        lastReadingAt = Date.now();
        const share = options.capture && capture?.status === 'not-reached' ? heapShare(samples.at(-1)!, source.facts) : null;
        if (options.capture && share && share.share >= options.capture.atShare) {
          hooks.onNote?.(`imdiag watch: the heap crossed ${Math.round(options.capture.atShare * 100)} % of its limit; taking one heap snapshot`);
          capture = await captureNow(options.capture, { atMs: time - started, ...share }, source.facts.pid, signal);
        }
      } catch (error) {
        if (error instanceof TargetGone) {
          outcome = 'died';
          died = { afterMs: Date.now() - started, reason: error.message };
          break;
        }
        if (signal.aborted) continue;
        failedReadings += 1;
        if (Date.now() - lastReadingAt > MAX_SILENCE_MS) throw new CheckError(`no reading for ${MAX_SILENCE_MS / 1000} s: ${(error as Error).message}`);
      }
      if (Date.now() >= nextAnalysisAt && samples.length > 0) {
        nextAnalysisAt += ANALYSE_EVERY_MS;
        const analysis = analyseMemory(samples, source.facts, options.limits);
        hooks.onLive?.({ elapsedMs: Date.now() - started, durationMs: options.durationMs, facts: source.facts, last: samples.at(-1)!, analysis });
        if (options.untilVerdict && settledOn(settled, analysis, Date.now() - started)) {
          outcome = 'verdict-reached';
          break;
        }
      }
      // On a fixed schedule (a slow reading is not followed by a full interval), without bursts to catch up.
      nextReadingAt = Math.max(nextReadingAt + options.intervalMs, Date.now());
      const wait = nextReadingAt - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await source.close().catch(() => undefined);
  }
  return {
    facts: source.facts,
    outcome,
    watchedMs: died?.afterMs ?? Date.now() - started,
    samples,
    failedReadings,
    died,
    analysis: analyseMemory(samples, source.facts, options.limits, outcome === 'died'),
    capture,
  };
}

/**
 * One rule: the earliest verdict is the first, after UNTIL_VERDICT_MIN_MS, that has held
 * SETTLE_CHECKS checks in a row and is bounded, or growing with a projection narrow enough for
 * one figure (a growing heap with no limit to project to counts as settled).
 */
export function settledOn(history: string[], analysis: MemoryAnalysis, elapsedMs: number): boolean {
  history.push(analysis.verdict);
  const recent = history.slice(-SETTLE_CHECKS);
  if (elapsedMs < UNTIL_VERDICT_MIN_MS || recent.length < SETTLE_CHECKS || !recent.every((verdict) => verdict === recent[0])) return false;
  if (recent[0] === 'growing') return analysis.watchLonger !== true;
  return recent[0] === 'bounded';
}
