import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleStaleness, STALENESS_EVERY_MS } from '../../src/core/load/staleness.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => vi.restoreAllMocks());

describe('the one staleness sampler (flood and flood --target)', () => {
  it('reads the monitors every STALENESS_EVERY_MS, rounds to whole ms, stops when told', async () => {
    const ticks: number[] = [];
    const sampler = sampleStaleness({ read: () => ({ fastMs: 12.6, slowMs: null }), onTick: (elapsedMs) => ticks.push(elapsedMs) });
    await wait(3 * STALENESS_EVERY_MS + 100);
    sampler.stop();
    const taken = sampler.samples.length;
    expect(taken).toBeGreaterThanOrEqual(2);
    expect(ticks).toHaveLength(taken);
    expect(sampler.samples[0]).toEqual({ tMs: sampler.samples[0]!.tMs, fastMs: 13, slowMs: null });
    for (const [i, sample] of sampler.samples.entries()) {
      expect(Number.isInteger(sample.tMs)).toBe(true);
      expect(sample.tMs).toBeGreaterThanOrEqual((i + 1) * STALENESS_EVERY_MS - 5);
      expect(sample.tMs).toBe(Math.round(ticks[i]!));
    }
    await wait(2 * STALENESS_EVERY_MS);
    expect(sampler.samples).toHaveLength(taken);
  });

  it('without monitors it only ticks; times count from the given start', async () => {
    const ticks: number[] = [];
    const sampler = sampleStaleness({ read: null, onTick: (elapsedMs) => ticks.push(elapsedMs), startedAt: performance.now() - 10_000 });
    await wait(STALENESS_EVERY_MS + 100);
    sampler.stop();
    expect(sampler.samples).toEqual([]);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks[0]).toBeGreaterThanOrEqual(10_000 + STALENESS_EVERY_MS - 5);
  });

  it('is timed on the monotonic clock: the wall clock stepping back an hour does not bend the time axis', async () => {
    const sampler = sampleStaleness({ read: () => ({ fastMs: 1, slowMs: 2 }) });
    await wait(STALENESS_EVERY_MS + 50);
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 3_600_000);
    await wait(STALENESS_EVERY_MS + 50);
    sampler.stop();
    const times = sampler.samples.map((sample) => sample.tMs);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.every((t, i) => t > 0 && (i === 0 || t > times[i - 1]!))).toBe(true);
  });
});
