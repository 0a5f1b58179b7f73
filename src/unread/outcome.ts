import type { ChildResultMessage } from './protocol.js';
import type { ChildOutcome } from './run-child.js';
import type { Measurement, StrategyOutcome } from './result.js';
import { summariseLatency } from './stats.js';
import type { UnreadStrategy } from './strategies/types.js';

/** A child's outcome as the result reports it (status, measurement, death), before the agreement check. */
export function outcomeFrom(strategy: UnreadStrategy, child: ChildOutcome): { outcome: StrategyOutcome; unreadIds: string[] | null } {
  const base = { name: strategy.name, description: strategy.description, stage: strategy.stage, notes: [] as string[] };
  if (child.kind === 'death') {
    return { outcome: { ...base, status: child.oom ? 'oom' : 'crashed', reason: child.death.summary, death: child.death }, unreadIds: null };
  }
  const { message } = child;
  switch (message.type) {
    case 'skipped':
      return { outcome: { ...base, status: 'skipped', reason: message.reason }, unreadIds: null };
    case 'error':
      return { outcome: { ...base, status: 'error', reason: `${message.message} (after ${message.docsBeforeError} documents)` }, unreadIds: null };
    case 'result':
      if (message.runs.length === 0) return { outcome: { ...base, status: 'error', reason: 'no measured run took measurable time', notes: message.notes }, unreadIds: null };
      return {
        outcome: {
          ...base,
          status: 'ok',
          measurement: measurementFrom(message),
          notes: message.notes,
          ...(message.distinct && { distinct: message.distinct }),
          ...(message.bloom && {
            bloom: { ...message.bloom, observedFalsePositives: null, observedFalsePositiveRate: null, allowedFalsePositives: null },
          }),
        },
        unreadIds: message.unreadIds,
      };
  }
}

function measurementFrom(message: ChildResultMessage): Measurement {
  const peakHeapBytes = Math.max(...message.runs.map((run) => run.peakHeapBytes));
  return {
    runs: message.runs.length,
    warmupRuns: message.warmupRuns,
    latency: summariseLatency(message.runs.map((run) => run.durationMs)),
    heapBeforeBytes: message.heapBeforeBytes,
    peakHeapBytes,
    peakHeapGrowthBytes: Math.max(0, peakHeapBytes - message.heapBeforeBytes),
    retainedBytes: message.retainedBytes,
    liveAtPeakBytes: message.liveAtPeakBytes,
    peakRssBytes: message.peakRssBytes,
    docsReceived: message.docsReceived,
    bytesReceived: message.bytesReceived,
    unreadCount: message.runs.at(-1)!.unreadCount,
    heapSamples: message.heapSamples,
    harness: { spawnMs: Math.round(message.spawnMs * 10) / 10, connectMs: Math.round(message.connectMs * 10) / 10 },
  };
}
