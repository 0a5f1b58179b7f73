import type { FloodResult, LatencySummary, MonitorGroupSummary, StrategyRun, TrendFit } from '../../results/flood.js';
import { bytesHuman, count, decimal, duration, milliseconds, NO_VALUE } from '../../lib/format.js';
import { paragraph, table, type Block, type Section } from '../model.js';

/** "growing 1.9 MB/s, heap limit (4,144 MB) in ~36 min" — the one-line fate of a run. */
export function runFate(run: StrategyRun): string {
  const trend = run.trend;
  if (run.outcome === 'error') return `could not run: ${run.error ?? 'unknown error'}`;
  if (run.verdict === 'died') return `server died after ${duration(run.durationMs / 1000)} (heap ${decimal(run.heap.lastMB, 0)} MB at the last sample)`;
  if (run.verdict === 'bounded') {
    const level = heldLevel(trend);
    return `bounded: ${level.what} near ${decimal(level.mb, 1)} MB (within ±${decimal(level.deviationPct, 0)} %), slope ${decimal(trend.slopeMBPerSec, 2)} MB/s`;
  }
  if (run.verdict === 'inconclusive') return `inconclusive: ${trend.reason}`;
  const toLimit = run.projection?.secondsToLimit;
  const limit = run.projection ? `the ${count(run.projection.heapLimitMB)} MB heap limit` : 'the heap limit';
  return `growing ${decimal(trend.slopeMBPerSec, 2)} MB/s (r² ${decimal(trend.rSquared, 2)})${toLimit === null || toLimit === undefined ? '' : `, reaches ${limit} in ~${duration(toLimit)}`}`;
}

/**
 * What stays live, which is what "bounded" is about: the samples taken right after a full GC when
 * the fit used them (metric liveHeap), else the heap floor (lowest sample of each second), else
 * the median of all samples. Raw samples swing with the GC sawtooth.
 */
export function heldLevel(trend: TrendFit): { what: string; mb: number; deviationPct: number } {
  if ((trend.metric as string) === 'liveHeap') return { what: 'live heap', mb: trend.steadyLevelMB, deviationPct: trend.maxDeviationPct };
  if (trend.floorLevelMB > 0) return { what: 'heap floor', mb: trend.floorLevelMB, deviationPct: trend.floorMaxDeviationPct };
  return { what: 'heap', mb: trend.steadyLevelMB, deviationPct: trend.maxDeviationPct };
}

const right = (title: string) => ({ title, align: 'right' as const });
const mb = (value: number) => `${decimal(value, 1)} MB`;

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
  return {
    title: 'Strategies',
    id: 'strategies',
    blocks: [
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
    ],
  };
}

export function trendSection(result: FloodResult): Section {
  const rows = result.runs.map(({ strategy, trend }) => [
    strategy,
    `${trend.verdict} (${(trend.metric as string) === 'liveHeap' ? 'live heap' : 'all samples'})`,
    `${count(trend.samples)} (${duration(trend.fromMs / 1000)}–${duration(trend.toMs / 1000)})`,
    `${decimal(trend.slopeMBPerSec, 3)} [${decimal(trend.slopeCi95MBPerSec[0], 3)}, ${decimal(trend.slopeCi95MBPerSec[1], 3)}]`,
    decimal(trend.rSquared, 3),
    mb(trend.steadyLevelMB),
    `${decimal(trend.maxDeviationPct, 1)} %`,
    trend.floorLevelMB > 0 ? `${mb(trend.floorLevelMB)} ± ${decimal(trend.floorMaxDeviationPct, 1)} %` : NO_VALUE,
  ]);
  return {
    title: 'Memory trend',
    id: 'trend',
    blocks: [
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
    ],
  };
}

export function serverSection(result: FloodResult): Section {
  const rows = result.runs.map(({ strategy, server, rssMaxMB }) => [
    strategy,
    count(server.postsReceived),
    count(server.pushesSent),
    bytesHuman(server.pushBytes),
    bytesHuman(server.meanPushBytes),
    count(server.pushesSkipped),
    milliseconds(server.eventLoopDelayMaxMs),
    mb(rssMaxMB),
  ]);
  const limits = [
    ...new Set(result.runs.map((run) => (run.server.heapLimitBytes === null ? null : bytesHuman(run.server.heapLimitBytes))).filter((limit) => limit !== null)),
  ];
  return {
    title: 'Server',
    id: 'server',
    blocks: [
      table(
        [
          'strategy',
          right('POSTs received'),
          right('pushes sent'),
          right('push bytes'),
          right('mean push'),
          right('pushes skipped'),
          right('max event-loop delay'),
          right('max RSS'),
        ],
        rows,
        limits.length > 0 ? `Heap limit of the server process: ${limits.join(', ')}.` : undefined,
      ),
    ],
  };
}

function latency(summary: LatencySummary | null): string {
  return summary ? `${milliseconds(summary.p50Ms)} / ${milliseconds(summary.p95Ms)} / ${milliseconds(summary.p99Ms)}` : NO_VALUE;
}

export function producersSection(result: FloodResult): Section {
  const rows = result.runs.map(({ strategy, producers: p }) => [
    strategy,
    `${decimal(p.achievedRate, 0)} / ${count(p.askedRate)}`,
    p.keptRate ? 'yes' : 'NO',
    count(p.scheduled),
    count(p.failed),
    count(p.missed),
    count(p.late),
    latency(p.postLatency),
  ]);
  return {
    title: 'Producers',
    id: 'producers',
    blocks: [
      table(
        [
          'strategy',
          right('POSTs/s achieved / asked'),
          'kept rate',
          right('scheduled'),
          right('failed'),
          right('missed'),
          right('late'),
          right('POST latency p50 / p95 / p99'),
        ],
        rows,
        'A fixed-rate schedule that does not slow down when the server does. Missed: no free connection at the scheduled time; late: started more than the threshold after it.',
      ),
    ],
  };
}

export function monitorsSection(result: FloodResult): Section {
  const rows: string[][] = [];
  const group = (strategy: string, name: string, g: MonitorGroupSummary) =>
    rows.push([
      strategy,
      `${name} (${g.clients}${g.disconnected > 0 ? `, ${g.disconnected} lost` : ''})`,
      count(g.messages),
      bytesHuman(g.bytes),
      latency(g.deliveryLatency),
      `${milliseconds(g.finalStalenessMs)} / ${milliseconds(g.maxStalenessMs)}`,
    ]);
  for (const run of result.runs) {
    group(run.strategy, 'fast', run.monitors.fast);
    if (run.monitors.slow) group(run.strategy, 'slow', run.monitors.slow);
  }
  return {
    title: 'Monitors',
    id: 'monitors',
    blocks: [
      table(
        ['strategy', 'monitors', right('messages'), right('bytes'), right('delivery p50 / p95 / p99'), right('staleness at end / worst')],
        rows,
        'Delivery: from the producer timestamp of the newest data in a push to its receipt. Staleness: the age of the newest data the worst monitor of the group holds.',
      ),
    ],
  };
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
  return blocks.length === 0 ? undefined : { title: 'Servers that died', id: 'deaths', blocks };
}
