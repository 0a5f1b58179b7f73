import type { Style } from '../../lib/style.js';
import type { WatchResult } from '../../results/watch.js';
import { duration } from '../../lib/format.js';
import { verdictColour } from '../terminal.js';
import { FITTED_ON_SHORT, lastFigure, limitText, seriesLabel, slope, verdictSentence } from './text.js';

const OUTCOME: Record<WatchResult['outcome'], string> = {
  completed: 'watched for the whole --duration',
  'verdict-reached': 'stopped once the verdict settled (--until-verdict)',
  stopped: 'stopped early (Ctrl-C)',
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
    ['series', 'last reading', 'slope', 'fitted on', 'verdict', 'limit', 'time to limit'],
    ...result.analysis.series.map((item) => [
      seriesLabel(item),
      lastFigure(item, result.last),
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
  for (const item of result.analysis.series)
    lines.push(style.dim(`${seriesLabel(item)}: ${item.trend.reason}${item.basis ? `; fitted on ${item.basis}` : ''}`));
  for (const outcome of result.conditions)
    lines.push(`--fail-on ${outcome.condition}: ${outcome.held ? style.red('holds') : 'does not hold'} (${outcome.detail})`);
  for (const note of result.notes) lines.push(style.yellow(`note: ${note}`));
  return `${lines.join('\n')}\n`;
}
