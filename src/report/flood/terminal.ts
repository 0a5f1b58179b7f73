import type { Style } from '../../lib/style.js';
import { bytesHuman, count, decimal, duration, megabytes, milliseconds, NO_VALUE } from '../../lib/format.js';
import type { FloodResult, StrategyRun } from '../../results/flood.js';
import { metricLabel } from '../../results/memory.js';
import { latencyText } from '../latency.js';
import { borderedTable, DEFAULT_LAYOUT, finish, verdictColour, visibleLength, type TerminalLayout } from '../terminal.js';
import { fittedOn } from './fate.js';
import { sparkline } from './sparkline.js';

const CHART_WIDTH = 60;
const MB_BYTES = 1024 * 1024;

/** Figures this run keeps in MB. */
const mb = (valueMB: number) => megabytes(valueMB * MB_BYTES);

/** `imdiag flood` as text: the load, strategies side by side, memory charts, verdicts, warnings. */
export function renderFlood(result: FloodResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const p = result.params;
  const lines: string[] = [];
  lines.push(style.bold(`imdiag flood — Spider's push flood on loopback (${result.environment.cpus} CPUs, Node ${result.environment.node})`));
  lines.push(
    `load: ${count(p.rate)} POST/s from ${p.producers} producers, ${bytesHuman(p.payloadBytes)} each; ${p.clients} monitors, ${p.slowClients} reading ${bytesHuman(p.slowReadBytesPerSec)}/s; ` +
      `${milliseconds(p.durationMs)} per strategy; interval ${milliseconds(p.intervalMs)}; high-water ${bytesHuman(p.highWaterBytes)}; ${heapCapText(result)}`,
  );
  lines.push('');
  lines.push(...tables(result.runs, style, layout));
  lines.push('');
  lines.push(...charts(result.runs, style));
  lines.push('');
  for (const run of result.runs) lines.push(`${style.bold(run.strategy)}: ${verdictText(run, style)} — ${explain(run)}`);
  if (result.stoppedEarly) lines.push(style.yellow('stopped early (by a signal): the figures cover what ran'));
  for (const warning of result.warnings) lines.push(style.yellow(`warning: ${warning}`));
  return finish(lines, layout);
}

/**
 * --max-old-space-size caps V8's old space only; V8's heap limit (heap_size_limit, what the server
 * can reach before OOM) adds the young generation (three semi-spaces; its size depends on the Node version, docs/node-versions.md).
 */
export function heapCapText(result: FloodResult): string {
  const cap = result.params.maxOldSpaceSizeMB;
  const limitBytes = result.runs.find((run) => run.server.heapLimitBytes !== null)?.server.heapLimitBytes ?? null;
  const limit = limitBytes === null ? null : limitBytes / MB_BYTES;
  if (cap === null) return limit === null ? 'heap cap: Node default' : `heap limit ${mb(limit)} (Node default)`;
  if (limit === null) return `heap cap --max-old-space-size=${cap} (not applied: no server ran)`;
  const young = limit - cap;
  return `heap cap --max-old-space-size=${cap}: V8 applied a ${mb(limit)} heap limit (${cap} MB old space${young > 0 ? ` + ${mb(young)} young generation` : ''})`;
}

/** The strategies side by side; when they do not fit the terminal, fewer at a time, each table with the row labels (--wide: all in one). */
function tables(runs: StrategyRun[], style: Style, layout: TerminalLayout): string[] {
  for (let perTable = runs.length; perTable > 1 && !layout.wide; perTable--) {
    const chunks = Array.from({ length: Math.ceil(runs.length / perTable) }, (_, index) => runs.slice(index * perTable, (index + 1) * perTable));
    const texts = chunks.map((chunk) => table(chunk, style));
    if (texts.every((text) => text.split('\n').every((line) => visibleLength(line) <= layout.width))) return texts;
  }
  return layout.wide ? [table(runs, style)] : runs.map((run) => table([run], style));
}

