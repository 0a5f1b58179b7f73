import type { FloodResult, MonitorGroupSummary } from '../../results/flood.js';
import { bytesHuman, count, decimal, milliseconds } from '../../lib/format.js';
import { latencyText } from '../latency.js';
import { right, section, table, type Section } from '../model.js';
import { mb } from './details.js';

/** The load side of a flood run, per strategy: what the server counted, what the producers sent, what the monitors received. */

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
  return section(
    'Server',
    'server',
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
  );
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
    latencyText(p.postLatency),
  ]);
  return section(
    'Producers',
    'producers',
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
  );
}

export function monitorsSection(result: FloodResult): Section {
  const rows: string[][] = [];
  const group = (strategy: string, name: string, g: MonitorGroupSummary) =>
    rows.push([
      strategy,
      `${name} (${g.clients}${g.disconnected > 0 ? `, ${g.disconnected} lost` : ''})`,
      count(g.messages),
      bytesHuman(g.bytes),
      latencyText(g.deliveryLatency),
      `${milliseconds(g.finalStalenessMs)} / ${milliseconds(g.maxStalenessMs)}`,
    ]);
  for (const run of result.runs) {
    group(run.strategy, 'fast', run.monitors.fast);
    if (run.monitors.slow) group(run.strategy, 'slow', run.monitors.slow);
  }
  return section(
    'Monitors',
    'monitors',
    table(
      ['strategy', 'monitors', right('messages'), right('bytes'), right('delivery p50 / p95 / p99'), right('staleness at end / worst')],
      rows,
      'Delivery: from the producer timestamp of the newest data in a push to its receipt. Staleness: the age of the newest data the worst monitor of the group holds.',
    ),
  );
}
