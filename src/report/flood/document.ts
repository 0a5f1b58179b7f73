import type { FloodResult } from '../../results/flood.js';
import { count, duration, milliseconds } from '../../lib/format.js';
import { facts, paragraph, present, section, type Inline, type ReportDoc, type Section } from '../model.js';
import { warningsSection } from '../sections.js';
import { floodCharts } from './charts.js';
import { heapCapText } from './terminal.js';
import { deathsSection, strategiesSection, trendSection } from './details.js';
import { runFate } from './fate.js';
import { monitorsSection, producersSection, serverSection } from './load-sections.js';

export function floodDoc(result: FloodResult): ReportDoc {
  const names = result.runs.map((run) => run.strategy).join(', ');
  return {
    title: `imdiag flood: ${count(result.params.rate)} POSTs/s against ${names}`,
    verdict: floodVerdict(result),
    sections: present([
      strategiesSection(result),
      floodCharts(result),
      trendSection(result),
      serverSection(result),
      producersSection(result),
      monitorsSection(result),
      deathsSection(result),
      warningsSection(result.warnings),
      parametersSection(result),
    ]),
  };
}

function floodVerdict(result: FloodResult): Inline[] {
  const p = result.params;
  const parts: Inline[] = [];
  result.runs.forEach((run, index) => {
    parts.push(index === 0 ? '' : '; ', { strong: run.strategy }, `: ${runFate(run)}`);
  });
  parts.push('. ');
  const growing = result.runs.filter((run) => run.verdict === 'growing' && run.projection?.secondsToLimit != null);
  if (growing.length > 0) {
    const fastest = growing.reduce((a, b) => (a.projection!.secondsToLimit! <= b.projection!.secondsToLimit! ? a : b));
    parts.push(`Spider ran out of memory after 10–30 minutes; ${fastest.strategy} here would in about ${duration(fastest.projection!.secondsToLimit!)}. `);
  }
  parts.push(
    `Load: ${count(p.rate)} POSTs/s of ${count(p.payloadBytes)} bytes from ${p.producers} producer${p.producers === 1 ? '' : 's'}, pushed to ${p.clients} monitor${p.clients === 1 ? '' : 's'}`,
    p.slowClients > 0 ? ` (${p.slowClients} reading only ${count(p.slowReadBytesPerSec)} bytes/s)` : '',
    `, ${duration(p.durationMs / 1000)} per strategy.`,
  );
  if (result.stoppedEarly) parts.push(' ', { strong: 'Stopped early by a signal: the figures cover what ran.' });
  return parts;
}

function parametersSection(result: FloodResult): Section {
  const p = result.params;
  return section(
    'Load parameters',
    'parameters',
    facts([
      ['Rate', `${count(p.rate)} POSTs/s in total, from ${p.producers} producer${p.producers === 1 ? '' : 's'}`],
      ['Payload', `${count(p.payloadBytes)} bytes per POST`],
      ['Monitors', `${p.clients} WebSocket client${p.clients === 1 ? '' : 's'}, ${p.slowClients} of them slow`],
      ['Slow monitors read', `${count(p.slowReadBytesPerSec)} bytes/s`],
      ['Duration', `${duration(p.durationMs / 1000)} per strategy`],
      ['Strategies', p.strategies.join(', ')],
      ['interval strategy pushes every', milliseconds(p.intervalMs)],
      ['backpressure high-water mark', `${count(p.highWaterBytes)} bytes`],
      ['Server heap cap', heapCapText(result)],
      ['Window kept by the server', duration(p.windowMs / 1000)],
      ['Points per push', count(p.chartPoints)],
    ]),
    paragraph(
      'Each strategy runs in a fresh server process on loopback; memory is sampled inside the server several times a second. A run is ',
      { strong: 'growing' },
      ' when the least-squares line through heap used (warm-up excluded) rises with its 95 % confidence interval above zero and by more than 20 % of its steady level over the run; otherwise it is ',
      { strong: 'bounded' },
      '. Each run’s reason in the memory trend section says which test decided.',
    ),
  );
}
