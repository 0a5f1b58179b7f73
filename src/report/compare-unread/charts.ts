import { STRATEGY_NAMES, type CompareUnreadResult, type StrategyOutcome } from '../../results/compare-unread.js';
import { megabytes, milliseconds, retainedHeap, toMB } from '../../lib/format.js';
import { section, type Section } from '../model.js';
import type { Bar } from '../svg/bar.js';

/** A strategy keeps its colour in every chart and every report. */
function colorIndex(strategy: StrategyOutcome): number {
  return Math.max(0, STRATEGY_NAMES.indexOf(strategy.name));
}

function missing(strategy: StrategyOutcome): Bar {
  return { label: strategy.name, value: null, note: strategy.reason ?? strategy.status, colorIndex: colorIndex(strategy) };
}

export function unreadCharts(result: CompareUnreadResult): Section {
  const capMB = result.options.maxOldSpaceSizeMB;
  const peak: Bar[] = result.strategies.map((strategy) => {
    const m = strategy.measurement;
    const atDeath = strategy.death?.heapAtDeathBytes;
    if (m) return { label: strategy.name, value: toMB(m.peakHeapBytes), valueLabel: megabytes(m.peakHeapBytes), colorIndex: colorIndex(strategy) };
    if (atDeath !== null && atDeath !== undefined) {
      return {
        label: strategy.name,
        value: toMB(atDeath),
        valueLabel: `${strategy.status === 'oom' ? 'OOM' : strategy.status} at ${megabytes(atDeath)}`,
        failed: true,
        colorIndex: colorIndex(strategy),
      };
    }
    return missing(strategy);
  });
  const live: Bar[] = result.strategies.map((strategy) => {
    const bytes = strategy.measurement?.liveAtPeakBytes;
    return bytes === null || bytes === undefined
      ? missing(strategy)
      : { label: strategy.name, value: toMB(bytes), valueLabel: megabytes(bytes), colorIndex: colorIndex(strategy) };
  });
  const retained: Bar[] = result.strategies.map((strategy) => {
    const m = strategy.measurement;
    // Within the noise of the settled readings (or below zero): a zero bar labelled "≈ 0 (± noise)".
    const shown = m && m.retainedBytes > (m.retainedNoiseBytes ?? 0) ? m.retainedBytes : 0;
    return m
      ? {
          label: strategy.name,
          value: toMB(shown),
          valueLabel: retainedHeap(m.retainedBytes, m.retainedNoiseBytes, megabytes),
          colorIndex: colorIndex(strategy),
        }
      : missing(strategy);
  });
  const latency: Bar[] = result.strategies.map((strategy) => {
    const l = strategy.measurement?.latency;
    return l
      ? {
          label: strategy.name,
          value: l.p50Ms,
          whisker: l.p95Ms,
          valueLabel: `${milliseconds(l.p50Ms)} (p95 ${milliseconds(l.p95Ms)})`,
          colorIndex: colorIndex(strategy),
        }
      : missing(strategy);
  });
  return section(
    'Heap and latency per strategy',
    'charts',
    {
      kind: 'chart',
      chart: {
        type: 'bar',
        id: 'peak-heap',
        title: 'Peak heap per strategy',
        unit: 'MB',
        bars: peak,
        ...(capMB !== null && { reference: { value: capMB, label: `heap cap ${capMB} MB` } }),
      },
      caption: `highest heapUsed during the measured runs${peak.some((bar) => bar.failed) ? '; dashed outline: the heap when the process died' : ''}.`,
    },
    {
      kind: 'chart',
      chart: { type: 'bar', id: 'live-heap', title: 'Live heap at peak per strategy', unit: 'MB', bars: live },
      caption: 'what a full GC at the peak point could not free: the data the strategy holds there, without the garbage the peak above includes.',
    },
    {
      kind: 'chart',
      chart: { type: 'bar', id: 'retained-heap', title: 'Retained heap per strategy', unit: 'MB', bars: retained },
      caption: 'heap still held after the last run and a full GC, above the baseline.',
    },
    {
      kind: 'chart',
      chart: { type: 'bar', id: 'latency', title: 'Latency per strategy', unit: 'ms', bars: latency },
      caption: `bar: median of ${result.options.runs} run(s); line: p95.`,
    },
  );
}
