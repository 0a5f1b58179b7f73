import { isMeasured, type CompareUnreadResult, type StrategyOutcome } from '../../results/compare-unread.js';
import { bytesHuman, count, duration, megabytes, milliseconds, medianRange, NO_VALUE, ratio, retainedHeap } from '../../lib/format.js';
import { facts, paragraph, present, right, section, table, type Inline, type ReportDoc, type Section } from '../model.js';
import { unreadCharts } from './charts.js';
import { unreadVerdictLines } from './verdict.js';
import { agreementSection, deathsSection, serverWorkSection, snapshotsSection, bloomSection, notesSection } from './details.js';

export function compareUnreadDoc(result: CompareUnreadResult): ReportDoc {
  return {
    title: `imdiag compare-unread: unread query for ${result.options.user}`,
    summary: unreadVerdictLines(result.verdict).summary,
    verdict: unreadVerdict(result),
    sections: present([
      strategiesSection(result),
      unreadCharts(result),
      serverWorkSection(result),
      measurementSection(result),
      agreementSection(result),
      bloomSection(result),
      deathsSection(result),
      snapshotsSection(result),
      notesSection(result),
      parametersSection(result),
    ]),
  };
}

function unreadVerdict(result: CompareUnreadResult): Inline[] {
  const { options, dataset, agreement } = result;
  const measured = result.strategies.filter((strategy) => strategy.measurement).length;
  // The summary above says the rest of the verdict; each thing once.
  const detail = unreadVerdictLines(result.verdict).detail;
  const parts: Inline[] = detail.length > 0 ? [detail.join(' '), ' '] : [];
  parts.push(
    `Measured for user `,
    { code: options.user },
    ` (${count(dataset.user.messagesReceived)} messages received, ${count(dataset.user.receipts)} read receipts, ${count(dataset.user.receiptsInWindow)} of them in the last ${options.windowMonths} months): `,
    `${measured} of ${result.strategies.length} strategies measured, each in its own process, ${options.runs} run${options.runs === 1 ? '' : 's'} after ${options.warmupRuns} warm-up`,
    options.maxOldSpaceSizeMB === null ? ", under Node's default heap limit. " : `, under a ${count(options.maxOldSpaceSizeMB)} MB heap cap. `,
  );
  if (agreement.allAgree) {
    parts.push(
      `All finished strategies agree on ${count(agreement.unreadCount)} unread messages${agreement.reference ? ` (reference: ${agreement.reference})` : ''}.`,
    );
  } else {
    const disagreeing = agreement.checks.filter((check) => !check.agrees).map((check) => check.strategy);
    parts.push({ strong: `Strategies disagree: ${disagreeing.join(', ')} differ from ${agreement.reference ?? 'the reference'}.` });
  }
  return parts;
}

/** The outcome in a few words; the details of a death are in their own section. */
export function outcomeText(strategy: StrategyOutcome): string {
  return strategy.status === 'oom' ? 'OOM' : strategy.status;
}

function strategiesSection(result: CompareUnreadResult): Section {
  const lightest = result.strategies.find((strategy) => strategy.name === result.verdict.lightest)?.measurement;
  const rows = result.strategies.map((strategy) => {
    const m = strategy.measurement;
    return [
      strategy.name,
      outcomeText(strategy),
      megabytes(m?.peakHeapBytes ?? strategy.death?.heapAtDeathBytes),
      megabytes(m?.peakHeapGrowthBytes),
      ...(lightest ? [m ? ratio(m.peakHeapGrowthBytes / Math.max(1, lightest.peakHeapGrowthBytes)) : NO_VALUE] : []),
      medianRange(m?.liveAtPeakBytes, m?.liveAtPeak?.minBytes, m?.liveAtPeak?.maxBytes, megabytes),
      m ? retainedHeap(m.retainedBytes, m.retainedNoiseBytes, megabytes) : megabytes(undefined),
      milliseconds(m?.latency.p50Ms),
      milliseconds(m?.latency.p95Ms),
      count(m?.docsReceived ?? strategy.death?.docsBeforeDeath),
      bytesHuman(m?.bytesReceived),
    ];
  });
  const columns = [
    'strategy',
    'outcome',
    right('peak heap'),
    right('growth'),
    ...(lightest ? [right(`× ${result.verdict.lightest}`)] : []),
    right('live at peak'),
    right('retained'),
    right('p50'),
    right('p95'),
    right('docs received'),
    right('bytes received'),
  ];
  return section(
    'Strategies',
    'strategies',
    table(
      columns,
      rows,
      'Peak heap: highest heapUsed during the measured runs (at death for an OOM); growth: peak above the heap after GC before the first run; live at peak: what a full GC at the peak point could not free (the data the strategy holds there, on an extra unmeasured run); retained: still held after the last run and a full GC. Latency over the measured runs; documents and bytes the server sent in one run.',
    ),
    table(
      ['strategy', 'post-mortem step', 'what it does'],
      result.strategies.map((strategy) => [
        strategy.name,
        strategy.stage,
        strategy.reason ? `${strategy.description} (${strategy.reason})` : strategy.description,
      ]),
    ),
  );
}

function measurementSection(result: CompareUnreadResult): Section {
  const rows = result.strategies.filter(isMeasured).map((strategy) => {
    const m = strategy.measurement;
    return [
      strategy.name,
      milliseconds(m.latency.minMs),
      milliseconds(m.latency.maxMs),
      megabytes(m.heapBeforeBytes),
      megabytes(m.peakRssBytes),
      count(m.heapSamples),
      count(m.unreadCount),
      milliseconds(m.harness.spawnMs),
      milliseconds(m.harness.connectMs),
    ];
  });
  return section(
    'Measurement details',
    'measurement',
    table(
      [
        'strategy',
        right('min'),
        right('max'),
        right('heap before'),
        right('peak RSS'),
        right('heap samples'),
        right('unread'),
        right('spawn'),
        right('connect'),
      ],
      rows,
      'Latency range, the heap after GC before the first run, the child’s peak RSS, how often the heap was sampled, the answer’s size, and what the harness itself cost (process start, connect).',
    ),
  );
}

function parametersSection(result: CompareUnreadResult): Section {
  const { options, dataset } = result;
  const recorded = dataset.recorded;
  return section(
    'Dataset and parameters',
    'parameters',
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
      ['collection', right('documents')],
      Object.entries(dataset.counts).map(([name, value]) => [name, count(value)]),
    ),
    paragraph(`Run time ${duration((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000)}.`),
  );
}

function describeRecorded(recorded: Record<string, unknown>): string {
  return Object.entries(recorded)
    .filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
}
