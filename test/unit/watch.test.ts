import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitProblems } from '../../src/core/heapsnapshot/capture.js';
import { plainStyle } from '../../src/lib/style.js';
import { renderMarkdown } from '../../src/report/render.js';
import { renderLiveLine } from '../../src/report/watch/live.js';
import { renderWatch } from '../../src/report/watch/terminal.js';
import { analyseMemory, projectionRange, rangeIsNarrow } from '../../src/core/memory/analyse.js';
import { heapLimit, memoryLimit } from '../../src/core/memory/limits.js';
import { youngFlags } from '../../src/core/memory/sources/young-generation.js';
import { settledOn, UNTIL_VERDICT_MIN_MS } from '../../src/engines/watch/run.js';
import type { WatchResult, WatchSample } from '../../src/results/watch.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import type { TargetFacts } from '../../src/core/memory/sources/types.js';

const MB = 1024 * 1024;
const facts = (over: Partial<TargetFacts> = {}): TargetFacts => ({
  pid: 1,
  label: 'node[1]',
  nodeVersion: 'v20',
  maxOldSpaceSizeMB: null,
  maxOldSpaceSizeFrom: null,
  heapSizeLimit: null,
  cgroupMemoryLimit: null,
  via: 'test',
  ...over,
});

/** 4 readings a second for `seconds`, heap = base + slope·t plus a young-generation sawtooth. */
function readings(seconds: number, heapSlopeMBPerSec: number, options: { oldGeneration?: boolean } = {}): WatchSample[] {
  return Array.from({ length: seconds * 4 }, (_, i) => {
    const t = i / 4;
    const old = (20 + heapSlopeMBPerSec * t) * MB;
    return {
      tMs: t * 1000,
      heapUsed: old + ((i % 8) / 8) * 8 * MB,
      heapTotal: old + 16 * MB,
      heapLimit: null,
      oldGenerationUsed: options.oldGeneration ? old : undefined,
      external: 2 * MB,
      arrayBuffers: MB,
      rss: old + 60 * MB,
      afterForcedGc: false,
      afterMajorGc: i % 8 === 0,
    };
  });
}

describe('analyseMemory', () => {
  it('a leak is growing, on the heap, projected to the --max-old-space-size cap', () => {
    const analysis = analyseMemory(readings(60, 0.5, { oldGeneration: true }), facts({ maxOldSpaceSizeMB: 96, maxOldSpaceSizeFrom: 'execArgv' }), {
      heapLimitBytes: null,
      memoryLimitBytes: 4096 * MB,
    });
    expect(analysis.verdict).toBe('growing');
    expect(analysis.worstSeries).toBe('heap');
    const heap = analysis.series[0]!;
    expect(heap).toMatchObject({ measure: 'old-generation', fittedOn: 'after-major-gc', limit: { bytes: 96 * MB, source: '--max-old-space-size (execArgv)' } });
    // 20 + 0.5·59.75 ≈ 49.9 MB now, 96 MB cap: ≈ 92 s left.
    expect(analysis.secondsToLimit).toBeGreaterThan(85);
    expect(analysis.secondsToLimit).toBeLessThan(100);
    expect(analysis.series.find((item) => item.series === 'external')!.trend.verdict).toBe('bounded');
  });

  it('a steady heap is bounded with no time to OOM; a target that died is died', () => {
    const steady = readings(30, 0);
    expect(analyseMemory(steady, facts(), { heapLimitBytes: null, memoryLimitBytes: null })).toMatchObject({ verdict: 'bounded', secondsToLimit: null });
    expect(analyseMemory(steady, facts(), { heapLimitBytes: null, memoryLimitBytes: null }, true).verdict).toBe('died');
  });

  it('too few readings are inconclusive', () => {
    expect(analyseMemory(readings(2, 1), facts(), { heapLimitBytes: null, memoryLimitBytes: null }).verdict).toBe('inconclusive');
  });
});

