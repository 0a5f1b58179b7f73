import { sleepUnlessStopped } from '../../lib/stop.js';
import net from 'node:net';
import { CheckError } from '../../lib/errors.js';
import type { Reporter } from '../../lib/progress.js';
import { openMemorySource, TargetGone, type MemorySource } from '../../core/memory/sources/index.js';
import { compileBody } from './body.js';
import { connectTargetMonitors } from './monitors.js';
import type { MonitorFleet } from '../../core/load/monitor-fleet.js';
import { runTargetProducers } from './producers.js';
import { sampleStaleness } from '../../core/load/staleness.js';
import type { WatchSample } from '../../results/watch.js';
import type { FloodTargetParams, TargetOutcome, TargetProducerSummary } from '../../results/flood-target.js';
import { undiciSender, type SendOutcome } from './senders.js';
import type { StalenessSample } from '../../results/flood.js';
import type { FloodLeak } from '../../results/flood-target.js';
import { startFloodLeak, type FloodLeakRun } from './leak.js';
import { holdForLeak, LEAK_HANDOFF_ENV } from '../../core/leak/handoff.js';

/** Memory readings several times a second (the issue: "several times a second"). */
export const SAMPLE_EVERY_MS = 250;
/** An unreachable target, monitor endpoint or inspector is reported within this long. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Run by imdiag leak: the target tracks every allocation (and may hold an earlier repetition's backlog), so a handshake is slow. */
const UNDER_LEAK_CONNECT_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
// Connection errors that mean the target may be gone; a refused connection then confirms it.
const GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

export interface TargetRun {
  outcome: TargetOutcome;
  durationMs: number;
  death: { afterMs: number; detectedBy: string } | null;
  producers: TargetProducerSummary;
  monitors: ReturnType<MonitorFleet['summary']> | null;
  staleness: StalenessSample[];
  source: MemorySource | null;
  samples: WatchSample[];
  warnings: string[];
  /** --leak: the analysis around the load; null without it. */
  leak: FloodLeak | null;
}

/**
 * One run against the user's server: memory source, monitors and producers opened in that order
 * (each failure a clear CheckError before any load), load for `durationMs`, then everything
 * closed — at the end, on Ctrl-C and when the target dies (an outcome, not an error).
 */
