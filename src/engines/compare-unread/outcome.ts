import { allowedFalsePositives } from './bloom.js';
import type { ChildResultMessage } from './protocol.js';
import type { Agreement, HeapSnapshotReport, Measurement, MeasuredOutcome, ServerWork, StrategyOutcome } from '../../results/compare-unread.js';
import type { ChildOutcome } from './run-child.js';
import { summariseLatency, summariseLoop } from '../../core/measure/stats.js';
import type { UnreadStrategy } from './strategies/types.js';

/** Everything measured for one strategy, before its answer is checked against the others. */
export interface StrategyFacts {
  strategy: UnreadStrategy;
  child: ChildOutcome;
  /** explain's view of the strategy's queries; absent for a skipped strategy. */
  server?: ServerWork;
  heapSnapshot?: HeapSnapshotReport;
}

/** The unread ids a strategy answered with: only a measured result has them. */
export function answerOf(facts: StrategyFacts): string[] | null {
  const { child } = facts;
  return child.kind === 'message' && child.message.type === 'result' && child.message.runs.length > 0 ? child.message.unreadIds : null;
}

/**
 * One strategy's outcome, built once from what was measured and how its answer compared with
 * the reference (docs/architecture.md, house rule 10). Pure.
 */
export function buildOutcome(facts: StrategyFacts, agreement: Agreement, bloomRate: number): StrategyOutcome {
  const { strategy, child } = facts;
  const base = { name: strategy.name, description: strategy.description, stage: strategy.stage, ...(facts.server && { server: facts.server }) };
  if (child.kind === 'death') return { ...base, status: child.oom ? 'oom' : 'crashed', reason: child.death.summary, death: child.death, notes: [] };
  const { message } = child;
  switch (message.type) {
    case 'skipped':
      return { ...base, status: 'skipped', reason: message.reason, notes: [] };
    case 'error':
      return { ...base, status: 'error', reason: `${message.message} (after ${message.docsBeforeError} documents)`, notes: [] };
    case 'result': {
      if (message.runs.length === 0) return { ...base, status: 'error', reason: 'no measured run took measurable time', notes: message.notes };
      const check = agreement.checks.find((candidate) => candidate.strategy === strategy.name);
      const unreadCount = agreement.unreadCount ?? 0;
      const measured: Omit<MeasuredOutcome, 'status' | 'reason'> = {
        ...base,
        measurement: measurementFrom(message),
        notes: message.notes,
        ...(message.distinct && { distinct: message.distinct }),
        ...(message.bloom && {
          bloom: {
            ...message.bloom,
            observedFalsePositives: check ? check.missing : null,
            observedFalsePositiveRate: check ? (unreadCount ? check.missing / unreadCount : 0) : null,
            allowedFalsePositives: check ? allowedFalsePositives(unreadCount, bloomRate) : null,
          },
        }),
        ...(facts.heapSnapshot && { heapSnapshot: facts.heapSnapshot }),
      };
      if (check && !check.agrees) {
        return {
          ...measured,
          status: 'disagrees',
          reason: `${check.missing} unread id(s) missing and ${check.extra} extra compared with ${agreement.reference}`,
        };
      }
      return { ...measured, status: 'ok' };
    }
  }
}

function measurementFrom(message: ChildResultMessage): Measurement {
  const peakHeapBytes = Math.max(...message.runs.map((run) => run.peakHeapBytes));
  return {
    runs: message.runs.length,
    warmupRuns: message.warmupRuns,
    latency: summariseLatency(message.runs.map((run) => run.durationMs)),
    loop: summariseLoop(message.runs.map((run) => run.loop)),
    heapBeforeBytes: message.heapBeforeBytes,
    peakHeapBytes,
    peakHeapGrowthBytes: Math.max(0, peakHeapBytes - message.heapBeforeBytes),
    retainedBytes: message.retainedBytes,
    retainedNoiseBytes: message.retainedNoiseBytes,
    liveAtPeakBytes: message.liveAtPeakRunsBytes.length > 0 ? median(message.liveAtPeakRunsBytes) : message.liveAtPeakBytes,
    liveAtPeak: liveAtPeakSummary(message.liveAtPeakRunsBytes),
    peakRssBytes: message.peakRssBytes,
    docsReceived: message.docsReceived,
    bytesReceived: message.bytesReceived,
    largestBatchDocs: message.largestBatchDocs,
    unreadCount: message.runs.at(-1)?.unreadCount ?? 0,
    heapSamples: message.heapSamples,
    harness: { spawnMs: Math.round(message.spawnMs * 10) / 10, connectMs: Math.round(message.connectMs * 10) / 10 },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function liveAtPeakSummary(samples: readonly number[]): Measurement['liveAtPeak'] {
  if (samples.length === 0) return null;
  return {
    probeRuns: samples.length,
    medianBytes: median(samples),
    minBytes: Math.min(...samples),
    maxBytes: Math.max(...samples),
    samplesBytes: [...samples],
  };
}
