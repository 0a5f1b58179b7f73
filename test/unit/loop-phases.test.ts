import { describe, expect, it } from 'vitest';
import { phasesOf } from '../../src/core/measure/loop-phases.js';

/** Marks at 10, 20 and 30 ms of the run, with the process's CPU (µs) read at each; the run ends at 60 ms of CPU. */
const marks = [
  { phase: 'read', at: 10, cpuMicros: 10_000 },
  { phase: 'hydration', at: 20, cpuMicros: 25_000 },
  { phase: 'read', at: 30, cpuMicros: 45_000 },
];
const END_CPU_MICROS = 60_000;

describe('phasesOf: the CPU from each mark to the next (src/core/measure/loop-phases.ts)', () => {
  it('reads each phase from its mark to the next, the last to the run end', () => {
    expect(phasesOf(marks, END_CPU_MICROS)).toEqual([
      { phase: 'read', cpuMs: 15 },
      { phase: 'hydration', cpuMs: 20 },
      { phase: 'read', cpuMs: 15 },
    ]);
  });

  it("takes a held filler's copying out of the phase its scavenge started in, none before the first mark", () => {
    const deductions = [
      { at: 5, ms: 100 },
      { at: 12, ms: 4 },
      { at: 20, ms: 6 },
      { at: 35, ms: 1.5 },
    ];
    expect(phasesOf(marks, END_CPU_MICROS, deductions)).toEqual([
      { phase: 'read', cpuMs: 11 },
      { phase: 'hydration', cpuMs: 14 },
      { phase: 'read', cpuMs: 13.5 },
    ]);
  });
});
