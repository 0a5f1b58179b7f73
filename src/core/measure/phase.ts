import type { MeasurePhase } from './context.js';

/** The kinds of run in a measuring child's plan, in their order (runs.ts, then each engine's probe runs). */
export type RunPhase = MeasurePhase['kind'];

export interface RunPlan {
  warmupRuns: number;
  runs: number;
  probeRuns: number;
}

/** The `index`th run (from 1) of its kind as the progress line carries it: "run 2/3", step 3 of 7. */
export function phaseOf(kind: RunPhase, index: number, plan: RunPlan): MeasurePhase {
  const of = kind === 'warm-up' ? plan.warmupRuns : kind === 'run' ? plan.runs : plan.probeRuns;
  const before = kind === 'warm-up' ? 0 : kind === 'run' ? plan.warmupRuns : plan.warmupRuns + plan.runs;
  const steps = plan.warmupRuns + plan.runs + plan.probeRuns;
  // A probe beyond the plan (the plan was an upper bound that was wrong) still counts, without a total.
  const label = of > 1 && index <= of ? `${kind} ${index}/${of}` : index > 1 ? `${kind} ${index}` : kind;
  return { kind, label, step: Math.min(before + index, steps), steps };
}