function table(runs: StrategyRun[], style: Style): string {
  const out = borderedTable(style, ['', ...runs.map((run) => run.strategy)]);
  const row = (label: string, cell: (run: StrategyRun) => string) => out.push([label, ...runs.map(cell)]);
  row('verdict', (run) => verdictText(run, style));
  row(
    'POST/s achieved / asked',
    (run) => `${count(run.producers.achievedRate)} / ${count(run.producers.askedRate)}${run.producers.keptRate ? '' : style.yellow(' (not kept)')}`,
  );
  row('POSTs missed / failed / late', (run) => `${count(run.producers.missed)} / ${count(run.producers.failed)} / ${count(run.producers.late)}`);
  row('POST latency p50/p95/p99', (run) => latencyText(run.producers.postLatency));
  row('pushes sent / skipped', (run) => `${count(run.server.pushesSent)} / ${count(run.server.pushesSkipped)}`);
  row('push size (mean)', (run) => bytesHuman(run.server.meanPushBytes));
  row('heap first → last', (run) => `${mb(run.heap.firstMB)} → ${mb(run.heap.lastMB)}`);
  row('heap min – max', (run) => `${mb(run.heap.minMB)} – ${mb(run.heap.maxMB)}`);
  row('heap slope (95% CI)', (run) => `${decimal(run.trend.slopeMBPerSec)} MB/s (${run.trend.slopeCi95MBPerSec.map((v) => decimal(v)).join('…')})`);
  row('R² (fitted on)', (run) => `${decimal(run.trend.rSquared)} (${fittedOn(run.trend)})`);
  row('level (verdict) / max dev', (run) => `${mb(run.trend.steadyLevelMB)} ${metricLabel(run.trend.metric)} / ±${decimal(run.trend.maxDeviationPct, 0)}%`);
  row('heap floor / max dev', (run) => `${mb(run.trend.floorLevelMB)} / ±${decimal(run.trend.floorMaxDeviationPct, 0)}%`);
  row('time to heap limit', (run) => projection(run));
  row('RSS max', (run) => mb(run.rssMaxMB));
  row('bufferedAmount max (sum)', (run) => mb(run.bufferedMaxMB));
  row('event-loop delay max', (run) => milliseconds(run.server.eventLoopDelayMaxMs));
  row('fast monitors: delivery p50/p95/p99', (run) => latencyText(run.monitors.fast.deliveryLatency));
  row('slow monitors: delivery p50/p95/p99', (run) => latencyText(run.monitors.slow?.deliveryLatency ?? null));
  row(
    'staleness at end fast / slow',
    (run) => `${milliseconds(run.monitors.fast.finalStalenessMs)} / ${milliseconds(run.monitors.slow?.finalStalenessMs ?? null)}`,
  );
  return out.toString();
}

function charts(runs: StrategyRun[], style: Style): string[] {
  const withSamples = runs.filter((run) => run.samples.length > 0);
  if (withSamples.length === 0) return [];
  const heap = (run: StrategyRun) => run.samples.map((sample) => sample.heapUsedBytes / MB_BYTES);
  const buffered = (run: StrategyRun) => run.samples.map((sample) => sample.bufferedSumBytes / MB_BYTES);
  const lines: string[] = [];
  const width = Math.max(...withSamples.map((run) => run.strategy.length));
  for (const [title, series] of [
    ['heap used over time', heap],
    ['bufferedAmount (sum over monitors) over time', buffered],
  ] as const) {
    const all = withSamples.flatMap(series);
    const min = title.startsWith('heap') ? Math.min(...all) : 0;
    const max = Math.max(...all);
    lines.push(style.bold(`${title} (one scale: ${mb(min)} – ${mb(max)})`));
    for (const run of withSamples) {
      const values = series(run);
      lines.push(`  ${run.strategy.padEnd(width)} ${sparkline(values, CHART_WIDTH, min, max)} ${mb(values.at(-1) ?? 0)}`);
    }
  }
  return lines;
}

function verdictText(run: StrategyRun, style: Style): string {
  if (run.outcome === 'error') return style.red('could not run');
  return verdictColour(run.verdict, style)(run.verdict === 'died' ? 'DIED' : run.verdict);
}

function projection(run: StrategyRun): string {
  if (run.outcome === 'died') return `died after ${milliseconds(run.durationMs)}`;
  const pr = run.projection;
  if (!pr) return NO_VALUE;
  if (pr.secondsToLimit === null) return `${NO_VALUE} (limit ${mb(pr.heapLimitMB)})`;
  return `${duration(pr.secondsToLimit)} to ${mb(pr.heapLimitMB)}`;
}

/** A native stack frame (` 7: 0x10a… node::…`), a JS frame or a line of V8's GC trace: detail, not a cause. */
export function isV8Trace(line: string): boolean {
  return (
    /^\s*\d+: 0x[0-9a-f]+/i.test(line) ||
    /^\s*<---.*--->\s*$/.test(line) ||
    /^\s*\[\d+:0x[0-9a-f]+\]/i.test(line) ||
    /^\s*at .+\(.*\)\s*$/.test(line) ||
    /^\s*=+\s*$/.test(line)
  );
}

function explain(run: StrategyRun): string {
  if (run.outcome === 'error') return run.error ?? 'could not run';
  if (run.outcome === 'died') {
    const how = `${run.exit?.oom ? 'out of memory, ' : ''}${run.exit?.signal ?? `exit code ${run.exit?.code}`}`;
    const lines = run.exit?.stderrTail.split('\n').filter(Boolean) ?? [];
    // The most telling line of V8's report; the OOM itself was recognised by the engine (exit.oom).
    // Stack frames and GC traces stay in the JSON and the report's details, not in the table.
    const tail = lines.find((line) => /FATAL ERROR/.test(line)) ?? lines.filter((line) => !isV8Trace(line)).at(-1);
    return `the server died after ${milliseconds(run.durationMs)} (${how})${tail ? `: ${tail}` : ''}; Spider died after 10–30 min`;
  }
  const pr = run.projection;
  if (run.verdict === 'growing' && pr?.secondsToLimit != null) {
    return `${run.trend.reason}; at ${decimal(run.trend.slopeMBPerSec)} MB/s the heap reaches its ${mb(pr.heapLimitMB)} limit in about ${duration(pr.secondsToLimit)} (Spider: 10–30 min)`;
  }
  return run.trend.reason;
}
