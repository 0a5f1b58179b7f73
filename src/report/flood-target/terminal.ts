import { sparkline } from '../flood/sparkline.js';
import { bytesHuman, count, duration, megabytes, milliseconds, NO_VALUE } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import type { FloodTargetResult } from '../../results/flood-target.js';
import { latencyText } from '../latency.js';
import { leakLines } from './leak.js';
import { borderedTable, DEFAULT_LAYOUT, finish, verdictColour, type TerminalLayout } from '../terminal.js';
import type { SeriesTrend, WatchSample } from '../../results/watch.js';
import { FITTED_ON, FITTED_ON_SHORT, limitText, slope } from '../watch/text.js';

const CHART_WIDTH = 60;

/** `imdiag flood --target` as text: load, monitors, memory per series, verdict, --fail-on. */
export function renderFloodTarget(result: FloodTargetResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const lines: string[] = [];
  lines.push(style.bold(`imdiag flood --target ${result.params.target} (${result.environment.cpus} CPUs, Node ${result.environment.node})`));
  lines.push(loadLine(result));
  lines.push(`memory: ${result.memory ? `${result.memory.facts.via}, ${count(result.memory.samples.length)} readings` : 'no source'}`);
  lines.push('', table(result, style, layout));
  const charts = memoryCharts(result.memory?.samples ?? [], style);
  if (charts.length > 0) lines.push('', ...charts);
  lines.push('', `${style.bold('verdict')}: ${verdictText(result, style)} — ${explain(result)}`);
  if (result.leak) lines.push('', ...leakLines(result.leak, style));
  if (result.outcome === 'stopped') lines.push(style.yellow('stopped early (Ctrl-C): the figures cover what ran'));
  for (const outcome of result.failOn)
    lines.push(`--fail-on ${outcome.condition}: ${outcome.held ? style.red('HOLDS') : style.green('does not hold')} (${outcome.detail})`);
  for (const warning of result.warnings.filter((text) => !/^stopped early/.test(text))) lines.push(style.yellow(`warning: ${warning}`));
  return finish(lines, layout);
}

export function loadLine(result: FloodTargetResult): string {
  const p = result.params;
  const monitors = p.monitor
    ? `${p.clients} ${p.monitor.kind} monitors on ${p.monitor.url}${p.monitor.kind === 'socket.io' ? ` (event '${p.monitor.event}')` : ''}, ${p.slowClients} reading ${bytesHuman(p.slowReadBytesPerSec)}/s`
    : 'no monitors';
  return `load: ${count(p.rate)} ${p.method}/s from ${p.producers} producers × ${p.connections} keep-alive connection(s) for ${duration(p.durationMs / 1000)}; ${monitors}`;
}

/** The rows both the terminal table and the report's table show. */
export function figureRows(result: FloodTargetResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const p = result.producers;
  rows.push(['requests ok / scheduled', `${count(p.ok)} / ${count(p.scheduled)} (${count(p.achievedRate)}/s)${p.keptRate ? '' : ', rate not kept'}`]);
  rows.push(['missed / failed / late', `${count(p.missed)} / ${count(p.failed)} / ${count(p.late)}`]);
  rows.push([
    'status codes',
    Object.entries(p.statuses)
      .map(([code, n]) => `${code}: ${count(n)}`)
      .join(', ') || NO_VALUE,
  ]);
  if (Object.keys(p.errors).length > 0)
    rows.push([
      'errors',
      Object.entries(p.errors)
        .map(([code, n]) => `${code}: ${count(n)}`)
        .join(', '),
    ]);
  rows.push(['request latency p50 / p95 / p99', latencyText(p.postLatency)]);
  for (const [name, group] of [
    ['fast', result.monitors?.fast],
    ['slow', result.monitors?.slow],
  ] as const) {
    if (!group) continue;
    rows.push([
      `${name} monitors: messages / bytes`,
      `${count(group.messages)} / ${bytesHuman(group.bytes)} (${clients(group.clients)}, ${count(group.disconnected)} disconnected)`,
    ]);
    rows.push([`${name} monitors: delivery p50 / p95 / p99`, latencyText(group.deliveryLatency)]);
    rows.push([`${name} monitors: staleness end / max`, `${milliseconds(group.finalStalenessMs)} / ${milliseconds(group.maxStalenessMs)}`]);
  }
  for (const series of result.memory?.analysis.series ?? []) rows.push([`${seriesLabel(series)} trend`, seriesText(series)]);
  return rows;
}

