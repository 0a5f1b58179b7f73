import type { LoopRun } from '../../results/measure.js';

/** A populate's referenced documents materialised (its follow-up queries' ids): on the sample, and over the whole result. */
export interface FollowUp {
  sampleHeld: number;
  wholeHeld: number;
}

/**
 * A run's CPU in its follow-up queries — a populate's: the phases from its second 'read' mark on
 * (src/engines/query/hydration-mark.ts) — reading and hydrating the referenced documents and
 * assigning them to their parents; 0 for a run of one query.
 */
export function followUpCpu(run: LoopRun): number {
  const phases = run.phases ?? [];
  const reads = phases.map((phase, index) => (phase.phase === 'read' ? index : -1)).filter((index) => index >= 0);
  if (reads.length < 2) return 0;
  return phases.slice(reads[1]).reduce((sum, phase) => sum + phase.cpuMs, 0);
}

/**
 * The follow-up queries' CPU (`cpu`: the sample's median, of `docs` parents) taken to the `count`
 * parents of the whole result. Their work is per referenced document
 * (its read and hydration) plus per parent (Mongoose's assignment). On demo (msgId → msgs,
 * lean+populate) these phases took 0.15–0.34 ms a msg at 10,001 parents (225 msgs) and 0.22–0.30 at
 * 40,000 (590); populate's whole excess over plain Mongoose stayed at 0.85–1.13 ms a msg from 5,000
 * parents to all 340,170 (3,799 msgs) while per parent it fell from 27 to 10 µs (docs/benchmarks.md).
 * The point scales by referenced documents; the interval reaches the per-parent scaling. Not
 * modelled: a whole result past Mongoose's split rule sends one query per parent, whose per-query
 * cost a sample of one `$in` does not show.
 */
export function followUpPart(cpu: number, docs: number, count: number, followUp: FollowUp): { point: number; low: number; high: number } {
  const byParent = docs > 0 ? (cpu / docs) * count : 0;
  const byHeld = followUp.sampleHeld > 0 ? (cpu / followUp.sampleHeld) * followUp.wholeHeld : byParent;
  return { point: byHeld, low: Math.min(byHeld, byParent), high: Math.max(byHeld, byParent) };
}
