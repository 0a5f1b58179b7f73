import { bytesHuman, count, duration, milliseconds, NO_VALUE, toMB } from '../../lib/format.js';
import type { FloodTargetResult } from '../../results/flood-target.js';
import type { WatchSample } from '../../results/watch.js';
import { facts, paragraph, present, section, table, type Inline, type ReportDoc, type Section } from '../model.js';
import { failOnSection, warningsSection } from '../sections.js';
import { leakSection } from './leak.js';
import type { LineSeries } from '../svg/line.js';
import { FITTED_ON, limitText, slope } from '../watch/text.js';
import { clock, explain, figureRows, seriesLabel } from './terminal.js';

/** `imdiag flood --target` as a report: verdict, figures, memory per series, death, --fail-on, the load. */
export function floodTargetDoc(result: FloodTargetResult): ReportDoc {
  return {
    title: `imdiag flood --target: ${count(result.params.rate)} ${result.params.method}/s against ${result.params.target}`,
    verdict: verdict(result),
    sections: present([
      figuresSection(result),
      memorySection(result),
      leakSection(result.leak),
      failOnSection(result.failOn, 'fail-on'),
      warningsSection(result.warnings),
      parametersSection(result),
    ]),
  };
}

function verdict(result: FloodTargetResult): Inline[] {
  const word = result.verdict === 'died' ? 'The target died' : `Memory ${result.verdict}`;
  return [{ strong: word }, `: ${explain(result)}.`];
}

function figuresSection(result: FloodTargetResult): Section {
  return section('Load and monitors', 'figures', table(['', 'measured'], figureRows(result)));
}

function memorySection(result: FloodTargetResult): Section | undefined {
  const memory = result.memory;
  if (!memory) return undefined;
  const rows = memory.analysis.series.map((series) => [
    seriesLabel(series),
    series.trend.verdict,
    slope(series),
    FITTED_ON[series.fittedOn],
    series.limit ? limitText(series) : NO_VALUE,
    duration(series.secondsToLimit),
  ]);
  const chartSeries: LineSeries[] = (['heapUsed', 'external', 'rss'] as const)
    .map((field, index) => ({
      name: field === 'heapUsed' ? 'heap used' : field,
      colorIndex: index,
      points: memory.samples.filter((sample) => sample[field] !== null).map((sample: WatchSample) => [sample.tMs / 1000, toMB(sample[field]!)] as const),
    }))
    .filter((series) => series.points.length > 0);
  const f = memory.facts;
  return section(
    'Target memory',
    'memory',
    facts([
      ['Read through', f.via],
      ['Process', f.label],
      ['Node', f.nodeVersion],
      ['--max-old-space-size', f.maxOldSpaceSizeMB === null ? null : `${count(f.maxOldSpaceSizeMB)} MB (${f.maxOldSpaceSizeFrom})`],
      ['Readings', `${count(memory.samples.length)}, every ${milliseconds(memory.sampleEveryMs)}`],
      [
        'Forced full collections',
        memory.forceGcEveryMs === null ? 'none (the target was not changed)' : `every ${milliseconds(memory.forceGcEveryMs)} — they change the target (pauses)`,
      ],
    ]),
    table(['series', 'verdict', 'slope', 'fitted on', 'limit', 'time to limit'], rows),
    {
      kind: 'chart',
      chart: { type: 'line', id: 'target-memory', title: 'Target memory under load', xLabel: 'seconds under load', yLabel: 'MB', series: chartSeries },
    },
    ...(result.death
      ? [
          paragraph(
            { strong: `The target died after ${clock(result.death.afterMs)}` },
            ` (${result.death.detectedBy}); last heap reading ${bytesHuman(result.death.lastHeapUsedBytes)}, last RSS ${bytesHuman(result.death.lastRssBytes)}.`,
          ),
        ]
      : []),
  );
}

function parametersSection(result: FloodTargetResult): Section {
  const p = result.params;
  return section(
    'Load parameters',
    'parameters',
    facts([
      ['Target', { code: `${p.method} ${p.target}` }],
      ['Rate', `${count(p.rate)} requests/s from ${p.producers} producers, ${p.connections} keep-alive connection(s) each (undici)`],
      // Header values may be credentials: names only.
      ['Headers', p.headers.length === 0 ? null : p.headers.map(([name]) => name).join(', ')],
      ['Body', p.body.from === 'file' ? `file ${p.body.file}` : p.body.from === 'inline' ? 'inline JSON' : 'default timing sample'],
      ['Placeholders', p.body.placeholders.length === 0 ? null : p.body.placeholders.map((name) => `{{${name}}}`).join(', ')],
      [
        'Monitors',
        p.monitor
          ? `${p.clients} ${p.monitor.kind} on ${p.monitor.url}${p.monitor.kind === 'socket.io' ? `, event ${p.monitor.event}` : ''}; ${p.slowClients} reading ${bytesHuman(p.slowReadBytesPerSec)}/s`
          : 'none',
      ],
      ['Duration', duration(p.durationMs / 1000)],
    ]),
    paragraph(
      'Latency and staleness come from the {{now}} timestamp the producers put in each body, found again in what the monitors receive (the first and last 512 characters of a message). The memory trend is fitted per series as ',
      { code: 'imdiag watch' },
      ' fits it; the verdict is the worst series.',
    ),
  );
}