function table(result: FloodTargetResult, style: Style, layout: TerminalLayout): string {
  const rows = figureRows(result);
  const label = Math.max(...rows.map(([name]) => name.length)) + 2;
  const value = Math.max(...rows.map(([, text]) => text.length)) + 2;
  // Label and value: the value wraps when the pair is wider than the terminal.
  const out = borderedTable(style, undefined, layout.wide || label + value + 3 <= layout.width ? undefined : [label, Math.max(20, layout.width - label - 3)]);
  for (const row of rows) out.push(row);
  return out.toString();
}

export function seriesLabel(series: SeriesTrend): string {
  if (series.series === 'heap') {
    if (series.measure === 'old-generation-and-survivors') return 'heap (old gen + survivors)';
    if (series.measure === 'old-and-young-generation') return 'heap (old + young gen)';
    return series.measure === 'old-generation' ? 'heap (old generation)' : 'heap used';
  }
  return series.series === 'external' ? 'external + array buffers' : 'RSS';
}

function seriesText(series: SeriesTrend): string {
  const when = series.secondsToLimit !== null ? `; ${duration(series.secondsToLimit)} to ${limitText(series)}` : '';
  return `${series.trend.verdict} ${slope(series)}, level ${megabytes(series.trend.steadyLevelMB * 2 ** 20)} (${FITTED_ON_SHORT[series.fittedOn]})${when}`;
}

function memoryCharts(samples: WatchSample[], style: Style): string[] {
  const lines: string[] = [];
  const readers = [
    ['heap used', (s: WatchSample) => s.heapUsed],
    ['external', (s: WatchSample) => s.external],
    ['RSS', (s: WatchSample) => s.rss],
  ] as const;
  for (const [label, read] of readers) {
    const values = samples.map(read).filter((v): v is number => v !== null);
    if (values.length < 2) continue;
    lines.push(
      `  ${label.padEnd(9)} ${sparkline(values, CHART_WIDTH, Math.min(...values), Math.max(...values))} ${megabytes(values[0]!)} → ${megabytes(values.at(-1)!)}`,
    );
  }
  return lines.length > 0 ? [style.bold('memory over time'), ...lines] : [];
}

function verdictText(result: FloodTargetResult, style: Style): string {
  return verdictColour(result.verdict, style)(result.verdict === 'died' ? 'DIED' : result.verdict);
}

/** One sentence: why this verdict, which series, and when the target dies (or died). */
export function explain(result: FloodTargetResult): string {
  // A stop by Ctrl-C is said once, on its own line under the verdict.
  const stopped = '';
  if (result.death) {
    const heap = result.death.lastHeapUsedBytes === null ? '' : `; last heap reading ${megabytes(result.death.lastHeapUsedBytes)}`;
    return `the target died after ${clock(result.death.afterMs)} (${result.death.detectedBy})${heap}; Spider died after 10–30 min`;
  }
  const memory = result.memory;
  if (!memory) return `no memory source was given${stopped}`;
  const worst = memory.analysis.series.find((series) => series.series === memory.analysis.worstSeries);
  if (!worst) return `no memory readings${stopped}`;
  const when = worst.secondsToLimit !== null ? `; at ${slope(worst)} it reaches ${limitText(worst)} in about ${duration(worst.secondsToLimit)}` : '';
  return `${seriesLabel(worst)} ${worst.trend.verdict}: ${worst.trend.reason} (fitted on ${FITTED_ON[worst.fittedOn]})${when}${stopped}`;
}

/** "3 min 12 s". */
export function clock(msValue: number): string {
  const s = Math.round(msValue / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "1 client", "20 clients". */
export function clients(n: number): string {
  return `${count(n)} ${n === 1 ? 'client' : 'clients'}`;
}
