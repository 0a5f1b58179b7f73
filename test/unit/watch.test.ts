import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitProblems } from '../../src/core/heapsnapshot/capture.js';
import { validateWatchOptions } from '../../src/commands/watch/options.js';
import { plainStyle } from '../../src/lib/style.js';
import { renderMarkdown } from '../../src/report/render.js';
import { renderLiveLine } from '../../src/report/watch/live.js';
import { renderWatch } from '../../src/report/watch/terminal.js';
import { analyseMemory } from '../../src/core/memory/analyse.js';
import { heapLimit, memoryLimit, YOUNG_GENERATION_BYTES } from '../../src/core/memory/limits.js';
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
    expect(heapLimit(facts({ heapSizeLimit: 144 * MB }), null)).toEqual({
      bytes: 144 * MB - YOUNG_GENERATION_BYTES,
      source: "Node's default (the target's heap_size_limit less the young generation)",
    });
  });
  it('memory: --memory-limit, then the cgroup, then the machine', () => {
    expect(memoryLimit(facts({ cgroupMemoryLimit: 512 * MB }), 1024 * MB).source).toBe('--memory-limit');
    expect(memoryLimit(facts({ cgroupMemoryLimit: 512 * MB }), null)).toEqual({ bytes: 512 * MB, source: 'cgroup memory limit' });
    expect(memoryLimit(facts(), null).source).toBe('machine memory');
  });
});

describe('watch options', () => {
  it.each([
    [
      { inspect: '9229' },
      {
        source: { spec: { kind: 'inspector', address: { host: '127.0.0.1', port: 9229 }, forceGcEveryMs: null } },
        durationMs: 120_000,
        intervalMs: 250,
        untilVerdict: false,
      },
    ],
    [
      { pid: '42', openInspector: true, forceGcEvery: '2s', untilVerdict: true },
      { source: { spec: { kind: 'pid', pid: 42, openInspector: true, forceGcEveryMs: 2000 } }, untilVerdict: true },
    ],
    [
      { metrics: 'http://localhost:3000/metrics', duration: '10m', heapLimit: '1536mb' },
      { source: { spec: { kind: 'metrics', url: 'http://localhost:3000/metrics' }, heapLimitBytes: 1536 * MB }, durationMs: 600_000 },
    ],
  ])('%j', (raw, expected) => expect(validateWatchOptions(raw)).toMatchObject(expected));

  it.each([
    [{ inspect: '9229', metrics: 'http://127.0.0.1/m' }, /exclude each other/],
    [{ openInspector: true, inspect: '9229' }, /--open-inspector needs --pid/],
    [{ metrics: 'ftp://127.0.0.1/m' }, /--metrics must be an http/],
    [{ pid: '0' }, /--pid must be a whole number from 1/],
    [{ inspect: '9229', interval: '10ms' }, /--interval must be/],
    [{ inspect: '9229', heapLimit: '1kb' }, /--heap-limit must be/],
    [{ inspect: '9229', failOn: 'p99>2s' }, /unknown figure 'p99'/],
  ])('refuses %j', (raw, message) => expect(() => validateWatchOptions(raw)).toThrow(message));
});

describe('watch renderers (fixture from a real run)', () => {
  const result = JSON.parse(readFileSync(new URL('../../fixtures/watch.json', import.meta.url), 'utf8')) as WatchResult;

  it('terminal: target, verdict, one row per series', () => {
    const text = renderWatch(result, plainStyle, UNWRAPPED);
    expect(text).toMatch(/^imdiag watch — node\[\d+\] via inspector/);
    expect(text).toMatch(/^GROWING — heap \(old generation\) \+[\d.]+ MB\/min \(fitted on .*\)\nout of memory in ~/m);
    expect(text).toMatch(/│ series +│ +last │ MB\/min │/);
    expect(text).toMatch(/│ heap \(old generation\) │ +[\d.]+ MB │/);
    expect(text).toMatch(/--max-old-space-size \(execArgv\)/);
  });

  it('markdown report and the live line', () => {
    const markdown = renderMarkdown(result, { redact: false });
    expect(markdown).toMatch(/\*\*GROWING\*\*/);
    expect(markdown).toMatch(/## Memory per series/);
    expect(renderLiveLine({ elapsedMs: 5000, durationMs: 60_000, facts: result.target, last: result.last!, analysis: result.analysis })).toMatch(
      /^5 s\/60 s {2}heap [\d.]+ MB .*growing {2}heap limit in ~/,
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
