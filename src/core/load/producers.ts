import { sleepUnlessStopped } from '../../lib/stop.js';
import { LatencyRecorder } from './latency.js';
import type { ProducerSummary } from '../../results/load.js';
import { FixedRateSchedule } from './schedule.js';

/** A send that starts later than this after its scheduled time counts as late. */
export const LATE_MS = 50;
/** The rate counts as kept when at least this share of the scheduled sends succeeded. */
export const KEPT_SHARE = 0.99;
/**
 * Requests a producer may have open (on its connections or queued for one); a send beyond that
 * is missed rather than queued without end: 128 is ~0.25 s of sends at 5,000/s over 10 producers.
 */
export const MAX_IN_FLIGHT = 128;
/** After the load ends, open requests get this long to finish; the rest count as failed. */
export const DRAIN_MS = 2_000;
// The loop's longest sleep: keeps Ctrl-C and the end responsive at low rates.
const MAX_SLEEP_MS = 50;

/**
 * Starts one request on `producer`'s connections, timed from `sentAt` (performance clock), and
 * calls `done` once, with how it ended.
 */
export type Send<Outcome> = (producer: number, sentAt: number, done: (outcome: Outcome) => void) => void;

export interface ProducerLoopOptions<Outcome> {
  producers: number;
  /** Sends per second over all producers; null: closed loop, as fast as `connections` open requests per producer allow (for the benchmark). */
  rate: number | null;
  /** Closed loop only: requests each producer keeps open. */
  connections: number;
  durationMs: number;
  signal: AbortSignal;
  send: Send<Outcome>;
  /** Whether an outcome is a success (its latency is recorded). */
  succeeded(outcome: Outcome): boolean;
  /** Every outcome that arrives while the run still counts them (not after the drain gave up). */
  onOutcome?(outcome: Outcome): void;
}

/** What every producer loop measures (the figures of ProducerSummary but the rate asked for), and what it gave up on. */
export interface ProducerLoopSummary extends Omit<ProducerSummary, 'askedRate'> {
  /** Requests still open DRAIN_MS after the load ended (counted in failed). */
  stillOpen: number;
}

interface Loop {
  counts: { scheduled: number; sent: number; ok: number; failed: number; missed: number; late: number };
  inFlight: number[];
  startLag: LatencyRecorder;
  start(producer: number): void;
  /** Called with a producer whose request just ended (the closed loop sends the next one). */
  next: ((producer: number) => void) | undefined;
}

/**
 * The one producer loop of flood and flood --target. At a fixed rate (open loop) the schedule is
 * computed from the start, never from the previous send, so a slow server does not slow the load
 * down (no coordinated omission); a send that finds its producer with MAX_IN_FLIGHT requests open
 * is missed, not queued without end. Then open requests get DRAIN_MS; those still open fail.
 */
export async function runProducerLoop<Outcome>(options: ProducerLoopOptions<Outcome>): Promise<ProducerLoopSummary> {
  const postLatency = new LatencyRecorder();
  const startAt = performance.now();
  let pending = 0;
  let gaveUp = false;
  let allDone: (() => void) | undefined;
  const loop: Loop = {
    counts: { scheduled: 0, sent: 0, ok: 0, failed: 0, missed: 0, late: 0 },
    inFlight: new Array<number>(options.producers).fill(0),
    startLag: new LatencyRecorder(),
    next: undefined,
    start(producer) {
      const sentAt = performance.now();
      loop.inFlight[producer]! += 1;
      pending += 1;
      loop.counts.sent += 1;
      options.send(producer, sentAt, (outcome) => {
        if (gaveUp) return;
        loop.inFlight[producer]! -= 1;
        pending -= 1;
        if (options.succeeded(outcome)) {
          loop.counts.ok += 1;
          postLatency.recordMs(performance.now() - sentAt);
        } else loop.counts.failed += 1;
        options.onOutcome?.(outcome);
        if (pending === 0) allDone?.();
        loop.next?.(producer);
      });
    },
  };

  if (options.rate === null) await closedLoop(loop, options, startAt);
  else await fixedRate(loop, options, options.rate, startAt);
  loop.next = undefined;
  const durationMs = performance.now() - startAt;
  if (pending > 0) await new Promise<void>((resolve) => ((allDone = resolve), setTimeout(resolve, DRAIN_MS).unref()));
  gaveUp = true;
  const { counts } = loop;
  counts.failed += pending;

  return {
    ...counts,
    lateThresholdMs: LATE_MS,
    achievedRate: durationMs > 0 ? (counts.ok * 1000) / durationMs : 0,
    keptRate: options.rate === null ? true : counts.scheduled > 0 && counts.ok >= KEPT_SHARE * counts.scheduled,
    postLatency: postLatency.summary(),
    startLag: loop.startLag.summary(),
    stillOpen: pending,
  };
}

async function fixedRate(loop: Loop, options: ProducerLoopOptions<unknown>, rate: number, startAt: number): Promise<void> {
  const schedule = new FixedRateSchedule({ rate, startAt, durationMs: options.durationMs });
  while (!options.signal.aborted) {
    const now = performance.now();
    for (const due of schedule.due(now)) {
      const producer = due.index % options.producers;
      if (loop.inFlight[producer]! >= MAX_IN_FLIGHT) {
        loop.counts.missed += 1;
        continue;
      }
      const lag = now - due.dueAt;
      loop.startLag.recordMs(lag);
      if (lag > LATE_MS) loop.counts.late += 1;
      loop.start(producer);
    }
    const wait = schedule.waitMs(performance.now());
    if (wait === Infinity) break;
    await sleepUnlessStopped(Math.min(MAX_SLEEP_MS, Math.max(1, wait)), options.signal);
  }
  loop.counts.scheduled = schedule.handedOut;
}

async function closedLoop(loop: Loop, options: ProducerLoopOptions<unknown>, startAt: number): Promise<void> {
  const endAt = startAt + options.durationMs;
  loop.next = (producer) => {
    if (!options.signal.aborted && performance.now() < endAt) loop.start(producer);
  };
  for (let producer = 0; producer < options.producers; producer += 1) for (let c = 0; c < options.connections; c += 1) loop.start(producer);
  await sleepUnlessStopped(endAt - performance.now(), options.signal);
  loop.counts.scheduled = loop.counts.sent;
}
