import type { FloodResult } from '../../results/flood.js';
import { count, decimal, duration, NO_VALUE } from '../../lib/format.js';
import { paragraph, right, section, table, type Block, type Section } from '../model.js';
import { fittedOn, runFate } from './fate.js';

/** What became of each strategy's run: its memory, its trend, and the servers that died. */

/** A figure the run keeps in MB. */
export const mb = (value: number) => `${decimal(value, 1)} MB`;

export function strategiesSection(result: FloodResult): Section {
  const rows = result.runs.map((run) => [
    run.strategy,
    run.outcome === 'completed' ? run.verdict : `${run.verdict} (${run.outcome})`,
    `${decimal(run.trend.slopeMBPerSec, 3)} MB/s`,
    `${mb(run.heap.firstMB)} → ${mb(run.heap.maxMB)} → ${mb(run.heap.lastMB)}`,
    run.projection?.secondsToLimit == null ? NO_VALUE : `~${duration(run.projection.secondsToLimit)}`,
    mb(run.bufferedMaxMB),
    count(run.server.pushesSent),
    count(run.server.pushesSkipped),
  ]);
  return section(
    'Strategies',
    'strategies',
    table(
      [
        'strategy',
        'memory',
        right('heap slope'),
        right('heap first → max → last'),
        right('to heap limit'),
        right('max bufferedAmount'),
        right('pushes'),
        right('skipped'),
      ],
      rows,
      'Spider ran out of memory after 10–30 minutes. bufferedAmount: bytes queued in the server for all monitors and not yet sent.',
    ),
    { kind: 'list', items: result.runs.map((run) => [{ strong: run.strategy }, ` (${run.description}): ${runFate(run)}.`]) },
  );
}

export function trendSection(result: FloodResult): Section {
  const rows = result.runs.map(({ strategy, trend }) => [
    strategy,
    `${trend.verdict} (${fittedOn(trend)})`,
    `${count(trend.samples)} (${duration(trend.fromMs / 1000)}–${duration(trend.toMs / 1000)})`,
    `${decimal(trend.slopeMBPerSec, 3)} [${decimal(trend.slopeCi95MBPerSec[0], 3)}, ${decimal(trend.slopeCi95MBPerSec[1], 3)}]`,
    decimal(trend.rSquared, 3),
    mb(trend.steadyLevelMB),
    `${decimal(trend.maxDeviationPct, 1)} %`,
    trend.floorLevelMB > 0 ? `${mb(trend.floorLevelMB)} ± ${decimal(trend.floorMaxDeviationPct, 1)} %` : NO_VALUE,
  ]);
  return section(
    'Memory trend',
    'trend',
    table(
      [
        'strategy',
        'verdict',
        right('samples fitted'),
        right('slope MB/s [95 % CI]'),
        right('r²'),
        right('steady level'),
        right('max deviation'),
        right('heap floor'),
      ],
      rows,
      'Least-squares line through heap used over time, warm-up excluded; deviation from the steady level (the median) in % of it. Heap floor: the lowest sample of each second, what stays live after young collections.',
    ),
    { kind: 'list', items: result.runs.map(({ strategy, trend }) => [{ strong: strategy }, `: ${trend.reason}`]) },
  );
}

export function deathsSection(result: FloodResult): Section | undefined {
  const blocks: Block[] = [];
  for (const run of result.runs) {
    if (run.outcome !== 'died' && run.outcome !== 'error') continue;
    const exit = run.exit;
    blocks.push(
      paragraph(
        { strong: run.strategy },
        `: ${run.outcome === 'died' ? 'the server died' : 'could not run'}${exit ? ` (exit code ${exit.code ?? NO_VALUE}, signal ${exit.signal ?? NO_VALUE})` : ''}${run.error ? `: ${run.error}` : ''}.`,
      ),
    );
    if (exit?.stderrTail) blocks.push({ kind: 'code', language: 'text', text: exit.stderrTail });
  }
  return blocks.length === 0 ? undefined : section('Servers that died', 'deaths', ...blocks);
}
