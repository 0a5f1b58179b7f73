import { describe, expect, it } from 'vitest';
import { FixedRateSchedule } from '../../src/core/load/schedule.js';
import { sparkline } from '../../src/report/flood/sparkline.js';
import { bodyTemplate } from '../../src/engines/flood/producers.js';
import { RecentWindow } from '../../src/engines/flood/server/store.js';
import type { FloodSample } from '../../src/results/flood.js';
import { fitLine, fitTrend, projectToLimit, t95 } from '../../src/core/memory/trend.js';

const MB = 1024 * 1024;

function sample(tMs: number, heapMB: number): FloodSample {
  return {
    tMs,
    heapUsedBytes: heapMB * MB,
    heapTotalBytes: 2 * heapMB * MB,
    rssBytes: 4 * heapMB * MB,
    externalBytes: 0,
    arrayBuffersBytes: 0,
    bufferedSumBytes: 0,
    bufferedMaxBytes: 0,
    monitors: 1,
    postsReceived: 0,
    pushesSent: 0,
    pushBytes: 0,
    pushesSkipped: 0,
    eventLoopDelayMeanMs: 0,
    eventLoopDelayMaxMs: 0,
    afterFullGc: false,
  };
}

/** A seeded sawtooth around `level` plus `slope` MB/s, every 200 ms for `seconds`. */
function series(level: number, slope: number, seconds: number, swingMB = 3): FloodSample[] {
  const out: FloodSample[] = [];
  for (let tMs = 0; tMs <= seconds * 1000; tMs += 200) out.push(sample(tMs, level + (slope * tMs) / 1000 + ((tMs / 200) % 3) * (swingMB / 2)));
  return out;
}

describe('FixedRateSchedule', () => {
  it('hands out floor(elapsed × rate) + 1 sends however irregular the ticks, and never more than the run holds', () => {
    const schedule = new FixedRateSchedule({ rate: 1000, startAt: 0, durationMs: 2000 });
    let handed = 0;
    for (const now of [0, 0.3, 7, 7.1, 150, 151, 999.9, 1500]) {
      handed += schedule.due(now).length;
      expect(handed).toBe(Math.floor(now) + 1);
    }
    handed += schedule.due(10_000).length;
    expect(handed).toBe(2000);
    expect(schedule.total).toBe(2000);
    expect(schedule.due(20_000)).toEqual([]);
    expect(schedule.waitMs(20_000)).toBe(Infinity);
  });

  it('computes due times from the start, so a stall does not shift later sends', () => {
    const schedule = new FixedRateSchedule({ rate: 10, startAt: 1000, durationMs: 10_000 });
    expect(schedule.due(1000).map((send) => send.dueAt)).toEqual([1000]);
    // A 450 ms stall: the overdue sends come at once, each with its own original due time.
    expect(schedule.due(1450).map((send) => send.dueAt)).toEqual([1100, 1200, 1300, 1400]);
    expect(schedule.waitMs(1450)).toBeCloseTo(50);
    expect(schedule.due(1499)).toEqual([]);
    expect(schedule.due(1500).map((send) => send.index)).toEqual([5]);
  });
});

describe('trend fitting', () => {
  it('fits an exact line with R² 1 and a zero-width interval', () => {
    const fit = fitLine([0, 1, 2, 3, 4], [1, 3, 5, 7, 9]);
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(1);
    expect(fit.rSquared).toBeCloseTo(1);
    expect(fit.slopeStdError).toBeCloseTo(0);
  });

  it('uses t quantiles close to the tables', () => {
    expect(t95(2)).toBeCloseTo(4.303, 3);
    expect(t95(10)).toBeCloseTo(2.228, 2);
    expect(t95(30)).toBeCloseTo(2.042, 2);
    expect(t95(1000)).toBeCloseTo(1.962, 2);
  });

  it('calls a steady sawtooth bounded and a steady climb growing', () => {
    const flat = fitTrend(series(20, 0, 20));
    expect(flat.verdict).toBe('bounded');
    expect(Math.abs(flat.slopeMBPerSec)).toBeLessThan(0.1);
    expect(flat.floorMaxDeviationPct).toBeLessThan(10);

    const climbing = fitTrend(series(20, 2, 20));
    expect(climbing.verdict).toBe('growing');
    expect(climbing.slopeMBPerSec).toBeCloseTo(2, 1);
    expect(climbing.slopeCi95MBPerSec[0]).toBeGreaterThan(1.5);
    expect(climbing.rSquared).toBeGreaterThan(0.9);
  });

  it('ignores the warm-up and calls too short a run inconclusive', () => {
    // Steep during the first 2 s (connections, the window filling), flat afterwards.
    const warm = series(20, 0, 20).map((s) => (s.tMs < 2000 ? sample(s.tMs, 5 + s.tMs / 100) : s));
    expect(fitTrend(warm).verdict).toBe('bounded');
    expect(fitTrend(series(20, 5, 2.5)).verdict).toBe('inconclusive');
  });

  it('fits the live heap (samples after a full collection) when there are enough, ignoring garbage between them', () => {
    // Garbage piles up between full collections (+1 MB/s in the other samples); what is live stays at 10 MB.
    const samples = series(10, 1, 20, 0).map((s, i) => (i % 3 === 0 ? { ...sample(s.tMs, 10), afterFullGc: true } : s));
    const trend = fitTrend(samples);
    expect(trend.metric).toBe('liveHeap');
    expect(trend.verdict).toBe('bounded');
    expect(Math.abs(trend.slopeMBPerSec)).toBeLessThan(0.01);
    expect(fitTrend(series(10, 1, 20, 0)).metric).toBe('heapUsed');
  });

  it('does not call a tiny rise growing even if it is a perfect line', () => {
    expect(fitTrend(series(5, 0.1, 20, 0)).verdict).toBe('bounded');
  });

  it('projects the time to the heap limit from the fitted line', () => {
    const trend = fitTrend(series(100, 10, 20, 0));
    const projection = projectToLimit(trend, 2100 * MB, 'heap_size_limit');
    expect(projection.currentMB).toBeCloseTo(300, 0);
    expect(projection.secondsToLimit).toBeCloseTo(180, 0);
    expect(projectToLimit(fitTrend(series(20, 0, 20)), 2100 * MB, 'heap_size_limit').secondsToLimit).toBeNull();
  });
});

describe('recent window and payloads', () => {
  it('keeps the newest chartPoints posts within the window and serialises them with the newest timestamp first', () => {
    const store = new RecentWindow(1000, 3);
    for (let i = 0; i < 5; i += 1) store.add({ sentAt: i, receivedAt: i, raw: `{"i":${i}}` });
    expect(store.size).toBe(3);
    expect(store.chart()).toBe('{"newest":4,"points":[{"i":2},{"i":3},{"i":4}]}');
    store.add({ sentAt: 9, receivedAt: 5000, raw: '{"i":9}' });
    expect(JSON.parse(store.chart())).toEqual({ newest: 9, points: [{ i: 9 }] });
  });

  it('builds POST bodies of about the asked size that parse as Spider samples', () => {
    const body = bodyTemplate(3, 1024)(123.456);
    expect(body.length).toBeGreaterThanOrEqual(1024);
    expect(body.length).toBeLessThan(1200);
    const parsed = JSON.parse(body) as { t: number; samples: unknown[] };
    expect(parsed.t).toBe(123.456);
    expect(parsed.samples.length).toBeGreaterThan(10);
  });

  it('draws a sparkline on a shared scale', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8, 0, 7)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 7, 0], 2, 0, 7)).toBe('▁█');
  });
});
