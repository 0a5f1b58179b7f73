import type { FloodResult, FloodSample, StrategyRun } from '../../results/flood.js';
import { count, decimal } from '../../lib/format.js';
import { section, type Block, type Section } from '../model.js';
import type { LineSeries } from '../svg/line.js';
import { heldLevel, runFate } from './fate.js';

const MB = 1024 * 1024;

/** Samples taken right after a forced full GC (newer results mark them): the live heap. */
function afterFullGc(sample: FloodSample): boolean {
  return sample.afterFullGc === true;
}

/** The heap limit is drawn only when it is in sight; otherwise it would flatten every line to the floor. */
const LIMIT_IN_SIGHT = 3;

export function floodCharts(result: FloodResult): Section {
  const colour = (run: StrategyRun) => Math.max(0, result.params.strategies.indexOf(run.strategy));
  const heap: LineSeries[] = result.runs.map((run) => ({
    name: run.strategy,
    colorIndex: colour(run),
    points: run.samples.map((sample) => [sample.tMs / 1000, sample.heapUsedBytes / MB] as const),
    markers: run.samples.filter(afterFullGc).map((sample) => [sample.tMs / 1000, sample.heapUsedBytes / MB] as const),
    // The fit is over seconds on the samples' clock (heapMB = intercept + slope · t), warm-up excluded.
    ...(run.trend.samples >= 2 && {
      trend: { slope: run.trend.slopeMBPerSec, intercept: run.trend.interceptMB, from: run.trend.fromMs / 1000, to: run.trend.toMs / 1000 },
    }),
    note: runFate(run),
  }));
  const liveSamples = result.runs.some((run) => run.samples.some(afterFullGc));
  const heapMax = Math.max(0, ...result.runs.map((run) => run.heap.maxMB));
  const limits = [...new Set(result.runs.map((run) => run.projection?.heapLimitMB).filter((limit): limit is number => limit !== undefined))];
  const references = limits.filter((limit) => limit <= heapMax * LIMIT_IN_SIGHT).map((limit) => ({ value: limit, label: `heap limit ${count(limit)} MB` }));
  const offChart = limits.filter((limit) => limit > heapMax * LIMIT_IN_SIGHT);

  const bufferedMax = Math.max(0, ...result.runs.flatMap((run) => run.samples.map((sample) => sample.bufferedSumBytes)));
  const [unit, divisor] = bufferedMax >= MB ? ['MB', MB] : ['KB', 1024];
  const buffered: LineSeries[] = result.runs.map((run) => ({
    name: run.strategy,
    colorIndex: colour(run),
    points: run.samples.map((sample) => [sample.tMs / 1000, sample.bufferedSumBytes / divisor] as const),
  }));

  const projection = projectionChart(result, colour);
  return section(
    'Memory and bufferedAmount over time',
    'charts',
    {
      kind: 'chart',
      chart: {
        type: 'line',
        id: 'heap',
        title: 'Server heap used over time, per strategy',
        xLabel: 'seconds under load',
        yLabel: 'heap used, MB',
        series: heap,
        references,
      },
      caption: `dashed: the fitted trend${liveSamples ? '; dots: samples right after a full collection, the live heap the trend is fitted to' : ''}${offChart.length > 0 ? `; the heap limit (${offChart.map((limit) => `${count(limit)} MB`).join(', ')}) is far above this scale, the legend gives the projected time to reach it` : ''}.`,
    },
    {
      kind: 'chart',
      chart: {
        type: 'line',
        id: 'buffered',
        title: 'bufferedAmount over time, per strategy',
        xLabel: 'seconds under load',
        yLabel: `bufferedAmount summed over monitors, ${unit}`,
        series: buffered,
      },
      caption: `bytes queued in the server for monitors and not yet sent (peak ${decimal(bufferedMax / divisor, 1)} ${unit}).`,
    },
    ...(projection ? [projection] : []),
  );
}

/** Spider's servers died 10–30 minutes in (the Spider post-mortem). */
const SPIDER_MINUTES = { from: 10, to: 30 };

/**
 * The fitted trends carried forward to the heap limit, in minutes, beside the window in which
 * Spider died. Only when some strategy grows: flat lines alone would say nothing new.
 */
function projectionChart(result: FloodResult, colour: (run: StrategyRun) => number): Block | undefined {
  const growing = result.runs.filter((run) => run.projection?.secondsToLimit != null);
  if (growing.length === 0) return undefined;
  const endMinutes = (run: StrategyRun) => (run.durationMs + run.projection!.secondsToLimit! * 1000) / 60_000;
  const horizon = Math.max(SPIDER_MINUTES.to * 1.15, ...growing.map((run) => endMinutes(run) * 1.05));
  const series: LineSeries[] = result.runs
    .filter((run) => run.projection && run.outcome === 'completed')
    .map((run) => {
      const p = run.projection!;
      const runMinutes = run.durationMs / 60_000;
      const points: Array<readonly [number, number]> =
        p.secondsToLimit == null
          ? [
              [0, heldLevel(run.trend).mb],
              [horizon, heldLevel(run.trend).mb],
            ]
          : [
              [0, run.heap.firstMB],
              [runMinutes, p.currentMB],
              [endMinutes(run), p.heapLimitMB],
            ];
      const note =
        p.secondsToLimit == null
          ? `${run.verdict}, stays near ${decimal(heldLevel(run.trend).mb, 1)} MB`
          : `reaches ${count(p.heapLimitMB)} MB ~${decimal(endMinutes(run), 1)} min after the start`;
      return { name: run.strategy, colorIndex: colour(run), points, note };
    });
  const limit = Math.max(...growing.map((run) => run.projection!.heapLimitMB));
  return {
    kind: 'chart',
    chart: {
      type: 'line',
      id: 'projection',
      title: 'Projected heap: the fitted trend carried to the heap limit',
      xLabel: 'minutes',
      yLabel: 'heap used, MB',
      series,
      references: [{ value: limit, label: `heap limit ${count(limit)} MB` }],
      bands: [{ ...SPIDER_MINUTES, label: 'Spider died here (10–30 min)' }],
    },
    caption: 'a straight-line extrapolation of the measured slope; real servers also slow down as the heap fills, so read it as an estimate.',
  };
}
