import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// The measuring children run under --expose-gc; this test process does not: expose it before the modules read it.
setFlagsFromString('--expose-gc');
(globalThis as { gc?: unknown }).gc ??= runInNewContext('gc');
const { fillerCost, fillerCpuMs } = await import('../../src/core/measure/filler-cost.js');

describe("the held filler's own CPU (src/core/measure/filler-cost.ts)", () => {
  it('is measured once: copying held filler costs CPU that garbage filler does not, at the first scavenge and at the second', () => {
    const cost = fillerCost();
    expect(cost.firstMsPerByte).toBeGreaterThan(0);
    expect(cost.secondMsPerByte).toBeGreaterThan(0);
    // Copying 8 MB costs milliseconds, not seconds: a per-byte figure, not a per-run one.
    expect(cost.firstMsPerByte * 8 * 2 ** 20).toBeLessThan(500);
    expect(fillerCost()).toBe(cost);
  });

  it("a run's share: none without a scavenge or held bytes, the first copy after one scavenge, both from two on", () => {
    const cost = { firstMsPerByte: 1e-6, secondMsPerByte: 2e-6 };
    const heldBytes = 8_000_000;
    expect(fillerCpuMs(cost, heldBytes, 0)).toBe(0);
    expect(fillerCpuMs(cost, 0, 5)).toBe(0);
    expect(fillerCpuMs(cost, heldBytes, 1)).toBeCloseTo(8, 9);
    expect(fillerCpuMs(cost, heldBytes, 2)).toBeCloseTo(24, 9);
    expect(fillerCpuMs(cost, heldBytes, 9)).toBeCloseTo(24, 9);
  });
});