describe('limits', () => {
  it('heap: --heap-limit, then the process cap, then heap_size_limit less the young generation', () => {
    expect(heapLimit(facts({ maxOldSpaceSizeMB: 96 }), 512 * MB)).toEqual({ bytes: 512 * MB, source: '--heap-limit' });
    expect(heapLimit(facts({ maxOldSpaceSizeMB: 4096, maxOldSpaceSizeFrom: 'NODE_OPTIONS' }), null)).toEqual({
      bytes: 4096 * MB,
      source: '--max-old-space-size (NODE_OPTIONS)',
    });
    // The young generation as the target's Node has it (192 MB on Node 24), not a constant.
    expect(
      heapLimit(facts({ heapSizeLimit: 4288 * MB, youngGeneration: { bytes: 192 * MB, from: "the target's Node binary under a known cap" } }), null),
    ).toEqual({
      bytes: 4096 * MB,
      source: "Node's default (the target's heap_size_limit less the young generation)",
    });
    expect(heapLimit(facts({ heapSizeLimit: 4144 * MB }), null)).toEqual({
      bytes: 4144 * MB,
      source: "the target's heap_size_limit (its young generation unknown: an upper bound)",
    });
    // A metrics page tells neither: nothing to project to (imdiag's own Node is not the target's).
    expect(heapLimit(facts(), null)).toBeNull();
  });
  it("the young generation's flags are passed on to the probe, in either form", () => {
    expect(youngFlags(['--inspect', '--max-semi-space-size=32', '--max-old-space-size=96', '--min_semi_space_size', '4', '-e'])).toEqual([
      '--max-semi-space-size=32',
      '--min_semi_space_size',
      '4',
    ]);
  });
  it('memory: --memory-limit, then the cgroup, then the machine', () => {
    expect(memoryLimit(facts({ cgroupMemoryLimit: 512 * MB }), 1024 * MB).source).toBe('--memory-limit');
    expect(memoryLimit(facts({ cgroupMemoryLimit: 512 * MB }), null)).toEqual({ bytes: 512 * MB, source: 'cgroup memory limit' });
    expect(memoryLimit(facts(), null).source).toBe('machine memory');
  });
});