export async function runTarget(params: FloodTargetParams, ctx: { signal: AbortSignal; reporter: Reporter }): Promise<TargetRun> {
  const url = new URL(params.target);
  await checkReachable(url, '--target');
  const source = params.memory ? await openMemorySource(params.memory, ctx.signal) : null;
  let fleet: MonitorFleet | null = null;
  let leak: FloodLeakRun | null = null;
  const senders = Array.from({ length: params.producers }, () =>
    undiciSender({ url, method: params.method, headers: params.headers, connections: params.connections, timeoutMs: REQUEST_TIMEOUT_MS }),
  );
  try {
    if (params.monitor && params.clients > 0) {
      fleet = await connectTargetMonitors({
        spec: params.monitor,
        clients: params.clients,
        slowClients: params.slowClients,
        slowReadBytesPerSec: params.slowReadBytesPerSec,
        connectTimeoutMs: process.env[LEAK_HANDOFF_ENV] ? UNDER_LEAK_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS,
      }).catch((error: unknown) => {
        throw new CheckError(`the monitors could not connect: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    // The baseline before the producers start (and before the monitors' own objects are counted as the load's).
    if (params.leak && params.memory) leak = await startFloodLeak(params.memory, ctx);
    const run = await underLoad(params, ctx, { url, source, fleet, senders });
    // Run as `imdiag leak --during`: the monitors (and what the target queues for them) stay until leak's final snapshot.
    if (fleet && run.outcome === 'completed')
      await holdForLeak(process.env, ctx.signal, () =>
        ctx.reporter.note("imdiag flood: load done; the monitors stay connected until imdiag leak's final snapshot"),
      );
    // The final snapshot comes after the cooldown, while the memory source's session is still open (a session closing resets the ids).
    return { ...run, leak: leak ? await leak.finish(run.outcome) : null };
  } finally {
    await leak?.close().catch(() => undefined);
    await Promise.all(senders.map((sender) => sender.close().catch(() => undefined)));
    await fleet?.close();
    await source?.close().catch(() => undefined);
  }
}

async function underLoad(
  params: FloodTargetParams,
  ctx: { signal: AbortSignal; reporter: Reporter },
  open: { url: URL; source: MemorySource | null; fleet: MonitorFleet | null; senders: ReturnType<typeof undiciSender>[] },
): Promise<TargetRun> {
  const { url, source, fleet } = open;
  const load = new AbortController();
  const stop = () => load.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  const samples: WatchSample[] = [];
  const warnings: string[] = [];
  const startedAt = Date.now();
  let death: TargetRun['death'] = null;
  const died = (detectedBy: string) => {
    if (death) return;
    death = { afterMs: Date.now() - startedAt, detectedBy };
    load.abort();
  };

  // Memory: one reading at a time, SAMPLE_EVERY_MS apart; TargetGone is the target dying.
  const sampling = (async () => {
    if (!source) return;
    while (!load.signal.aborted) {
      const next = Date.now() + SAMPLE_EVERY_MS;
      try {
        const s = await source.sample();
        const { time, ...reading } = s;
        samples.push({ tMs: time - startedAt, ...reading });
      } catch (error) {
        if (error instanceof TargetGone) return died(error.message);
        warnings.push(`a memory reading failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleepUnlessStopped(next - Date.now(), load.signal);
    }
  })();

  // Without a source that notices, a target that stops answering is probed: refused means gone.
  let probing = false;
  const probe = () => {
    if (probing || death) return;
    probing = true;
    void connects(url, CONNECT_TIMEOUT_MS).then((ok) => {
      probing = false;
      if (!ok) died(`${url.host} refused connections`);
    });
  };
  const onOutcome = (outcome: SendOutcome) => {
    if (typeof outcome !== 'number' && GONE_CODES.has(String((outcome as { code?: unknown }).code))) probe();
  };
  const progress = ctx.reporter.progress('flood --target', Math.ceil(params.durationMs / 1000), 's');
  const staleness = sampleStaleness({
    read: fleet ? () => fleet.staleness() : null,
    onTick(elapsedMs) {
      if (fleet && fleet.disconnected() > 0) probe();
      progress.update(Math.floor(elapsedMs / 1000));
    },
  });

  let producers: TargetProducerSummary;
  try {
    producers = await runTargetProducers({
      rate: params.rate,
      durationMs: params.durationMs,
      senders: open.senders,
      connections: params.connections,
      body: compileBody(params.body.template),
      signal: load.signal,
      onOutcome,
    });
  } finally {
    staleness.stop();
    progress.done();
    ctx.signal.removeEventListener('abort', stop);
  }
  const durationMs = Date.now() - startedAt;
  // A last look: a target that died in the final moments is still a death.
  if (!death && (producers.failed > 0 || (fleet?.disconnected() ?? 0) > 0) && !(await connects(url, CONNECT_TIMEOUT_MS)))
    died(`${url.host} refused connections`);
  load.abort();
  await sampling;
  const monitors = fleet?.summary() ?? null;
  const outcome: TargetOutcome = death ? 'died' : ctx.signal.aborted ? 'stopped' : 'completed';
  return { outcome, durationMs, death, producers, monitors, staleness: staleness.samples, source, samples, warnings, leak: null };
}

/** Before any load: the target answers TCP within CONNECT_TIMEOUT_MS, or a one-line CheckError. */
export async function checkReachable(url: URL, flag: string): Promise<void> {
  const reason = await connectError(url, CONNECT_TIMEOUT_MS);
  if (reason !== null) throw new CheckError(`cannot reach ${flag} ${url.href}: ${reason}`);
}

async function connects(url: URL, timeoutMs: number): Promise<boolean> {
  return (await connectError(url, timeoutMs)) === null;
}

function connectError(url: URL, timeoutMs: number): Promise<string | null> {
  const port = Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    function finish(reason: string | null) {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    }
    socket.once('connect', () => finish(null));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  });
}
