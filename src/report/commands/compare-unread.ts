import type { CompareUnreadResult, StrategyOutcome } from '../../unread/result.js';
import { count, duration, megabytes, milliseconds, ratio } from '../format.js';
import { facts, paragraph, table, type Inline, type ReportDoc, type Section } from '../model.js';
import { unreadCharts } from './compare-unread-charts.js';
import { agreementSection, deathsSection, serverWorkSection, snapshotsSection, bloomSection, notesSection } from './compare-unread-details.js';

export function compareUnreadDoc(result: CompareUnreadResult): ReportDoc {
  const sections: Array<Section | undefined> = [
    strategiesSection(result),
    unreadCharts(result),
    serverWorkSection(result),
    agreementSection(result),
    bloomSection(result),
    deathsSection(result),
    snapshotsSection(result),
    notesSection(result),
    parametersSection(result),
  ];
  return {
    title: `imdiag compare-unread: unread query for ${result.options.user}`,
    verdict: unreadVerdict(result),
    sections: sections.filter((section): section is Section => section !== undefined),
  };
}

function unreadVerdict(result: CompareUnreadResult): Inline[] {
  const { options, dataset, agreement } = result;
  const measured = result.strategies.filter((strategy) => strategy.measurement).length;
  const parts: Inline[] = [{ strong: result.verdict.text.replace(/\.?$/, '.') }, ' '];
  parts.push(
    `Measured for user `,
    { code: options.user },
    ` (${count(dataset.user.messagesReceived)} messages received, ${count(dataset.user.receipts)} read receipts, ${count(dataset.user.receiptsInWindow)} of them in the last ${options.windowMonths} months): `,
    `${measured} of ${result.strategies.length} strategies measured, each in its own process, ${options.runs} run${options.runs === 1 ? '' : 's'} after ${options.warmupRuns} warm-up`,
    options.maxOldSpaceSizeMB === null ? ", under Node's default heap limit. " : `, under a ${count(options.maxOldSpaceSizeMB)} MB heap cap. `,
  );
  if (agreement.allAgree) {
    parts.push(`All finished strategies agree on ${count(agreement.unreadCount)} unread messages${agreement.reference ? ` (reference: ${agreement.reference})` : ''}.`);
  } else {
    const disagreeing = agreement.checks.filter((check) => !check.agrees).map((check) => check.strategy);
    parts.push({ strong: `Strategies disagree: ${disagreeing.join(', ')} differ from ${agreement.reference ?? 'the reference'}.` });
  }
  return parts;
}

/** What a strategy's row says when it has no measurement. */
export function outcomeText(strategy: StrategyOutcome): string {
  if (strategy.status === 'ok') return 'ok';
  if (strategy.death) return `${strategy.status}: ${strategy.death.summary}`;
  return strategy.reason ? `${strategy.status}: ${strategy.reason}` : strategy.status;
}

function strategiesSection(result: CompareUnreadResult): Section {
  const right = (title: string) => ({ title, align: 'right' as const });
  const rows = result.strategies.map((strategy) => {
    const m = strategy.measurement;
    return [
      strategy.name,
      strategy.stage,
      outcomeText(strategy),
      megabytes(m?.peakHeapBytes ?? strategy.death?.heapAtDeathBytes),
      megabytes(m?.peakHeapGrowthBytes),
      megabytes(m?.retainedBytes),
      milliseconds(m?.latency.p50Ms),
      milliseconds(m?.latency.p95Ms),
      count(m?.docsReceived ?? strategy.death?.docsBeforeDeath),
      megabytes(m?.bytesReceived),
      count(m?.unreadCount),
    ];
  });
  const lightest = result.strategies.find((strategy) => strategy.name === result.verdict.lightest)?.measurement;
  const vsLightest = lightest
    ? result.strategies.map((strategy) => (strategy.measurement ? ratio(strategy.measurement.peakHeapGrowthBytes / Math.max(1, lightest.peakHeapGrowthBytes)) : '–'))
    : undefined;
  if (vsLightest) rows.forEach((row, index) => row.splice(5, 0, vsLightest[index]!));
  const columns = ['strategy', 'post-mortem step', 'outcome', right('peak heap'), right('peak growth'), ...(vsLightest ? [right(`× ${result.verdict.lightest}`)] : []), right('retained'), right('p50'), right('p95'), right('documents received'), right('bytes received'), right('unread')];
  return {
    title: 'Strategies',
    id: 'strategies',
    blocks: [
      table(columns, rows, 'Peak heap: highest heapUsed during the measured runs (at death for an OOM); growth: above the heap after GC before the first run; retained: still held after the last run and a full GC.'),
      measurementDetails(result),
    ],
  };
}

function measurementDetails(result: CompareUnreadResult) {
  const right = (title: string) => ({ title, align: 'right' as const });
  const rows = result.strategies
    .filter((strategy) => strategy.measurement)
    .map((strategy) => {
      const m = strategy.measurement!;
      return [strategy.name, milliseconds(m.latency.minMs), milliseconds(m.latency.maxMs), megabytes(m.heapBeforeBytes), megabytes(m.peakRssBytes), count(m.heapSamples), milliseconds(m.harness.spawnMs), milliseconds(m.harness.connectMs)];
    });
  return table(['strategy', right('min'), right('max'), right('heap before'), right('peak RSS'), right('heap samples'), right('spawn'), right('connect')], rows, 'Latency range, baseline heap, the child’s peak RSS, how often the heap was sampled, and what the harness itself cost.');
}

function parametersSection(result: CompareUnreadResult): Section {
  const { options, dataset } = result;
  const recorded = dataset.recorded;
  return {
    title: 'Dataset and parameters',
    id: 'parameters',
    blocks: [
      facts([
        ['User', `${options.user} (asked: ${options.userRequested}; ${options.userSource})`],
        ['Strategies', options.strategies.join(', ')],
        ['Runs', `${options.runs} measured after ${options.warmupRuns} warm-up${options.quick ? ' (--quick)' : ''}`],
        ['Window', `${options.windowMonths} months: from ${options.windowStart} (anchor ${options.windowAnchor}, ${options.windowAnchorSource})`],
        ['Heap cap per strategy', options.maxOldSpaceSizeMB === null ? "Node's default" : `${count(options.maxOldSpaceSizeMB)} MB (--max-old-space-size)`],
        ['Heap sampler', `every ${milliseconds(options.samplerIntervalMs)} and at every batch`],
        ['Bloom filter sized for', `${options.bloomFalsePositiveRate} false-positive rate`],
        ['Heap snapshots', options.heapdump ? 'yes (--heapdump)' : 'no'],
        ['Seeded by this run', dataset.seededNow ? 'yes (demo profile on the embedded MongoDB)' : 'no'],
        ['Recorded dataset', recorded ? describeRecorded(recorded) : undefined],
      ]),
      table(
        ['collection', { title: 'documents', align: 'right' }],
        Object.entries(dataset.counts).map(([name, value]) => [name, count(value)]),
      ),
      paragraph(`Run time ${duration((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000)}.`),
    ],
  };
}

function describeRecorded(recorded: Record<string, unknown>): string {
  return Object.entries(recorded)
    .filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
}
