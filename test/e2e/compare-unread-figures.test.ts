import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { seedTiny } from '../helpers/unread-data.js';

/** compare-unread's figures that must not say more than was measured, through bin/imdiag.js on a tiny dataset. */
const db = uniqueDbName('cu_figures');
beforeAll(async () => {
  await seedTiny(testMongoUri(), db);
}, 120_000);
afterAll(async () => {
  await withClient((client) => client.db(db).dropDatabase());
});

describe('compare-unread --strategies bloom, through bin/imdiag.js', () => {
  it('reports the measured rate over 100,000 absent ids with its 95 % interval beside the configured one', async () => {
    {
      const run = await runCli(['compare-unread', '--quick', '--strategies', 'naive,bloom', '--uri', testMongoUri(), '--db', db, '--json']);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as CompareUnreadResult;
      const bloom = result.strategies.find((outcome) => outcome.name === 'bloom')!.bloom!;
      expect(bloom.falsePositiveTest?.probes).toBe(100_000);
      const [low, high] = bloom.falsePositiveTest!.ci95;
      expect(low).toBeLessThanOrEqual(bloom.falsePositiveTest!.rate);
      expect(high).toBeGreaterThanOrEqual(bloom.falsePositiveTest!.rate);
      expect(low).toBeLessThanOrEqual(bloom.configuredFalsePositiveRate);
      expect(bloom.distinctItems).toBeGreaterThan(0);
      // Issue 10 case 15 rides on this run: every measured strategy carries the noise of its retained figure.
      for (const outcome of result.strategies) if (outcome.status === 'ok') expect(outcome.measurement.retainedNoiseBytes).toBeGreaterThanOrEqual(0);
      const text = await runCli(['compare-unread', '--quick', '--strategies', 'naive,bloom', '--uri', testMongoUri(), '--db', db]);
      expect(text.stdout).toMatch(/false-positive rate [\d.]+ ?% measured over 100,000 absent ids \(95 % CI [\d.]+ ?%–[\d.]+ ?%\), configured 1(\.00)? ?%/);
    }
  }, 120_000);
});

describe('live heap at peak over several probe runs, and the recommendation', () => {
  it('default: 3 probe runs per strategy, median and range, overlaps stated, the verdict ends with a recommendation', async () => {
    const run = await runCli(
      ['compare-unread', '--runs', '1', '--strategies', 'naive,window,aggregate,cursor', '--uri', testMongoUri(), '--db', db, '--json'],
      { timeoutMs: 180_000 },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CompareUnreadResult;
    expect(result.options.probeRuns).toBe(3);
    for (const outcome of result.strategies) {
      if (outcome.status !== 'ok') continue;
      const live = outcome.measurement.liveAtPeak!;
      expect(live.probeRuns).toBe(3);
      expect(live.samplesBytes).toHaveLength(3);
      expect(live.minBytes).toBeLessThanOrEqual(live.medianBytes);
      expect(live.medianBytes).toBeLessThanOrEqual(live.maxBytes);
      expect(outcome.measurement.liveAtPeakBytes).toBe(live.medianBytes);
    }
    expect(result.verdict.text).toMatch(
      /live heap at peak, median \(range\) of 3 probe runs: (ranges overlap for .* so their order is not established|every strategy's range is apart)/,
    );
    expect(result.verdict.recommendation).toMatch(
      /^recommendation: use (naive|window|aggregate) now \(exact, no schema change: .*\); then the redesign, cursor/,
    );
    expect(result.verdict.text.endsWith(result.verdict.recommendation!)).toBe(true);
  }, 200_000);

  it('--quick: one probe run, and the verdict says the live-heap ranking is unverified', async () => {
    const run = await runCli(['compare-unread', '--quick', '--strategies', 'naive,aggregate', '--uri', testMongoUri(), '--db', db, '--json'], {
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CompareUnreadResult;
    expect(result.options.probeRuns).toBe(1);
    expect(result.verdict.text).toMatch(/one probe run each \(--quick\): the ranking by live heap is unverified/);
    expect(result.verdict.text).toMatch(/recommendation: use (naive|aggregate) now/);
  }, 150_000);
});
