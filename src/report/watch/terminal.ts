import type { Style } from '../../lib/style.js';
import type { WatchResult } from '../../results/watch.js';
import { duration, megabytes } from '../../lib/format.js';
import { verdictColour } from '../terminal.js';
import { FITTED_ON_SHORT, limitText, seriesLabel, slope, verdictSentence } from './text.js';
import { STOPPED_BY_A_SIGNAL } from '../../lib/stop.js';

const OUTCOME: Record<WatchResult['outcome'], string> = {
  completed: 'watched for the whole --duration',
  'verdict-reached': 'stopped once the verdict settled (--until-verdict)',
  stopped: `stopped early: ${STOPPED_BY_A_SIGNAL}`,
  died: 'the target died',
};

/** `imdiag watch` on a terminal: what was watched, the verdict, one row per series. */
export function renderWatch(result: WatchResult, style: Style): string {
  const lines: string[] = [];
  lines.push(style.bold(`imdiag watch — ${result.target.label} via ${result.target.via}`));
  lines.push(`${duration(result.watchedMs / 1000)}, ${result.samplesTaken} readings every ${result.params.intervalMs} ms; ${OUTCOME[result.outcome]}`);
  lines.push('');
  const verdict = verdictSentence(result);
  lines.push(`Verdict: ${verdictColour(result.analysis.verdict, style)(verdict)}`);
  lines.push('');
  const rows = [
    ['series', 'last heap used', 'slope', 'fitted on', 'verdict', 'limit', 'time to limit'],
    ...result.analysis.series.map((item) => [
      seriesLabel(item),
      megabytes(lastOf(result, item.series)),
      slope(item),
      `${FITTED_ON_SHORT[item.fittedOn]} (${item.trend.samples})`,
      item.trend.verdict,
      limitText(item),
      duration(item.secondsToLimit),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    const text = row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
    lines.push(index === 0 ? style.dim(text) : text);
  }
  lines.push('');
  for (const item of result.analysis.series) lines.push(style.dim(`${item.series}: ${item.trend.reason}`));
  for (const outcome of result.conditions)
    lines.push(`--fail-on ${outcome.condition}: ${outcome.held ? style.red('holds') : 'does not hold'} (${outcome.detail})`);
  for (const note of result.notes) lines.push(style.yellow(`note: ${note}`));
  return `${lines.join('\n')}\n`;
}

function lastOf(result: WatchResult, series: string): number | null {
  const last = result.last;
  if (!last) return null;
  return series === 'heap' ? last.heapUsed : series === 'external' ? last.external : last.rss;
}
