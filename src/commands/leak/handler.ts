import { NOISE_FLOOR_BYTES } from '../../core/leak/growth.js';
import { runLeak } from '../../engines/leak/run.js';
import { outsideHeapRise } from '../../core/leak/tracking.js';
import { leakVerdict, verdictNotes } from '../../core/leak/verdict.js';
import { evaluateConditions, type MeasuredFigures } from '../../lib/conditions.js';
import { collectEnvironment } from '../../lib/environment.js';
import { bytesHuman } from '../../lib/format.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import type { LeakResult } from '../../results/leak.js';
import type { LeakOptions } from './options.js';

/** `imdiag leak`: baseline, workload ×N, final snapshot in one session; what was allocated since and is still alive, by site and holder. */
export async function leak(options: LeakOptions, ctx: RunContext): Promise<LeakResult> {
  const { params } = options;
  const run = await runLeak(params, ctx.reporter, ctx.signal);
  // Every site counted as leaking, not only the --top listed.
  const leakedBytes = run.leaked?.bytes ?? 0;
  const leakedPerRepetitionBytes = params.repeat > 1 ? (run.leaked?.perRepetitionBytes ?? 0) : null;
  const workloadMs = run.workloads.reduce((sum, workload) => sum + workload.durationMs, 0);
  const verdict = leakVerdict(run.sites, {
    ...{ status: run.status, repeat: params.repeat, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: params.mode },
    ...{ leaked: run.leaked, workloadMs },
  });
  const measured: MeasuredFigures = {
    figures: {
      leaked: run.status === 'ok' ? leakedBytes : null,
      'leaked-per-repetition': leakedPerRepetitionBytes,
      survivors: run.survivors?.bytes ?? null,
    },
    verdicts: verdict.leaking ? ['leaking'] : [],
  };
  const conditions = evaluateConditions(options.failOn, measured, (_figure, value) => bytesHuman(value));
  const problems = conditions.filter((outcome) => outcome.held).map((outcome) => `--fail-on ${outcome.condition}: ${outcome.detail}`);
  if (run.status === 'stopped') problems.push('stopped early: no analysis; the target has no tracking or sampling left on');
  const outsideHeapRiseBytes = outsideHeapRise(run.heap);
  return {
    ...baseResult('leak', ctx, collectEnvironment(), problems),
    options: {
      mode: params.mode,
      workload: params.workload.kind === 'during' ? params.workload.command : `--duration ${params.workload.ms / 1000}s`,
      repeat: params.repeat,
      settleMs: params.settleMs,
      top: params.top,
      failOn: options.failOn.map((condition) => condition.text),
    },
    status: run.status,
    target: run.target,
    workloads: run.workloads,
    heap: run.heap,
    cost: {
      trackingStartMs: run.trackingStartMs,
      snapshotMs: run.snapshot?.ms ?? null,
      snapshotBytes: run.snapshot?.bytes ?? null,
      outsideHeapRiseBytes,
      analysisMs: run.analysisMs,
    },
    noiseFloorBytes: NOISE_FLOOR_BYTES,
    survivors: run.survivors,
    sites: run.sites,
    paths: run.paths,
    leakedBytes,
    leakedPerRepetitionBytes,
    verdict,
    conditions,
    notes: [...run.notes, ...verdictNotes(run.sites, { status: run.status, repeat: params.repeat, mode: params.mode })],
  };
}
