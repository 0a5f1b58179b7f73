import type { FloodOptions, FloodSample, MonitorGroupSummary, ProducerSummary, RunOutcome, StalenessSample, StrategyRun } from '../../results/flood.js';
import type { ServerCounters } from './server/protocol.js';
import type { PushStrategy } from './strategies/index.js';
import { fitTrend, projectToLimit } from '../../core/memory/trend.js';

const MB = 1024 * 1024;

export interface RunFacts {
  strategy: PushStrategy;
  params: FloodOptions;
  outcome: RunOutcome;
  exit: StrategyRun['exit'];
  error: string | null;
  durationMs: number;
  pid: number | null;
  port: number | null;
  heapLimitBytes: number | null;
  /** The child's final counters; null when it died (the last sample's are used). */
  counters: ServerCounters | null;
  producers: ProducerSummary | null;
  monitors: { fast: MonitorGroupSummary; slow: MonitorGroupSummary | null } | null;
  samples: FloodSample[];
  staleness: StalenessSample[];
}

/** Turns what one strategy run recorded into its StrategyRun: figures, trend, verdict. */
export function summariseRun(facts: RunFacts): StrategyRun {
  const { samples, params } = facts;
  const last = samples.at(-1);
  const counters = facts.counters ?? {
    postsReceived: last?.postsReceived ?? 0,
    pushesSent: last?.pushesSent ?? 0,
    pushBytes: last?.pushBytes ?? 0,
    pushesSkipped: last?.pushesSkipped ?? 0,
  };
  const heaps = samples.map((sample) => sample.heapUsedBytes / MB);
  const fitted = fitTrend(samples);
  // A strategy that pushed nothing (its interval longer than the run) measured nothing about pushing: no verdict.
  const pushedNothing = facts.outcome === 'completed' && (facts.counters?.pushesSent ?? last?.pushesSent ?? 0) === 0;
  const trend: typeof fitted = pushedNothing
    ? {
        ...fitted,
        verdict: 'inconclusive',
        reason: `it sent no push during the ${Math.round(facts.durationMs / 100) / 10} s run (push interval ${params.intervalMs / 1000} s), so its memory says nothing about pushing; run longer than the interval`,
      }
    : fitted;
  const limitSource = params.maxOldSpaceSizeMB === null ? 'heap_size_limit' : '--max-old-space-size';
  return {
    strategy: facts.strategy.name,
    description: facts.strategy.description,
    outcome: facts.outcome,
    exit: facts.exit,
    error: facts.error,
    durationMs: Math.round(facts.durationMs),
    server: {
      pid: facts.pid,
      port: facts.port,
      heapLimitBytes: facts.heapLimitBytes,
      postsReceived: counters.postsReceived,
      pushesSent: counters.pushesSent,
      pushBytes: counters.pushBytes,
      pushesSkipped: counters.pushesSkipped,
      meanPushBytes: counters.pushesSent > 0 ? Math.round(counters.pushBytes / counters.pushesSent) : 0,
      eventLoopDelayMaxMs: Math.max(0, ...samples.map((sample) => sample.eventLoopDelayMaxMs)),
    },
    producers: facts.producers ?? emptyProducers(params.rate),
    monitors: facts.monitors ?? { fast: emptyGroup(params.clients - params.slowClients), slow: params.slowClients > 0 ? emptyGroup(params.slowClients) : null },
    heap: {
      firstMB: heaps[0] ?? 0,
      minMB: heaps.length > 0 ? Math.min(...heaps) : 0,
      maxMB: heaps.length > 0 ? Math.max(...heaps) : 0,
      lastMB: heaps.at(-1) ?? 0,
    },
    rssMaxMB: Math.max(0, ...samples.map((sample) => sample.rssBytes / MB)),
    bufferedMaxMB: Math.max(0, ...samples.map((sample) => sample.bufferedSumBytes / MB)),
    trend,
    projection: facts.heapLimitBytes === null ? null : projectToLimit(trend, facts.heapLimitBytes, limitSource),
    verdict: facts.outcome === 'died' ? 'died' : trend.verdict,
    samples,
    staleness: facts.staleness,
  };
}

function emptyProducers(rate: number): ProducerSummary {
  return {
    askedRate: rate,
    scheduled: 0,
    sent: 0,
    ok: 0,
    failed: 0,
    missed: 0,
    late: 0,
    lateThresholdMs: 0,
    achievedRate: 0,
    keptRate: false,
    postLatency: null,
    startLag: null,
  };
}

function emptyGroup(clients: number): MonitorGroupSummary {
  return { clients, disconnected: 0, messages: 0, bytes: 0, deliveryLatency: null, finalStalenessMs: null, maxStalenessMs: null };
}
