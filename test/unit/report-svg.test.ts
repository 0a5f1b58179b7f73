import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/report/svg/bar.js';
import { downsample, lineChart, type Point } from '../../src/report/svg/line.js';
import { decimal, shellLine } from '../../src/lib/format.js';
import { niceTicks, tickLabel } from '../../src/report/svg/scale.js';

describe('niceTicks', () => {
  it.each([
    [0, 1489, [0, 500, 1000, 1500]],
    [0, 0.4, [0, 0.1, 0.2, 0.3, 0.4]],
    [0, 7, [0, 2, 4, 6, 8]],
    [0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]],
  ])('%d..%d', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('labels ticks briefly', () => {
    expect([0, 0.05, 2.5, 1500, 12_500, 2_000_000].map(tickLabel)).toEqual(['0', '0.05', '2.5', '1500', '12.5k', '2M']);
  });
});

describe('barChart', () => {
  const svg = barChart({
    id: 'peak-heap',
    title: 'Peak <heap>',
    unit: 'MB',
    reference: { value: 1536, label: 'heap cap 1536 MB' },
    bars: [
      { label: 'naive', value: 617, colorIndex: 0 },
      { label: 'cursor', value: 0.01, colorIndex: 6 },
      { label: 'naive-mongoose', value: null, note: 'skipped: mongoose & co. <absent>', colorIndex: 1 },
    ],
  });

  it('draws one bar per measured category, hooked by data-series, and a note for the rest', () => {
    expect([...svg.matchAll(/<rect class="bar [^"]*" data-series="([^"]+)"/g)].map((match) => match[1])).toEqual(['naive', 'cursor']);
    expect(svg).toContain('data-missing="naive-mongoose"');
    expect(svg).toContain('skipped: mongoose &amp; co. &lt;absent&gt;');
    expect(svg).toMatch(/^<svg class="chart" data-chart="peak-heap" xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img"/);
    expect(svg).toContain('<title id="chart-peak-heap-title">Peak &lt;heap&gt;</title>');
    expect(svg).toContain('data-reference="heap cap 1536 MB"');
  });

  it('keeps a bar a hundred thousand times smaller than the largest visible', () => {
    const width = Number(/data-series="cursor"[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThanOrEqual(2);
  });
});

describe('lineChart', () => {
  it('draws a polyline and a trend per series, and a legend entry each', () => {
    const svg = lineChart({
      id: 'heap',
      title: 'Heap',
      xLabel: 's',
      yLabel: 'MB',
      series: [
        {
          name: 'per-message',
          colorIndex: 0,
          points: [
            [0, 10],
            [1, 20],
            [2, 30],
          ],
          trend: { slope: 10, intercept: 10 },
          note: 'growing',
        },
        {
          name: 'interval',
          colorIndex: 1,
          points: [
            [0, 10],
            [1, 11],
            [2, 10],
          ],
          markers: [[1, 11]],
        },
      ],
      bands: [{ from: 0.5, to: 1, label: 'band' }],
    });
    expect([...svg.matchAll(/<polyline [^>]*data-series="([^"]+)"/g)].map((match) => match[1])).toEqual(['per-message', 'interval']);
    expect([...svg.matchAll(/data-trend="([^"]+)"/g)].map((match) => match[1])).toEqual(['per-message']);
    expect([...svg.matchAll(/data-legend="([^"]+)"/g)].map((match) => match[1])).toEqual(['per-message', 'interval']);
    expect(svg).toContain('data-band="band"');
    expect([...svg.matchAll(/<circle class="marker c1" data-marker="([^"]+)"/g)].map((match) => match[1])).toEqual(['interval']);
  });

  it('downsamples long series but keeps their extremes', () => {
    const points: Point[] = Array.from({ length: 10_000 }, (_, index) => [index, index === 4321 ? 999 : index % 7]);
    const kept = downsample(points, 600);
    expect(kept.length).toBeLessThanOrEqual(600);
    expect(kept).toContainEqual([4321, 999]);
    expect(kept.map((point) => point[0])).toEqual([...kept.map((point) => point[0])].sort((a, b) => a - b));
  });
});

describe('format', () => {
  it('prints no sign on a rounded zero', () => {
    expect([-0.0004, -0.5, 0, 1234.5678].map((value) => decimal(value, 3))).toEqual(['0', '-0.5', '0', '1,234.568']);
  });

  it('quotes only the arguments a shell would split or expand', () => {
    expect(shellLine(['npx', 'imdiag', 'seed', '--uri', 'mongodb://***@<host>:27017/', '--db', 'x_1', "it's"])).toBe(
      `npx imdiag seed --uri 'mongodb://***@<host>:27017/' --db x_1 'it'\\''s'`,
    );
  });
});
