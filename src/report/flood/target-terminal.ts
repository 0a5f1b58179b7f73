import Table from 'cli-table3';
import { bytes, count, duration, latency, mb, ms } from '../../flood/format.js';
import { sparkline } from '../../flood/sparkline.js';
import type { Style } from '../../lib/style.js';
import type { FloodTargetResult } from '../../target/result.js';
import type { SeriesTrend, WatchSample } from '../../watch/result.js';

const MB_BYTES = 1024 * 1024;
const CHART_WIDTH = 60;

/** `imdiag flood --target` as text: load, monitors, memory per series, verdict, --fail-on. */
export function renderFloodTarget(result: FloodTargetResult, style: Style): string {
  const p = result.params;
  const lines: string[] = [];
  lines.push(style.bold(`imdiag flood --target ${p.target} (${result.environment.cpus} CPUs, Node ${result.environment.node})`));
  const monitors = p.monitor ? `${p.clients} ${p.monitor.kind} monitors on ${p.monitor.url}${p.monitor.kind === 'socket.io' ? ` (event '${p.monitor.event}')` : ''}, ${p.slowClients} reading ${bytes(p.slowReadBytesPerSec)}/s` : 'no monitors';
  lines.push(`load: ${count(p.rate)} ${p.method}/s from ${p.producers} producers × ${p.connections} connection(s) for ${ms(p.durationMs)}; ${monitors}`);
  lines.push(`memory: ${result.memory ? `${result.memory.facts.via}, ${result.memory.samples.length} readings` : 'no source'}`);
  lines.push('');
  lines.push(table(result, style));
  const charts = memoryCharts(result.memory?.samples ?? [], style);
  if (charts.length > 0) lines.push('', ...charts);
  lines.push('', `${style.bold('verdict')}: ${verdictText(result, style)} — ${explain(result)}`);
  for (const outcome of result.failOn) lines.push(`--fail-on ${outcome.condition}: ${outcome.held ? style.red('HOLDS') : style.green('does not hold')} (${outcome.detail})`);
  for (const warning of result.warnings) lines.push(style.yellow(`warning: ${warning}`));
  return `${lines.join('\n')}\n`;
}

function table(result: FloodTargetResult, style: Style): string {
  const colour = style.level > 0;
  const out = new Table({ style: { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] } });
  const row = (label: string, value: string) => out.push([label, value]);
  const p = result.producers;
  row('requests ok / scheduled', `${count(p.ok)} / ${count(p.scheduled)} (${count(p.achievedRate)}/s)${p.keptRate ? '' : style.yellow(' rate not kept')}`);
  row('missed / failed / late', `${count(p.missed)} / ${count(p.failed)} / ${count(p.late)}`);
  row('status codes', Object.entries(p.statuses).map(([code, n]) => `${code}: ${count(n)}`).join(', ') || '—');
  if (Object.keys(p.errors).length > 0) row('errors', Object.entries(p.errors).map(([code, n]) => `${code}: ${count(n)}`).join(', '));
  row('latency p50/p95/p99', latency(p.postLatency));
  for (const [name, group] of [['fast', result.monitors?.fast], ['slow', result.monitors?.slow]] as const) {
    if (!group) continue;
    row(`${name} monitors: messages / bytes`, `${count(group.messages)} / ${bytes(group.bytes)} (${group.clients} clients, ${group.disconnected} disconnected)`);
    row(`${name} monitors: delivery p50/p95/p99`, latency(group.deliveryLatency));
    row(`${name} monitors: staleness end / max`, `${ms(group.finalStalenessMs)} / ${ms(group.maxStalenessMs)}`);
  }
  for (const series of result.memory?.analysis.series ?? []) row(`${seriesLabel(series)} trend`, seriesText(series, style));
  return out.toString();
}

export function seriesLabel(series: SeriesTrend): string {
  return series.series === 'heap' ? 'heap used' : series.series === 'external' ? 'external + array buffers' : 'RSS';
}

function seriesText(series: SeriesTrend, style: Style): string {
  const t = series.trend;
  const verdict = t.verdict === 'growing' ? style.red('growing') : t.verdict === 'bounded' ? style.green('bounded') : style.yellow('inconclusive');
  const limit = series.limit && series.secondsToLimit !== null ? `; ${duration(series.secondsToLimit)} to ${mb(series.limit.bytes / MB_BYTES)}` : '';
  return `${verdict} ${t.slopeMBPerSec.toFixed(2)} MB/s, level ${mb(t.steadyLevelMB)} (${series.fittedOn})${limit}`;
}

function memoryCharts(samples: WatchSample[], style: Style): string[] {
  const lines: string[] = [];
  for (const [label, read] of [['heap used', (s: WatchSample) => s.heapUsed], ['external', (s: WatchSample) => s.external], ['RSS', (s: WatchSample) => s.rss]] as const) {
    const values = samples.map(read).filter((v): v is number => v !== null).map((v) => v / MB_BYTES);
    if (values.length < 2) continue;
    lines.push(`  ${label.padEnd(9)} ${sparkline(values, CHART_WIDTH, Math.min(...values), Math.max(...values))} ${mb(values[0]!)} → ${mb(values.at(-1)!)}`);
  }
  return lines.length > 0 ? [style.bold('memory over time'), ...lines] : [];
}

function verdictText(result: FloodTargetResult, style: Style): string {
  if (result.verdict === 'died') return style.red('DIED');
  if (result.verdict === 'growing') return style.red('growing');
  if (result.verdict === 'bounded') return style.green('bounded');
  return style.yellow('inconclusive');
}

/** One sentence: why this verdict, which series, and when the target dies (or died). */
export function explain(result: FloodTargetResult): string {
  const stopped = result.outcome === 'stopped' ? ' (stopped early by Ctrl-C: the figures cover what ran)' : '';
  if (result.death) {
    const heap = result.death.lastHeapUsedBytes === null ? '' : `; last heap reading ${mb(result.death.lastHeapUsedBytes / MB_BYTES)}`;
    return `the target died after ${clock(result.death.afterMs)} (${result.death.detectedBy})${heap}; Spider died after 10–30 min`;
  }
  const memory = result.memory;
  if (!memory) return `no memory source was given${stopped}`;
  const worst = memory.analysis.series.find((series) => series.series === memory.analysis.worstSeries);
  if (!worst) return `no memory readings${stopped}`;
  const when = worst.secondsToLimit !== null ? `; at ${worst.trend.slopeMBPerSec.toFixed(2)} MB/s it reaches ${mb(worst.limit!.bytes / MB_BYTES)} (${worst.limit!.source}) in about ${duration(worst.secondsToLimit)}` : '';
  return `${seriesLabel(worst)} ${worst.trend.verdict}: ${worst.trend.reason} (fitted on ${worst.fittedOn})${when}${stopped}`;
}

/** "3 min 12 s". */
export function clock(msValue: number): string {
  const s = Math.round(msValue / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
