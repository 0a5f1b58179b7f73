import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// The measuring children run under --expose-gc; this test process does not: expose it before the modules read it
// (settle.ts reads globalThis.gc once, at import: vitest imports it afresh for this file).
setFlagsFromString('--expose-gc');
(globalThis as { gc?: unknown }).gc ??= runInNewContext('gc');
const { fillerCost, fillerDeductions } = await import('../../src/core/measure/filler-cost.js');

describe("the held filler's own CPU (src/core/measure/filler-cost.ts)", () => {
  it('is measured once: copying held filler costs CPU that garbage filler does not, at the first scavenge and at the second', () => {
    const cost = fillerCost();
    expect(cost.firstMsPerByte).toBeGreaterThan(0);
    expect(cost.secondMsPerByte).toBeGreaterThan(0);
    // Copying 8 MB costs milliseconds, not seconds: a per-byte figure, not a per-run one.
    expect(cost.firstMsPerByte * 8 * 2 ** 20).toBeLessThan(500);
    expect(fillerCost()).toBe(cost);
  });

  it("a run's share: the first scavenge copies the held filler, the second promotes it, later ones do not see it", () => {
    const cost = { firstMsPerByte: 1e-6, secondMsPerByte: 2e-6 };
    expect(fillerDeductions(cost, 8_000_000, [])).toEqual([]);
    expect(fillerDeductions(cost, 0, [10, 20])).toEqual([]);
    expect(fillerDeductions(cost, 8_000_000, [10])).toEqual([{ at: 10, ms: 8 }]);
    // By start time, whatever order the entries came in.
    expect(fillerDeductions(cost, 8_000_000, [30, 20, 10])).toEqual([
      { at: 10, ms: 8 },
      { at: 20, ms: 16 },
    ]);
  });
});
