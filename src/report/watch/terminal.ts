import type { Style } from '../../lib/style.js';
import type { WatchResult } from '../../results/watch.js';
import { bytesHuman, decimal, duration, megabytes } from '../../lib/format.js';
import { DEFAULT_LAYOUT, finish, fitTable, verdictColour, verdictLines, type FitColumn, type TerminalLayout } from '../terminal.js';
import { FITTED_ON_SHORT, lastBytes, seriesLabel, verdictSentence } from './text.js';
import { STOPPED_BY_A_SIGNAL } from '../../lib/stop.js';

const OUTCOME: Record<WatchResult['outcome'], string> = {
  completed: 'watched for the whole --duration',
  'verdict-reached': 'stopped once the verdict settled (--until-verdict)',
  stopped: `stopped early: ${STOPPED_BY_A_SIGNAL}`,
  died: 'the target died',
};

/** `imdiag watch` on a terminal: what was watched, the verdict, one row per series. */
export function renderWatch(result: WatchResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const lines: string[] = [];
  lines.push(style.bold(`imdiag watch — ${result.target.label} via ${result.target.via}`));
  lines.push(`${duration(result.watchedMs / 1000)}, ${result.samplesTaken} readings every ${result.params.intervalMs} ms; ${OUTCOME[result.outcome]}`);
  lines.push('');
  const verdict = verdictSentence(result);
  lines.push(...verdictLines(verdict.split('; '), style, layout, verdictColour(result.analysis.verdict, style)));
  lines.push('');
  const rows = result.analysis.series.map((item) => [
    seriesLabel(item),
    megabytes(lastBytes(item, result.last)),
    decimal(item.trend.slopeMBPerSec * 60, 2),
    `${FITTED_ON_SHORT[item.fittedOn]} (${item.trend.samples})`,
    item.trend.verdict,
    item.limit ? bytesHuman(item.limit.bytes) : 'unknown',
    item.limit?.source ?? 'give --heap-limit',
    duration(item.secondsToLimit),
  ]);
  lines.push(...fitTable(style, layout, WATCH_COLUMNS, rows));
  lines.push('');
  for (const item of result.analysis.series)
    lines.push(style.dim(`${seriesLabel(item)}: ${item.trend.reason}${item.basis ? `; fitted on ${item.basis}` : ''}`));
  for (const outcome of result.conditions)
    lines.push(`--fail-on ${outcome.condition}: ${outcome.held ? style.red('holds') : 'does not hold'} (${outcome.detail})`);
  for (const note of result.notes) lines.push(style.yellow(`note: ${note}`));
  return finish(lines, layout);
}

/** One unit a column, named in its heading: the slope in MB per minute, whatever its size. */
const WATCH_COLUMNS: FitColumn[] = [
  { head: 'series' },
  { head: 'last', right: true },
  { head: 'MB/min', right: true },
  { head: 'fitted on (readings)', drop: 1 },
  { head: 'verdict' },
  { head: 'limit', right: true, drop: 3 },
  { head: 'limit from', drop: 2, wrap: true },
  { head: 'to limit', right: true },
];
