import { bytes, count, medianRange, msFigure, retainedHeap } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import { bloomAgainstExact, bloomMeasuredRate, bloomSizing } from './bloom-text.js';
import { reachedText, shardLine } from '../shards.js';
import { isMeasured, type CompareUnreadResult, type OutcomeStatus, type StrategyOutcome } from '../../results/compare-unread.js';
import { DEFAULT_LAYOUT, finish, fitTable, verdictLines, type FitCell, type FitColumn, type TerminalLayout } from '../terminal.js';
import { unreadVerdictLines } from './verdict.js';

function statusText(status: OutcomeStatus, style: Style): string {
  const colour = { ok: style.green, disagrees: style.red, oom: style.magenta, crashed: style.red, error: style.red, skipped: style.dim }[status];
  return colour(status);
}

/** The comparison for people: one row a strategy, the verdict, then what needs a sentence. */
export function renderCompareUnread(result: CompareUnreadResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const { options, dataset } = result;
  const env = result.environment;
  const lines: string[] = [];
  const recorded = dataset.recorded;
  const profile = typeof recorded?.profile === 'string' ? `profile ${recorded.profile}${dataset.seededNow ? ' (seeded now)' : ''}` : 'unrecorded dataset';
  lines.push(
    style.bold(`imdiag compare-unread · ${options.user}`) +
      ` · ${count(dataset.user.messagesReceived)} messages received, ${count(dataset.user.receipts)} receipts (${count(dataset.user.receiptsInWindow)} in the ${options.windowMonths}-month window from ${options.windowStart.slice(0, 10)})`,
  );
  lines.push(
    `${profile}: ${count(dataset.counts.msgs)} msgs, ${count(dataset.counts.readMsgs)} readMsgs · Node ${env.node}, driver ${env.mongodbDriver}, MongoDB ${env.mongo?.serverVersion ?? '?'}${env.mongo?.embedded ? ' (embedded)' : ''}, ${env.cpus} CPUs · ${options.runs} measured run(s) after ${options.warmupRuns} warm-up, each strategy in its own process${options.maxOldSpaceSizeMB ? ` · heap cap ${options.maxOldSpaceSizeMB} MB` : ''}`,
  );

  const rows = result.strategies.map((outcome) => row(outcome, style));
  lines.push(...fitTable(style, layout, COLUMNS, rows));
  const verdict = unreadVerdictLines(result.verdict);
  lines.push('', ...verdictLines(verdict.summary, style, layout));
  for (const detail of verdict.detail) lines.push(style.dim(detail));
  lines.push('');
  const agreement = result.agreement;
  if (agreement.reference) {
    lines.push(
      agreement.allAgree
        ? style.green(`all finished strategies agree with ${agreement.reference}: ${count(agreement.unreadCount)} unread`)
        : style.red(`strategies disagree (reference ${agreement.reference}, ${count(agreement.unreadCount)} unread)`),
    );
  }
  for (const outcome of result.strategies) lines.push(...details(outcome, style));
  for (const problem of result.problems) lines.push(style.red(`problem: ${problem}`));
  return finish(lines, layout);
}

/** Short headings, the unit in the heading; the columns a narrow terminal drops first have the lowest `drop`. */
const COLUMNS: FitColumn[] = [
  { head: 'strategy' },
  { head: 'status' },
  { head: 'p50 ms', right: true },
  { head: 'p95 ms', right: true, drop: 4 },
  { head: 'peak heap', right: true },
  { head: 'live at peak', right: true },
  { head: 'retained', right: true, drop: 5 },
  { head: 'peak RSS', right: true, drop: 3 },
  { head: 'docs', right: true, drop: 6 },
  { head: 'bytes in', right: true, drop: 7 },
  { head: 'srv docs', right: true, drop: 2 },
  { head: 'srv keys', right: true, drop: 1 },
  { head: 'unread', right: true, drop: 8 },
  { head: 'blocked ms', right: true, drop: 5.5 },
  { head: 'CPU ms', right: true, drop: 4.5 },
];

function row(outcome: StrategyOutcome, style: Style): FitCell[] {
  const server = outcome.server?.explained ? outcome.server : undefined;
  if (!isMeasured(outcome)) return [outcome.name, statusText(outcome.status, style), { rest: outcome.reason }];
  const m = outcome.measurement;
  return [
    outcome.name,
    statusText(outcome.status, style),
    msFigure(m.latency.p50Ms),
    msFigure(m.latency.p95Ms),
    bytes(m.peakHeapGrowthBytes),
    medianRange(m.liveAtPeakBytes, m.liveAtPeak?.minBytes, m.liveAtPeak?.maxBytes),
    retainedHeap(m.retainedBytes, m.retainedNoiseBytes),
    bytes(m.peakRssBytes),
    count(m.docsReceived),
    bytes(m.bytesReceived),
    count(server?.docsExamined),
    count(server?.keysExamined),
    count(m.unreadCount),
    msFigure(m.loop?.blockedMs),
    msFigure(m.loop?.cpuMs),
  ];
}

function details(outcome: StrategyOutcome, style: Style): string[] {
  const lines: string[] = [];
  const name = style.bold(outcome.name);
  if (outcome.distinct?.fallback) lines.push(`${name}: ${outcome.distinct.reason}`);
  if (outcome.bloom) {
    const b = outcome.bloom;
    lines.push(`${name}: ${bloomSizing(b)}; ${bloomMeasuredRate(b)}; ${bloomAgainstExact(b)}`);
  }
  if (outcome.server && !outcome.server.explained) lines.push(`${name}: server work unknown (${outcome.server.reason})`);
  if (outcome.server?.explained && outcome.server.shards) {
    const cluster = outcome.server.queries.find((query) => query.cluster)?.cluster;
    lines.push(`${name}: through mongos, ${reachedText(outcome.server.shards.length, cluster)}; per shard: ${outcome.server.shards.map(shardLine).join('; ')}`);
  }
  for (const finding of outcome.server?.findings ?? []) lines.push(style.yellow(`${outcome.name}: finding: ${finding}`));
  if (outcome.death?.stderrTail.length) lines.push(style.dim(`${outcome.name} stderr: ${outcome.death.stderrTail.slice(-3).join(' ⏎ ')}`));
  if (outcome.heapSnapshot) {
    const h = outcome.heapSnapshot;
    const retained = h.topByConstructor[0]?.retainedSizeBytes !== undefined;
    const top = h.topByConstructor
      .slice(0, 5)
      .map((entry) => `${entry.constructor} ${bytes(retained ? entry.retainedSizeBytes : entry.selfSizeBytes)} (${count(entry.count)})`);
    lines.push(
      `${name}: heap snapshot at peak ${h.path} (${bytes(h.sizeBytes)}, ${h.writer}); top by ${retained ? 'retained' : 'self'} size: ${top.join(', ') || h.computed}`,
    );
    const largest = h.largest?.[0];
    if (largest)
      lines.push(
        `${name}: largest object ${largest.name} retains ${bytes(largest.retainedSizeBytes)}: ${largest.retainers ?? '(no strong path from a GC root)'}`,
      );
  }
  for (const note of outcome.notes) lines.push(`${name}: ${note}`);
  return lines;
}
