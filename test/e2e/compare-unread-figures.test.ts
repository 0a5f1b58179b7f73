import { describe, expect, it } from 'vitest';
import type { CompareUnreadResult } from '../../src/unread/result.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { seedTiny } from '../helpers/unread-data.js';

/** compare-unread's figures that must not say more than was measured, through bin/imdiag.js on a tiny dataset. */

describe('compare-unread --strategies bloom, through bin/imdiag.js', () => {
  it('reports the measured rate over 100,000 absent ids with its 95 % interval beside the configured one', async () => {
    const db = uniqueDbName('bloom_rate');
    await seedTiny(testMongoUri(), db);
    try {
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
    } finally {
      await withClient((client) => client.db(db).dropDatabase());
    }
  }, 120_000);
});
