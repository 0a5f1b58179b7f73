import type { Reporter } from '../../lib/progress.js';
import { connectMonitors, type MonitorFleet } from './monitors.js';
import { runProducers } from './producers.js';
import { sampleStaleness } from '../../core/load/staleness.js';
import type { FloodOptions, FloodParams, ProducerSummary, RunOutcome, StrategyRun } from '../../results/flood.js';
import { forkServer, type ServerChild } from './server/fork.js';
import { CHART_POINTS, WINDOW_MS } from './server/store.js';
import type { ServerConfig } from './server/protocol.js';
import { strategyByName, type PushStrategy } from './strategies/index.js';
import { summariseRun } from './summary.js';

/** Several samples a second from inside the server (the issue asks for "several times a second"). */
export const SAMPLE_EVERY_MS = 200;

export interface FloodEngineContext {
  signal: AbortSignal;
  reporter: Reporter;
}

/** Every strategy of `params.strategies`, one after another under the same load, each in a fresh server. */
/** The options with the server's fixed window: what the result records. */
export function floodParams(options: FloodOptions): FloodParams {
  return { ...options, windowMs: WINDOW_MS, chartPoints: CHART_POINTS };
}

export async function runFlood(params: FloodOptions, ctx: FloodEngineContext): Promise<{ runs: StrategyRun[]; warnings: string[]; stoppedEarly: boolean }> {
  const runs: StrategyRun[] = [];
  for (const name of params.strategies) {
    if (ctx.signal.aborted) break;
    const strategy = strategyByName(name);
    if (!strategy) throw new Error(`unknown strategy '${name}'`);
    runs.push(await runStrategy(strategy, params, ctx));
  }
  const warnings = runs.flatMap((run) => warningsFor(run));
  return { runs, warnings, stoppedEarly: ctx.signal.aborted };
}

export async function runStrategy(strategy: PushStrategy, params: FloodOptions, ctx: FloodEngineContext): Promise<StrategyRun> {
  const config: ServerConfig = {
    strategy: strategy.name,
    intervalMs: params.intervalMs,
    highWaterBytes: params.highWaterBytes,
    windowMs: WINDOW_MS,
    chartPoints: CHART_POINTS,
    sampleEveryMs: SAMPLE_EVERY_MS,
  };
  ctx.reporter.note(
    `flood: ${strategy.name} — ${params.rate} POST/s for ${params.durationMs / 1000} s, ${params.clients} monitors (${params.slowClients} slow)`,
  );
  let server: ServerChild;
  try {
    server = await forkServer(config, params.maxOldSpaceSizeMB);
  } catch (error) {
    return failedRun(strategy, params, 'error', message(error));
  }
  let fleet: MonitorFleet;
  try {
    fleet = await connectMonitors({
      port: server.port,
      clients: params.clients,
      slowClients: params.slowClients,
      slowReadBytesPerSec: params.slowReadBytesPerSec,
    });
  } catch (error) {
    await server.stop();
    return failedRun(strategy, params, 'error', `monitors could not connect: ${message(error)}`);
  }

  const load = new AbortController();
  const stopLoad = () => load.abort();
  ctx.signal.addEventListener('abort', stopLoad, { once: true });
  void server.exited.then(stopLoad);
  const startedAt = performance.now();
  const progress = ctx.reporter.progress(`flood ${strategy.name}`, Math.ceil(params.durationMs / 1000), 's');
  const staleness = sampleStaleness({ read: () => fleet.staleness(), onTick: (elapsedMs) => progress.update(Math.floor(elapsedMs / 1000)), startedAt });
  server.start();
  let producers: ProducerSummary;
  try {
    producers = await runProducers({
      port: server.port,
      rate: params.rate,
      producers: params.producers,
      payloadBytes: params.payloadBytes,
      durationMs: params.durationMs,
      signal: load.signal,
    });
  } catch (error) {
    await server.stop();
    await fleet.close();
    throw error;
  } finally {
    staleness.stop();
    progress.done();
    ctx.signal.removeEventListener('abort', stopLoad);
  }
  const durationMs = performance.now() - startedAt;
  const died = server.hasExited;
  const monitors = fleet.summary();
  const { counters, exit } = await server.stop();
  await fleet.close();
  const outcome: RunOutcome = died ? 'died' : ctx.signal.aborted ? 'stopped' : 'completed';
  return summariseRun({
    strategy,
    params,
    outcome,
    exit: died ? exit : null,
    error: null,
    durationMs,
    pid: server.pid,
    port: server.port,
    heapLimitBytes: server.heapLimitBytes,
    counters,
    producers,
    monitors,
    samples: server.samples,
    staleness: staleness.samples,
  });
}

function failedRun(strategy: PushStrategy, params: FloodOptions, outcome: RunOutcome, error: string): StrategyRun {
  return summariseRun({
    strategy,
    params,
    outcome,
    exit: null,
    error,
    durationMs: 0,
    pid: null,
    port: null,
    heapLimitBytes: null,
    counters: null,
    producers: null,
    monitors: null,
    samples: [],
    staleness: [],
  });
}

function warningsFor(run: StrategyRun): string[] {
  const warnings: string[] = [];
  const p = run.producers;
  if (run.outcome !== 'error' && !p.keptRate && p.scheduled > 0) {
    warnings.push(
      `${run.strategy}: producers could not keep ${p.askedRate} POST/s: ${p.ok} of ${p.scheduled} scheduled POSTs succeeded (${Math.round(p.achievedRate)}/s); ${p.missed} missed (too many requests open), ${p.failed} failed, ${p.late} started over ${p.lateThresholdMs} ms late`,
    );
  }
  if (run.outcome === 'completed' && run.server.pushesSent === 0) {
    warnings.push(`${run.strategy}: its verdict is empty, not bounded: ${run.trend.reason}`);
  }
  if (run.outcome === 'died')
    warnings.push(
      `${run.strategy}: the server died under load (${run.exit?.oom ? 'out of memory, ' : ''}${run.exit?.signal ?? `exit code ${run.exit?.code}`})`,
    );
  return warnings;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
