import { describe, expect, it } from 'vitest';
import { MAX_KEPT_SAMPLES, thinEvenly } from '../../src/core/memory/thin.js';

const series = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('thinEvenly (watch and flood --target results)', () => {
  it('keeps a series of at most MAX_KEPT_SAMPLES whole, as a copy', () => {
    const items = series(MAX_KEPT_SAMPLES);
    const kept = thinEvenly(items);
    expect(kept).toEqual(items);
    expect(kept).not.toBe(items);
    expect(thinEvenly([])).toEqual([]);
  });

  it('keeps MAX_KEPT_SAMPLES of a longer series, the first and the last among them, evenly spaced', () => {
    for (const n of [MAX_KEPT_SAMPLES + 1, 2_999, 3 * MAX_KEPT_SAMPLES, 28_800]) {
      const kept = thinEvenly(series(n));
      expect(kept).toHaveLength(MAX_KEPT_SAMPLES);
      expect(kept[0]).toBe(0);
      expect(kept.at(-1)).toBe(n - 1);
      const gaps = kept.slice(1).map((value, i) => value - kept[i]!);
      const step = (n - 1) / (MAX_KEPT_SAMPLES - 1);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(step));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(step));
    }
  });

  it('takes another limit', () => {
    expect(thinEvenly(series(10), 4)).toEqual([0, 3, 6, 9]);
    expect(thinEvenly(series(10), 1)).toEqual([0]);
  });
});
