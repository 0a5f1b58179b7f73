import type { LoopRun } from '../../results/measure.js';

/**
 * A run's phases (the marks a variant sets: "hydration", a populate's queries…) and the windows the
 * loop meter (loop.ts) matches its longest block and GC entries against: each phase's CPU, the
 * filler deductions it gives, and the GC inside its window.
 */

export interface Window {
  start: number;
  end: number;
}

/**
 * The CPU from each mark to the next (or the run's end), the first MAX_PHASES − 1 as they are and the
 * rest in one 'later' entry: a populate split into one query per parent marks twice a parent, and a
 * result carries its runs. With `pauses` (the run's GC entries and its end), each phase also gets the
 * GC pauses inside its window (`gcMs`, wall ms).
 */
export const MAX_PHASES = 8;

type Marks = ReadonlyArray<{ phase: string; at: number; cpuMicros: number }>;
type Deductions = ReadonlyArray<{ at: number; ms: number }>;

/** The phases' mark ranges: each of the first MAX_PHASES − 1 marks to the next, the rest together ('later'). */
function phaseRanges(count: number): Array<{ from: number; to: number; later: boolean }> {
  const kept = Math.min(count, MAX_PHASES - 1);
  const ranges = Array.from({ length: kept }, (_, index) => ({ from: index, to: index + 1, later: false }));
  if (count > kept) ranges.push({ from: kept, to: count, later: true });
  return ranges;
}

/** A range's CPU before deductions, and the deductions whose scavenge started in it (none before the first mark). */
function rangeCpu(marks: Marks, endCpuMicros: number, deductions: Deductions, from: number, to: number): { raw: number; deducted: number } {
  const raw = ((marks[to]?.cpuMicros ?? endCpuMicros) - marks[from]!.cpuMicros) / 1000;
  const deducted = deductions.filter((d) => d.at >= marks[from]!.at && (to >= marks.length || d.at < marks[to]!.at)).reduce((sum, d) => sum + d.ms, 0);
  return { raw, deducted };
}

export function phasesOf(
  marks: Marks,
  endCpuMicros: number,
  deductions: Deductions = [],
  pauses?: { gc: readonly Window[]; end: number },
): NonNullable<LoopRun['phases']> {
  const gcMs = (from: number, to: number) =>
    pauses ? { gcMs: round(overlapSum(pauses.gc, { start: marks[from]!.at, end: marks[to]?.at ?? pauses.end })) } : {};
  return phaseRanges(marks.length).map(({ from, to, later }) => {
    const { raw, deducted } = rangeCpu(marks, endCpuMicros, deductions, from, to);
    return { phase: later ? 'later' : marks[from]!.phase, cpuMs: round(Math.max(0, raw - deducted)), ...gcMs(from, to) };
  });
}

/**
 * How much of the filler deductions the run's CPU can give: a phase gives at most its own CPU (phasesOf
 * clamps it at 0), and the stretch before the first mark at most its own, so the phases never add up
 * to more than the run's CPU (a populate's parents are the run's CPU less its later phases) even when
 * the modelled copying exceeds a short phase's CPU. Nothing clamped, it is every deduction, exactly.
 */
export function appliedDeductions(runCpuMs: number, marks: Marks, endCpuMicros: number, deductions: Deductions): number {
  const total = deductions.reduce((sum, deduction) => sum + deduction.ms, 0);
  if (marks.length === 0) return Math.min(runCpuMs, total);
  let rawInPhases = 0;
  let excess = 0;
  for (const { from, to } of phaseRanges(marks.length)) {
    const { raw, deducted } = rangeCpu(marks, endCpuMicros, deductions, from, to);
    rawInPhases += raw;
    excess += Math.max(0, deducted - raw);
  }
  const beforeMarks = deductions.filter((deduction) => deduction.at < marks[0]!.at).reduce((sum, deduction) => sum + deduction.ms, 0);
  return total - excess - Math.max(0, beforeMarks - Math.max(0, runCpuMs - rawInPhases));
}

export function phaseWindows(marks: ReadonlyArray<{ phase: string; at: number }>, end: number): Array<Window & { phase: string }> {
  return marks.map((mark, index) => ({ phase: mark.phase, start: mark.at, end: marks[index + 1]?.at ?? end }));
}

export function overlap(a: Window, b: Window): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

export function clip(a: Window, b: Window): Window {
  return { start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) };
}

export function overlapSum(windows: readonly Window[], within: Window): number {
  return within.end <= within.start ? 0 : windows.reduce((sum, window) => sum + overlap(window, within), 0);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