describe('watch renderers (fixture from a real run)', () => {
  const result = JSON.parse(readFileSync(new URL('../../fixtures/watch.json', import.meta.url), 'utf8')) as WatchResult;

  it('terminal: target, verdict, one row per series', () => {
    const text = renderWatch(result, plainStyle, UNWRAPPED);
    expect(text).toMatch(/^imdiag watch — node\[\d+\] via inspector/);
    // 10 s of a small leak: fitted right after the target's scavenges, too short for one figure to the limit.
    expect(text).toMatch(
      /^GROWING — heap \(old gen \+ survivors\) \+[\d.]+ MB\/min \(fitted on readings right after the target's scavenges .*\)\nout of memory in [\d.]+ \S+–[\d.]+ \S+ \(too wide for one figure: watch longer\)/m,
    );
    expect(text).toMatch(/│ series +│ +last │ MB\/min │/);
    expect(text).toMatch(/│ heap \(old gen \+ survivors\) │ +[\d.]+ MB │/);
    expect(text).toMatch(/--max-old-space-size \(execArgv\)/);
  });

  it('markdown report and the live line', () => {
    const markdown = renderMarkdown(result, { redact: false });
    expect(markdown).toMatch(/\*\*GROWING\*\*/);
    expect(markdown).toMatch(/## Memory per series/);
    expect(renderLiveLine({ elapsedMs: 5000, durationMs: 60_000, facts: result.target, last: result.last!, analysis: result.analysis })).toMatch(
      /^5 s\/60 s {2}heap used [\d.]+ MB, heap \(old gen \+ survivors\) \+[\d.]+ MB\/min .*growing {2}heap limit in [\d.]+ \S+–[\d.]+ \S+ \(too wide for one figure: watch longer\)$/,
    );
  });
});

describe('heap capture fit check', () => {
  const facts = {
    pid: 1,
    via: 'test',
    heapUsedBytes: 1024 * MB,
    memoryAvailableBytes: 4096 * MB,
    diskFreeBytes: 4096 * MB,
    memoryNeededBytes: 2048 * MB,
    diskNeededBytes: 2048 * MB,
  };
  it('fits when memory and disk hold twice the heap', () => expect(fitProblems(facts, '/tmp')).toEqual([]));
  it('names what is short, memory and disk', () => {
    const problems = fitProblems({ ...facts, memoryAvailableBytes: 1500 * MB, diskFreeBytes: 100 * MB }, '/data');
    expect(problems).toEqual([
      'about 2,048 MB of memory (twice the 1,024 MB heap in use) but 1,500 MB is available',
      'about 2,048 MB on disk but 100 MB is free in /data',
    ]);
  });
});

/**
 * A small-object leak as V8 holds it (4 readings a second): retained = 20 MB + leak·t; a scavenge
 * every `scavengeEvery` readings promotes all but `survivorsMB` of it, so the old generation is a
 * staircase that lags; the young generation holds the survivors plus garbage and leak allocated since.
 */
function youngLeak(options: { seconds: number; leakMBps: number; survivorsMB: number; scavengeEvery: number; garbageMBps: number }): WatchSample[] {
  let old = 20 * MB;
  let lastScavenge = 0;
  return Array.from({ length: options.seconds * 4 }, (_, i) => {
    const t = i / 4;
    const retained = (20 + options.leakMBps * t) * MB;
    const scavenged = i > 0 && i % options.scavengeEvery === 0;
    if (scavenged) {
      old = retained - options.survivorsMB * MB;
      lastScavenge = t;
    }
    const since = t - lastScavenge;
    const young = retained - old + options.garbageMBps * since * MB;
    return {
      tMs: t * 1000,
      heapUsed: old + young,
      heapTotal: old + young + 16 * MB,
      heapLimit: null,
      oldGenerationUsed: old,
      youngGenerationUsed: young,
      afterScavenge: scavenged,
      external: 2 * MB,
      arrayBuffers: MB,
      rss: old + young + 60 * MB,
      afterForcedGc: false,
      afterMajorGc: false,
    };
  });
}

describe('projecting from what the process retains', () => {
  const capped = facts({ maxOldSpaceSizeMB: 96, maxOldSpaceSizeFrom: 'execArgv' });
  const limits = { heapLimitBytes: null, memoryLimitBytes: 64 * 1024 * MB };

  it('fits the old generation plus the survivors read right after scavenges, not the lagging old generation', () => {
    const samples = youngLeak({ seconds: 30, leakMBps: 1, survivorsMB: 12, scavengeEvery: 6, garbageMBps: 10 });
    const analysis = analyseMemory(samples, capped, limits);
    const heap = analysis.series.find((item) => item.series === 'heap')!;
    expect(heap).toMatchObject({ measure: 'old-generation-and-survivors', fittedOn: 'after-scavenge' });
    expect(heap.basis).toMatch(/old generation plus the young generation's survivors, read right after \d+ scavenges/);
    // Retained at the end: 20 + 29.75 ≈ 49.75 MB, 1 MB/s to 96 MB: ≈ 46 s. The old generation alone is 12 MB behind.
    expect(analysis.secondsToLimit).toBeGreaterThan(43);
    expect(analysis.secondsToLimit).toBeLessThan(49);
    expect(analysis.watchLonger).toBe(false);
    const [early, late] = analysis.secondsToLimitRange!;
    expect(early).toBeLessThanOrEqual(analysis.secondsToLimit!);
    expect(late).toBeGreaterThanOrEqual(analysis.secondsToLimit!);
  });

  it('too few scavenges to read survivors: the old and young generations on every reading, the late end leaving the young generation out', () => {
    // The issue's leak without garbage: scavenges every ~16 s once the semi-spaces have grown, the leak waiting in the young generation.
    const samples = youngLeak({ seconds: 30, leakMBps: 1, survivorsMB: 0, scavengeEvery: 64, garbageMBps: 0 });
    const analysis = analyseMemory(samples, capped, limits);
    const heap = analysis.series.find((item) => item.series === 'heap')!;
    expect(heap).toMatchObject({ measure: 'old-and-young-generation', fittedOn: 'all-samples' });
    expect(heap.basis).toMatch(/old and young generations on every reading, garbage included: only 1 scavenges after the warm-up \(8 needed\)/);
    // Retained at the end ≈ 49.75 MB, 1 MB/s: ≈ 46 s (the old generation alone lags by up to 16 MB: 62 s).
    expect(analysis.secondsToLimit).toBeGreaterThan(43);
    expect(analysis.secondsToLimit).toBeLessThan(49);
    // The late end counts none of the young generation's use (here ~12 MB) as retained.
    const [, late] = analysis.secondsToLimitRange!;
    expect(late! - analysis.secondsToLimit!).toBeGreaterThan(10);
    expect(renderWatch(result(analysis, samples), plainStyle)).toMatch(/heap \(old \+ young gen\)/);
  });

  it('a wide slope interval gives the range and "watch longer", not one figure', () => {
    const trend = { slopeMBPerSec: 1, slopeCi95MBPerSec: [0.4, 1.6] as [number, number] } as WatchResult['analysis']['series'][number]['trend'];
    const range = projectionRange(trend, 96 * MB, 46 * MB, 0);
    expect(range[0]).toBeCloseTo(50 / 1.6);
    expect(range[1]).toBeCloseTo(50 / 0.4);
    expect(rangeIsNarrow(50, range)).toBe(false);
    expect(projectionRange({ ...trend, slopeCi95MBPerSec: [-0.2, 2.2] }, 96 * MB, 46 * MB, 0)[1]).toBeNull();
    expect(rangeIsNarrow(50, projectionRange({ ...trend, slopeCi95MBPerSec: [0.9, 1.1] }, 96 * MB, 46 * MB, 0))).toBe(true);
  });
});

/** A result around an analysis, for the renderers. */
function result(analysis: WatchResult['analysis'], samples: WatchSample[], target: TargetFacts = facts()): WatchResult {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/watch.json', import.meta.url), 'utf8')) as WatchResult;
  return { ...fixture, target, analysis, last: samples.at(-1)!, samples, samplesTaken: samples.length, projectedDeathAt: null, notes: [], conditions: [] };
}

describe('--until-verdict: one rule', () => {
  const growing = (watchLonger: boolean) => ({ verdict: 'growing', watchLonger }) as WatchResult['analysis'];
  const bounded = { verdict: 'bounded' } as WatchResult['analysis'];
  const checks = (analysis: WatchResult['analysis'], atMs: number) => {
    const history: string[] = [];
    let settled = false;
    for (let i = 0; i < 6; i += 1) settled = settledOn(history, analysis, atMs + i * 1000);
    return settled;
  };
  it('never before the documented minute, whatever the verdict', () => {
    expect(UNTIL_VERDICT_MIN_MS).toBe(60_000);
    expect(checks(growing(false), 10_000)).toBe(false);
    expect(checks(bounded, 30_000)).toBe(false);
  });
  it('after it: bounded settles; growing settles only once its range is narrow', () => {
    expect(checks(bounded, 60_000)).toBe(true);
    expect(checks(growing(true), 60_000)).toBe(false);
    expect(checks(growing(false), 60_000)).toBe(true);
  });
});

describe('every series named as what it is', () => {
  it('RSS only (watch --pid): no "heap" in the column, the band sentence or the rss reason', () => {
    const samples = readings(30, 0).map((sample) => ({
      ...sample,
      heapUsed: null,
      heapTotal: null,
      external: null,
      arrayBuffers: null,
      oldGenerationUsed: null,
    }));
    const analysis = analyseMemory(samples, facts({ label: 'pid 1' }), { heapLimitBytes: null, memoryLimitBytes: null });
    const text = renderWatch(result(analysis, samples, facts({ label: 'pid 1' })), plainStyle);
    expect(text).not.toMatch(/heap/);
    expect(text).toMatch(/BOUNDED — every series stays within its band \(rss fitted on every reading\)/);
    expect(text).toMatch(/│ series +│ +last +│/);
    expect(text).toMatch(/rss: fitted rise .* of the [\d.]+ MB rss level/);
  });
});
