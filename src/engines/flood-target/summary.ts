import type { MeasuredFigures } from '../../lib/conditions.js';
import { analyseMemory } from '../../core/memory/analyse.js';
import { thinEvenly } from '../../core/memory/thin.js';
import type { FloodTargetParams, FloodTargetResult, TargetMemory } from '../../results/flood-target.js';
import { SAMPLE_EVERY_MS, type TargetRun } from './run.js';

export { TARGET_CONDITIONS } from './conditions.js';

/** The run's result without its envelope and --fail-on outcomes (the command adds them), and the figures --fail-on judges. */
export interface TargetSummary {
  readonly body: Omit<FloodTargetResult, keyof import('../../lib/result.js').BaseResult | 'failOn'>;
  readonly measured: MeasuredFigures;
}

/** The run's figures, trend per series, verdict and the figures --fail-on may name: built once, here. */
export function summariseTarget(params: FloodTargetParams, run: TargetRun): TargetSummary {
  let memory: TargetMemory | null = null;
  if (run.source) {
    const analysis = analyseMemory(
      run.samples,
      run.source.facts,
      { heapLimitBytes: params.heapLimitBytes, memoryLimitBytes: params.memoryLimitBytes },
      run.outcome === 'died',
    );
    memory = {
      source: run.source.kind,
      facts: run.source.facts,
      sampleEveryMs: SAMPLE_EVERY_MS,
      forceGcEveryMs: params.memory && 'forceGcEveryMs' in params.memory ? params.memory.forceGcEveryMs : null,
      samples: thinEvenly(run.samples),
      analysis,
    };
  }
  const last = run.samples.at(-1);
  const verdict = run.outcome === 'died' ? 'died' : (memory?.analysis.verdict ?? 'inconclusive');
  const death = run.death ? { ...run.death, lastHeapUsedBytes: lastOf(run, 'heapUsed'), lastRssBytes: lastOf(run, 'rss') } : null;
  const warnings = [...run.warnings];
  const p = run.producers;
  if (!p.keptRate && p.scheduled > 0 && run.outcome !== 'died') {
    warnings.push(
      `the producers could not keep ${p.askedRate} requests/s: ${p.ok} of ${p.scheduled} scheduled succeeded; ${p.missed} missed, ${p.failed} failed, ${p.late} late`,
    );
  }
  if (!memory) warnings.push('no memory source (--inspect, --pid or --metrics): the verdict cannot say whether memory grows');
  if (memory?.forceGcEveryMs != null) warnings.push(`forced full collections every ${memory.forceGcEveryMs / 1000} s changed the target (they pause it)`);
  const measured: MeasuredFigures = {
    figures: {
      heap: last?.heapUsed ?? null,
      rss: last?.rss ?? null,
      external: last?.external ?? null,
      'time-to-oom': memory?.analysis.secondsToLimit != null ? memory.analysis.secondsToLimit * 1000 : null,
      p99: p.postLatency?.p99Ms ?? null,
      staleness: run.monitors ? Math.max(run.monitors.fast.maxStalenessMs ?? 0, run.monitors.slow?.maxStalenessMs ?? 0) : null,
      missed: p.missed,
      failed: p.failed,
      rate: p.achievedRate,
    },
    verdicts: [verdict],
  };
  const body: TargetSummary['body'] = {
    params,
    outcome: run.outcome,
    durationMs: run.durationMs,
    death,
    producers: p,
    monitors: run.monitors,
    staleness: thinEvenly(run.staleness),
    memory,
    verdict,
    leak: run.leak,
    warnings,
  };
  return { body, measured };
}

function lastOf(run: TargetRun, field: 'heapUsed' | 'rss'): number | null {
  for (let i = run.samples.length - 1; i >= 0; i -= 1) {
    const value = run.samples[i]![field];
    if (value !== null) return value;
  }
  return null;
}
