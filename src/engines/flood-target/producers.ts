import { sleepUnlessStopped } from '../../lib/stop.js';
import { LatencyRecorder } from '../../core/load/latency.js';
import { KEPT_SHARE, LATE_MS, MAX_IN_FLIGHT } from '../../core/load/producers.js';
import { FixedRateSchedule } from '../../core/load/schedule.js';
import type { BodyTemplate } from './body.js';
import type { TargetProducerSummary } from '../../results/flood-target.js';
import type { RequestSender, SendOutcome } from './senders.js';

// After the schedule ends, open requests get this long to finish; the rest count as failed.
const DRAIN_MS = 2_000;
// The loop's longest sleep: keeps Ctrl-C and the end responsive at low rates.
const MAX_SLEEP_MS = 50;

export interface TargetProducerOptions {
  /** Requests per second over all producers; null: as fast as the connections allow (closed loop, for the benchmark). */
  rate: number | null;
  durationMs: number;
  /** One sender per producer; sends go round-robin over them. */
  senders: RequestSender[];
  /** Requests each producer keeps open in the closed loop (its connections). */
  connections: number;
  body: BodyTemplate;
  signal: AbortSignal;
  /** Called on every finished request (the engine watches for a target that stopped answering). */
  onOutcome?: (outcome: SendOutcome) => void;
}

/**
 * Sends to the target at a fixed total rate (schedule computed from the start, never from the
 * previous send: no coordinated omission). A send that finds its producer with MAX_IN_FLIGHT
 * requests open is missed, not queued without end. Success is any 2xx status.
 */
export async function runTargetProducers(options: TargetProducerOptions): Promise<TargetProducerSummary> {
  const producers = options.senders.length;
  const inFlight = new Array<number>(producers).fill(0);
  const postLatency = new LatencyRecorder();
  const startLag = new LatencyRecorder();
  const counts = { scheduled: 0, sent: 0, ok: 0, failed: 0, missed: 0, late: 0 };
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const startAt = performance.now();
  let pending = 0;
  let seq = 0;
  let gaveUp = false;
  let allDone: (() => void) | undefined;
  let next: ((producer: number) => void) | undefined;

  const send = (producer: number) => {
    const sentAt = performance.now();
    const body = options.body({ now: Date.now(), seq: seq++ });
    inFlight[producer]! += 1;
    pending += 1;
    counts.sent += 1;
    options.senders[producer]!.send(body, (outcome) => {
      if (gaveUp) return;
      inFlight[producer]! -= 1;
      pending -= 1;
      if (typeof outcome === 'number') {
        statuses[outcome] = (statuses[outcome] ?? 0) + 1;
        if (outcome >= 200 && outcome < 300) {
          counts.ok += 1;
          postLatency.recordMs(performance.now() - sentAt);
        } else counts.failed += 1;
      } else {
        counts.failed += 1;
        const key = errorKey(outcome);
        errors[key] = (errors[key] ?? 0) + 1;
      }
      options.onOutcome?.(outcome);
      if (pending === 0) allDone?.();
      next?.(producer);
    });
  };

  if (options.rate === null) {
    const endAt = startAt + options.durationMs;
    next = (producer) => {
      if (!options.signal.aborted && performance.now() < endAt) send(producer);
    };
    for (let producer = 0; producer < producers; producer += 1) for (let c = 0; c < options.connections; c += 1) send(producer);
    await sleepUnlessStopped(endAt - performance.now(), options.signal);
    counts.scheduled = counts.sent;
  } else {
    const schedule = new FixedRateSchedule({ rate: options.rate, startAt, durationMs: options.durationMs });
    while (!options.signal.aborted) {
      const now = performance.now();
      for (const due of schedule.due(now)) {
        const producer = due.index % producers;
        if (inFlight[producer]! >= MAX_IN_FLIGHT) {
          counts.missed += 1;
          continue;
        }
        const lag = now - due.dueAt;
        startLag.recordMs(lag);
        if (lag > LATE_MS) counts.late += 1;
        send(producer);
      }
      const wait = schedule.waitMs(performance.now());
      if (wait === Infinity) break;
      await sleepUnlessStopped(Math.min(MAX_SLEEP_MS, Math.max(1, wait)), options.signal);
    }
    counts.scheduled = schedule.handedOut;
  }
  next = undefined;
  const durationMs = performance.now() - startAt;
  if (pending > 0) await new Promise<void>((resolve) => ((allDone = resolve), setTimeout(resolve, DRAIN_MS).unref()));
  // Requests still open now count as failed (timed out at the end of the run).
  gaveUp = true;
  if (pending > 0) errors['still open at the end'] = pending;
  counts.failed += pending;

  return {
    askedRate: options.rate,
    ...counts,
    lateThresholdMs: LATE_MS,
    achievedRate: durationMs > 0 ? (counts.ok * 1000) / durationMs : 0,
    keptRate: options.rate === null ? true : counts.scheduled > 0 && counts.ok >= KEPT_SHARE * counts.scheduled,
    postLatency: postLatency.summary(),
    startLag: startLag.summary(),
    statuses,
    errors,
  };
}

function errorKey(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message.slice(0, 80);
}
