import { bytesHuman, count, duration, megabytes, toMB } from '../../lib/format.js';
import type { WatchResult } from '../../results/watch.js';
import { facts, paragraph, present, right, section, table, type Block, type ReportDoc, type Section } from '../model.js';
import { failOnSection } from '../sections.js';
import type { LineSeries } from '../svg/line.js';
import { FITTED_ON, limitText, seriesLabel, slope, timeToLimit, verdictSentence } from './text.js';

/** `imdiag watch` as a report: the verdict, one row per series, memory over time with the fitted lines. */
export function watchDoc(result: WatchResult): ReportDoc {
  return {
    title: `imdiag watch: ${result.target.label}`,
    verdict: [{ strong: verdictSentence(result).split(' — ')[0]! }, ` — ${verdictSentence(result).split(' — ').slice(1).join(' — ')}`],
    sections: present([targetSection(result), seriesSection(result), failOnSection(result.conditions, 'conditions')]),
  };
}

function targetSection(result: WatchResult): Section {
  const { target, params } = result;
  return section(
    'What was watched',
    'target',
    facts([
      ['Process', target.label],
      ['Read through', target.via],
      ['Node', target.nodeVersion],
      ['--max-old-space-size', target.maxOldSpaceSizeMB === null ? null : `${target.maxOldSpaceSizeMB} MB (from ${target.maxOldSpaceSizeFrom})`],
      ["V8's heap_size_limit", target.heapSizeLimit === null ? null : bytesHuman(target.heapSizeLimit)],
      ['Young generation', target.youngGeneration ? `${bytesHuman(target.youngGeneration.bytes)} (${target.youngGeneration.from})` : null],
      ['Watched', `${duration(result.watchedMs / 1000)}, ${count(result.samplesTaken)} readings every ${params.intervalMs} ms (${result.outcome})`],
      ['Forced collections', params.forceGcEveryMs === null ? 'none' : `every ${params.forceGcEveryMs} ms (changes the target)`],
    ]),
    ...result.notes.map((note) => paragraph(note)),
  );
}

function seriesSection(result: WatchResult): Section {
  const rows = result.analysis.series.map((item) => [
    seriesLabel(item),
    slope(item),
    FITTED_ON[item.fittedOn],
    item.trend.verdict,
    limitText(item),
    duration(item.secondsToLimit),
  ]);
  const blocks: Block[] = [
    table(
      ['series', right('slope'), 'fitted on', 'verdict', 'limit', right('time to limit')],
      rows,
      'The verdict is the worst series; the time to out-of-memory, the soonest a growing series reaches its limit.',
    ),
    ...(result.analysis.secondsToLimit === null ? [] : [paragraph({ strong: 'Time to out-of-memory: ' }, timeToLimit(result.analysis))]),
    ...result.analysis.series.map((item) => paragraph({ strong: `${seriesLabel(item)}: ` }, item.trend.reason, item.basis ? `; fitted on ${item.basis}` : '')),
  ];
  const chart = memoryChart(result);
  if (chart) blocks.push(chart);
  return section('Memory per series', 'series', ...blocks);
}

function memoryChart(result: WatchResult): Block | null {
  const pick = {
    heap: (s: WatchResult['samples'][number]) => s.heapUsed,
    external: (s: WatchResult['samples'][number]) => s.external,
    rss: (s: WatchResult['samples'][number]) => s.rss,
  };
  const series: LineSeries[] = result.analysis.series.map((item, index) => ({
    name: seriesLabel(item),
    colorIndex: index,
    points: result.samples.flatMap((sample) => {
      const own = heapValue(item, sample);
      const value = own === undefined ? pick[item.series](sample) : own;
      return value === null ? [] : [[sample.tMs / 1000, toMB(value)] as const];
    }),
    trend: { slope: item.trend.slopeMBPerSec, intercept: item.trend.interceptMB, from: item.trend.fromMs / 1000, to: item.trend.toMs / 1000 },
    note: `${item.trend.verdict} ${slope(item)}`,
  }));
  if (series.every((item) => item.points.length === 0)) return null;
  return {
    kind: 'chart',
    chart: { type: 'line', id: 'memory', title: `Memory of ${result.target.label} over time`, xLabel: 'seconds watched', yLabel: 'MB', series },
    caption: `dashed: the fitted trend of each series; last reading ${megabytes(result.last?.heapUsed)} heap used, ${megabytes(result.last?.rss)} RSS.`,
  };
}

const MARKS: Record<WatchResult['analysis']['series'][number]['fittedOn'], (sample: WatchResult['samples'][number]) => boolean> = {
  'after-forced-gc': (sample) => sample.afterForcedGc,
  'after-major-gc': (sample) => sample.afterMajorGc === true,
  'after-scavenge': (sample) => sample.afterScavenge === true,
  'all-samples': () => true,
};

/** The heap's own measure at a reading: old generation (+ the young generation's use at the readings the line was fitted on). */
function heapValue(item: WatchResult['analysis']['series'][number], sample: WatchResult['samples'][number]): number | null | undefined {
  if (item.series !== 'heap' || item.measure === undefined || item.measure === 'heap-used') return undefined;
  if (item.measure === 'old-generation') return sample.oldGenerationUsed ?? null;
  return MARKS[item.fittedOn](sample) ? (sample.oldGenerationUsed ?? 0) + (sample.youngGenerationUsed ?? 0) : null;
}
