import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render.js';
import { fixture, type FixtureResults } from '../helpers/report-fixtures.js';

/**
 * The HTML reports in a real browser: Debian's chromium (.ci/run installs it), driven by
 * playwright-core. One launch for every page keeps this to a few seconds.
 */
const CHROMIUM = '/usr/bin/chromium';
// --disable-dev-shm-usage: CI containers often have a 64 MB /dev/shm, too small for Chromium.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

interface Opened {
  page: Page;
  url: string;
  /** Every request the page made, the document itself included. */
  requests: string[];
  /** Console errors (a blocked fetch shows up here as a CSP violation). */
  errors: string[];
}

describe.skipIf(!existsSync(CHROMIUM))(`HTML reports in Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imdiag-browser-'));
    // launch() gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(name: keyof FixtureResults): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderHtml(fixture(name), { redact: true }));
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const opened: Opened = { page, url: pathToFileURL(file).href, requests: [], errors: [] };
    page.on('request', (request) => opened.requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && opened.errors.push(message.text()));
    page.on('pageerror', (error) => opened.errors.push(error.message));
    await page.goto(opened.url, { waitUntil: 'load' });
    return opened;
  }

  /** Bounding boxes of the marks of one chart, by their data-series hook. */
  async function marks(page: Page, chart: string, selector = '[data-series]'): Promise<Array<{ series: string; width: number; height: number }>> {
    return page.locator(`svg[data-chart="${chart}"] ${selector}`).evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return { series: element.getAttribute('data-series') ?? element.getAttribute('data-trend') ?? '', width: box.width, height: box.height };
      }),
    );
  }

  function expectOnlyItself(opened: Opened): void {
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.errors).toEqual([]);
  }

  it.each(['compare-unread', 'compare-unread-oom'] as const)(
    '%s: peak heap, live heap, retained heap and latency bars, one per strategy, nothing fetched',
    async (name) => {
      const result = fixture(name);
      const opened = await open(name);
      const { page } = opened;
      const measured = result.strategies.filter((strategy) => strategy.measurement).map((strategy) => strategy.name);
      const diedWithHeap = result.strategies.filter((strategy) => strategy.death?.heapAtDeathBytes != null).map((strategy) => strategy.name);
      const expected = {
        'peak-heap': result.strategies.map((strategy) => strategy.name).filter((name) => measured.includes(name) || diedWithHeap.includes(name)),
        'live-heap': result.strategies.filter((strategy) => strategy.measurement?.liveAtPeakBytes != null).map((strategy) => strategy.name),
        'retained-heap': measured,
        latency: measured,
      };
      for (const [chart, names] of Object.entries(expected)) {
        const bars = await marks(page, chart);
        expect(
          bars.map((bar) => bar.series),
          chart,
        ).toEqual(names);
        for (const bar of bars) {
          expect(bar.width, `${chart} ${bar.series}`).toBeGreaterThan(0);
          expect(bar.height, `${chart} ${bar.series}`).toBeGreaterThan(0);
        }
      }
      // The chart is wide enough to read, and the bar of the heaviest strategy is the longest.
      const svg = await page.locator('svg[data-chart="peak-heap"]').boundingBox();
      expect(svg!.width).toBeGreaterThan(500);
      const peakOf = (strategy: (typeof result.strategies)[number]) => strategy.measurement?.peakHeapBytes ?? strategy.death?.heapAtDeathBytes ?? 0;
      const heaviest = result.strategies.reduce((a, b) => (peakOf(a) >= peakOf(b) ? a : b));
      const peak = await marks(page, 'peak-heap');
      expect(peak.reduce((a, b) => (a.width >= b.width ? a : b)).series).toBe(heaviest.name);
      expect(await page.locator('[data-verdict]').isVisible()).toBe(true);
      expectOnlyItself(opened);
      await page.close();
    },
  );

  it('flood: heap and bufferedAmount lines per strategy with fitted trends and the projection, nothing fetched', async () => {
    const result = fixture('flood');
    const opened = await open('flood');
    const { page } = opened;
    const strategies = result.runs.map((run) => run.strategy);
    for (const chart of ['heap', 'buffered']) {
      const lines = await marks(page, chart, 'polyline[data-series]');
      expect(
        lines.map((line) => line.series),
        chart,
      ).toEqual(strategies);
      for (const line of lines) expect(line.width, `${chart} ${line.series}`).toBeGreaterThan(0);
    }
    const trends = await marks(page, 'heap', 'line[data-trend]');
    expect(trends.map((trend) => trend.series)).toEqual(result.runs.filter((run) => run.trend.samples >= 2).map((run) => run.strategy));
    for (const trend of trends) expect(trend.width).toBeGreaterThan(0);
    // A growing strategy's line rises; the steepest one spans a good part of the plot.
    const heights = new Map((await marks(page, 'heap', 'polyline[data-series]')).map((mark) => [mark.series, mark.height]));
    const growing = result.runs.filter((run) => run.verdict === 'growing').sort((a, b) => b.trend.slopeMBPerSec - a.trend.slopeMBPerSec);
    for (const run of growing) expect(heights.get(run.strategy), run.strategy).toBeGreaterThan(0);
    if (growing[0]) expect(heights.get(growing[0].strategy)).toBeGreaterThan(100);
    const projection = await marks(page, 'projection', 'polyline[data-series]');
    expect(projection.length).toBeGreaterThan(0);
    expect(await page.locator('svg[data-chart="projection"] [data-band]').count()).toBe(1);
    expectOnlyItself(opened);
    await page.close();
  });

  it('seed: renders with no request but itself', async () => {
    const opened = await open('seed');
    expect(await opened.page.locator('section#collections table tbody tr').count()).toBe(fixture('seed').collections.length);
    expectOnlyItself(opened);
    await opened.page.close();
  });

  it('fits an A4 page when printed: no table or chart wider than the paper', async () => {
    const opened = await open('compare-unread-oom');
    const { page } = opened;
    // A4 (210 mm) minus the 14 mm margins of @page, at 96 px per inch.
    await page.setViewportSize({ width: Math.floor(((210 - 2 * 14) / 25.4) * 96), height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const overflow = await page.evaluate(() => ({
      tables: [...document.querySelectorAll('.table-wrap')].map((wrap) => wrap.scrollWidth - wrap.clientWidth),
      charts: [...document.querySelectorAll('svg.chart')].map((svg) => svg.getBoundingClientRect().right - document.body.getBoundingClientRect().right),
    }));
    expect(
      overflow.tables.every((px) => px <= 0),
      `tables overflow by ${overflow.tables.join(', ')} px`,
    ).toBe(true);
    expect(
      overflow.charts.every((px) => px <= 0.5),
      `charts overflow by ${overflow.charts.join(', ')} px`,
    ).toBe(true);
    expectOnlyItself(opened);
    await page.close();
  });

  it('follows dark mode and prints on white', async () => {
    const opened = await open('flood');
    const { page } = opened;
    const colours = () =>
      page.evaluate(() => ({
        background: getComputedStyle(document.documentElement).backgroundColor,
        text: getComputedStyle(document.body).color,
        tick: getComputedStyle(document.querySelector('svg.chart .tick')!).fill,
      }));
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await colours();
    expect(luminance(light.background)).toBeGreaterThan(200);
    expect(luminance(light.text)).toBeLessThan(80);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();
    expect(luminance(dark.background)).toBeLessThan(40);
    expect(luminance(dark.text)).toBeGreaterThan(180);
    expect(luminance(dark.tick)).toBeGreaterThan(100);
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await colours();
    expect(printed.background).toBe('rgb(255, 255, 255)');
    expect(printed.text).toBe('rgb(0, 0, 0)');
    expectOnlyItself(opened);
    await page.close();
  });
});
