import { duration, megabytes, percent } from '../../lib/format.js';
import { collectEnvironment } from '../../lib/environment.js';
import { baseResult } from '../../lib/result.js';
import type { WatchResult } from '../../results/watch.js';
import { thinEvenly } from '../../core/memory/thin.js';
import { timeToLimit } from '../../report/watch/text.js';
import { runWatch, type LiveSnapshot } from '../../engines/watch/run.js';
import type { RunContext } from '../../lib/run-context.js';
import { judgeFailOn } from '../common/fail-on.js';
import type { WatchOptions } from './options.js';
import { namingFlags } from '../common/input-errors.js';

/**
 * `imdiag watch`: follows a live process's memory and returns the verdict; prints nothing. A
 * target that dies is an outcome; a --fail-on condition that holds is a problem (exit 1);
 * a watch stopped by a signal exits 130 (src/main.ts) after printing what it saw.
 */
export async function watch(options: WatchOptions, ctx: RunContext, onLive?: (snapshot: LiveSnapshot) => void): Promise<WatchResult> {
  const { source } = options;
  const run = await namingFlags(() =>
    runWatch(
      {
        spec: source.spec,
        intervalMs: options.intervalMs,
        durationMs: options.durationMs,
        untilVerdict: options.untilVerdict,
        limits: { heapLimitBytes: source.heapLimitBytes, memoryLimitBytes: source.memoryLimitBytes },
        capture: options.capture,
      },
      { signal: ctx.signal, onLive, onNote: (note) => ctx.reporter.note(note) },
    ),
  );
  const { analysis } = run;
  const last = run.samples.at(-1) ?? null;
  const seriesTime = analysis.secondsToLimit;
  const failOn = judgeFailOn(
    options.failOn,
    {
      figures: {
        heap: last?.heapUsed ?? null,
        external: last?.external ?? null,
        rss: last?.rss ?? null,
        'time-to-oom': seriesTime === null ? null : seriesTime * 1000,
      },
      verdicts: [analysis.verdict],
    },
    (figure, value) => (figure === 'time-to-oom' ? duration(value / 1000) : megabytes(value)),
  );
  const problems: string[] = [];
  if (run.outcome === 'stopped') problems.push(`stopped early after ${(run.watchedMs / 1000).toFixed(1)} s: the verdict covers only what was watched`);
  problems.push(...failOn.problems);
  const notes: string[] = [];
  if (run.failedReadings > 0) notes.push(`${run.failedReadings} readings failed (the target did not answer in time) and were skipped`);
  if (analysis.watchLonger && run.outcome !== 'died')
    notes.push(
      `time to out-of-memory is ${timeToLimit(analysis)}: the trend's 95 % interval is too wide for one figure after ${duration(run.watchedMs / 1000)}`,
    );
  const { capture } = run;
  if (capture?.status === 'taken')
    notes.push(
      `heap snapshot at ${percent(capture.share)} of the limit (${megabytes(capture.heapUsedBytes)} of ${megabytes(capture.limitBytes)}) after ${duration(capture.atMs / 1000)}: ${capture.file} (${megabytes(capture.bytes)}, the target paused ${duration(capture.pauseMs / 1000)}); read it with npx imdiag heap ${capture.file}`,
    );
  if (capture?.status === 'failed') problems.push(`--capture-at: no snapshot at ${percent(capture.share)} of the limit: ${capture.reason}`);
  if (capture?.status === 'not-reached') notes.push(`--capture-at ${percent(capture.atShare)}: the heap stayed below it, no snapshot taken`);
  if (source.forceGcEveryMs !== null)
    notes.push(`full collections were forced every ${source.forceGcEveryMs} ms (--force-gc-every): this changes the target (pauses, less garbage)`);
  return {
    ...baseResult('watch', ctx, collectEnvironment(), problems),
    params: {
      source: source.spec.kind,
      target: source.target,
      intervalMs: options.intervalMs,
      durationMs: options.durationMs,
      untilVerdict: options.untilVerdict,
      forceGcEveryMs: source.forceGcEveryMs,
      heapLimitBytes: source.heapLimitBytes,
      memoryLimitBytes: source.memoryLimitBytes,
      failOn: options.failOn.map((condition) => condition.text),
    },
    target: run.facts,
    outcome: run.outcome,
    watchedMs: run.watchedMs,
    samplesTaken: run.samples.length,
    last,
    died: run.died,
    analysis,
    projectedDeathAt: analysis.secondsToLimit === null || run.outcome === 'died' ? null : new Date(Date.now() + analysis.secondsToLimit * 1000).toISOString(),
    conditions: failOn.outcomes,
    notes,
    samples: thinEvenly(run.samples),
    capture,
  };
}
