import { describe, expect, it } from 'vitest';
import { siteSize } from '../../src/report/leak/rows.js';
import { judgeGrowth, NOISE_FLOOR_BYTES, notGrowingPattern } from '../../src/core/leak/growth.js';
import { leakVerdict } from '../../src/core/leak/verdict.js';
import type { LeakSite } from '../../src/results/leak.js';

const KB = 1024;

describe('judgeGrowth: a leak leaves survivors from every repetition', () => {
  it('about as much each time: growing, and leaking above the noise floor', () => {
    expect(judgeGrowth([100 * KB, 90 * KB, 110 * KB])).toEqual({ growing: true, pattern: null, bytesPerRepetition: 100 * KB, leaking: true });
    expect(judgeGrowth([10 * KB, 10 * KB, 10 * KB])).toMatchObject({ growing: true, leaking: false });
  });

  it('more each time, at least half again as much as the one before (a workload that grows): growing', () => {
    expect(judgeGrowth([100 * KB, 200 * KB, 300 * KB])).toMatchObject({ growing: true, pattern: null, leaking: true });
    expect(judgeGrowth([20 * KB, 40 * KB, 48 * KB])).toMatchObject({ growing: false, pattern: 'latest' });
  });

  it('a cache that fills once keeps only the latest repetitions: not growing', () => {
    expect(judgeGrowth([0, 0, 90 * KB])).toMatchObject({ growing: false, leaking: false });
    expect(judgeGrowth([0, 45 * KB, 45 * KB])).toMatchObject({ growing: false, leaking: false });
  });

  it("an LRU that evicts keeps less of the earlier repetitions: not growing (the test server's LRU of 100 under 40 requests a repetition)", () => {
    expect(judgeGrowth([9_760, 19_520, 19_520])).toMatchObject({ growing: false, pattern: 'latest', leaking: false });
    expect(judgeGrowth([40 * KB, 80 * KB, 80 * KB])).toMatchObject({ growing: false, leaking: false });
  });

  it("what a server builds on its first requests sits in the first repetition alone: not growing (the test server's measured pattern)", () => {
    expect(judgeGrowth([87_584, 7_928, 984])).toMatchObject({ growing: false, leaking: false });
    // Its warm-up, then a few KB each time: growing, but what grows is below the floor.
    expect(judgeGrowth([89_296, 6_296, 6_984])).toMatchObject({ growing: true, leaking: false });
  });

  it('one repetition cannot tell: a site above the noise floor is a suspect', () => {
    expect(judgeGrowth([NOISE_FLOOR_BYTES])).toEqual({ growing: null, pattern: null, bytesPerRepetition: null, leaking: true });
    expect(judgeGrowth([NOISE_FLOOR_BYTES - 1])).toMatchObject({ growing: null, leaking: false });
    // What the settle period allocated (here 200 KB) is not the workload's.
    expect(judgeGrowth([1_392])).toMatchObject({ growing: null, leaking: false });
  });
});

describe('notGrowingPattern: what a site above the floor that did not grow alike can be', () => {
  it('first: the first repetition kept most, every later one less', () => {
    expect(notGrowingPattern([87_584, 7_928, 984])).toBe('first');
  });
  it('latest: no repetition kept more than the next (an evicting LRU; or a leak that warmed up on its first)', () => {
    expect(notGrowingPattern([9_760, 19_520, 19_520])).toBe('latest');
    expect(notGrowingPattern([0, 0, 90 * KB])).toBe('latest');
  });
  it("uneven: neither (a slow monitor's backlog draining, measured on the Spider example)", () => {
    expect(notGrowingPattern([17_770_000, 5_500_000, 43_460_000])).toBe('uneven');
  });
  it('the verdict names the pattern with the per-repetition figures, never a cache for an uneven site', () => {
    const site = {
      site: { functionName: 'pushAll', script: 'file:///srv/server.js', line: 101, column: 17 },
      selfSizeBytes: 66_750_000,
      perRepetitionBytes: [17_770_000, 5_500_000, 43_460_000],
      growing: false,
      pattern: 'uneven',
      leaking: false,
    } as unknown as LeakSite;
    const verdict = leakVerdict([site], { status: 'ok', repeat: 3, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: 'tracking' });
    expect(verdict.leaking).toBe(false);
    expect(verdict.lines[1]).toMatch(
      /^pushAll \(server\.js:101\) keeps 6[0-9.]+ MB, not alike with each repetition \(16\.9 MB, 5\.2[0-9]* MB, 41\.4 MB\): not the steady rise of a leak/,
    );
    expect(verdict.lines[1]).not.toMatch(/fills once/);
  });
});

describe('leakVerdict: what it says of the sites counted as leaking', () => {
  const leakingSite = (bytes: number, perRepetition: number | null) =>
    ({
      site: { functionName: 'remember', script: 'file:///srv/server.js', line: 10, column: 1 },
      allocatedIn: null,
      callers: [],
      count: 120,
      selfSizeBytes: bytes,
      perRepetitionBytes: perRepetition === null ? [bytes] : [perRepetition, perRepetition, perRepetition],
      growing: perRepetition === null ? null : true,
      pattern: null,
      bytesPerRepetition: perRepetition,
      heldBy: 'leaked in Object',
      leaking: true,
    }) as unknown as LeakSite;
  const base = { status: 'ok' as const, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: 'tracking' as const };

  it('one repetition: a suspect, and the first line says what would tell', () => {
    const verdict = leakVerdict([leakingSite(3 * 2 ** 20, null)], { ...base, repeat: 1 });
    expect(verdict.leaking).toBe(true);
    expect(verdict.lines[0]).toMatch(/^suspect \(one repetition cannot tell a leak from a cache; --repeat 3 can\): 120 objects \(3 MB\)/);
  });

  it("a site of the sampling profiler's in tracking mode (V8 dropped most stacks): samples, ~size, and a holder unknown, not unreachable", () => {
    const site = { ...leakingSite(7 * 32 * 1024, null), count: 7, heldBy: null, sampled: true as const };
    const verdict = leakVerdict([site], { ...base, repeat: 1 });
    expect(verdict.lines[0]).toMatch(/^suspect .*: 7 samples \(~224\.0 KB\)/);
    expect(verdict.lines[2]).toBe(
      "held by: unknown (V8 dropped most survivors' allocation stacks, so the sites are the sampling profiler's, which carry no retainer path)",
    );
    expect(siteSize(site)).toBe('7 samples, ~224.0 KB');
    // The tracker's own site, the same figures: objects, exact sizes, and a missing path read as none.
    const tracked = { ...site, sampled: undefined };
    const verdictTracked = leakVerdict([tracked], { ...base, repeat: 1 });
    expect(verdictTracked.lines[0]).toMatch(/: 7 objects \(224\.0 KB\)/);
    expect(verdictTracked.lines[2]).toBe('held by: no retainer path recorded for this site');
    expect(siteSize(tracked)).toBe('7 objects, 224.0 KB shallow');
  });

  it('several repetitions: leaking, per repetition and per minute of workload; totals cover every site, not only the listed', () => {
    const verdict = leakVerdict([leakingSite(3 * 2 ** 20, 2 ** 20)], {
      ...base,
      repeat: 3,
      leaked: { sites: 14, bytes: 5 * 2 ** 20, perRepetitionBytes: 2 ** 20 },
      workloadMs: 30_000,
    });
    expect(verdict.lines[0]).toBe('leaking: 120 objects (3 MB, +1 MB per repetition, ~6 MB per minute of workload) still alive from 14 sites, 5 MB in all');
  });
});
