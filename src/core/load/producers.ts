import { sleepUnlessStopped } from '../../lib/stop.js';
import { PostClient } from './http-client.js';
import { LatencyRecorder } from './latency.js';
import type { ProducerSummary } from '../../results/flood.js';
import { FixedRateSchedule } from './schedule.js';

/** A send that starts later than this after its scheduled time counts as late. */
export const LATE_MS = 50;
/** The rate counts as kept when at least this share of the scheduled sends succeeded. */
export const KEPT_SHARE = 0.99;
/** Keep-alive connections per producer. */
export const MAX_SOCKETS = 16;
/**
 * Requests a producer may have open (on its connections or queued for one); a send beyond that
 * is missed rather than queued without end: 128 is ~0.25 s of sends at 5,000/s over 10 producers.
 */
export const MAX_IN_FLIGHT = 128;
// After the schedule ends, open requests get this long to finish; the rest count as failed.
const DRAIN_MS = 2_000;
// The loop's longest sleep: keeps Ctrl-C and the end responsive at low rates.
const MAX_SLEEP_MS = 50;

export interface ProducerOptions {
  port: number;
  rate: number;
  producers: number;
  payloadBytes: number;
  durationMs: number;
  signal: AbortSignal;
}

/**
 * POSTs timing samples to /ingest at a fixed total rate, round-robin over `producers`, each with
 * its own keep-alive connections (PostClient). The body carries `t`, the send time on this process's performance
 * clock, which the monitors (same process) compare with their receipt time.
 */
export async function runProducers(options: ProducerOptions): Promise<ProducerSummary> {
  const clients = Array.from({ length: options.producers }, () => new PostClient({ port: options.port, path: '/ingest', maxSockets: MAX_SOCKETS }));
  const inFlight = new Array<number>(options.producers).fill(0);
  const bodies = clients.map((_, producer) => bodyTemplate(producer, options.payloadBytes));
  const postLatency = new LatencyRecorder();
  const startLag = new LatencyRecorder();
  const counts = { sent: 0, ok: 0, failed: 0, missed: 0, late: 0 };
  const startAt = performance.now();
  const schedule = new FixedRateSchedule({ rate: options.rate, startAt, durationMs: options.durationMs });
  let pending = 0;
  let gaveUp = false;
  let allDone: (() => void) | undefined;

  const post = (producer: number) => {
    const sentAt = performance.now();
    const body = bodies[producer]!(sentAt);
    inFlight[producer]! += 1;
    pending += 1;
    counts.sent += 1;
    const finish = (ok: boolean) => {
      if (gaveUp) return;
      inFlight[producer]! -= 1;
      pending -= 1;
      if (ok) {
        counts.ok += 1;
        postLatency.recordMs(performance.now() - sentAt);
      } else counts.failed += 1;
      if (pending === 0) allDone?.();
    };
    clients[producer]!.post(body, finish);
  };

  while (!options.signal.aborted) {
    const now = performance.now();
    for (const send of schedule.due(now)) {
      const producer = send.index % options.producers;
      if (inFlight[producer]! >= MAX_IN_FLIGHT) {
        counts.missed += 1;
        continue;
      }
      const lag = now - send.dueAt;
      startLag.recordMs(lag);
      if (lag > LATE_MS) counts.late += 1;
      post(producer);
    }
    const wait = schedule.waitMs(performance.now());
    if (wait === Infinity) break;
    await sleepUnlessStopped(Math.min(MAX_SLEEP_MS, Math.max(1, wait)), options.signal);
  }
  const durationMs = performance.now() - startAt;
  if (pending > 0) await new Promise<void>((resolve) => ((allDone = resolve), setTimeout(resolve, DRAIN_MS).unref()));
  // Requests still open now count as failed.
  gaveUp = true;
  counts.failed += pending;
  for (const client of clients) client.close();

  const scheduled = schedule.handedOut;
  return {
    askedRate: options.rate,
    scheduled,
    ...counts,
    lateThresholdMs: LATE_MS,
    achievedRate: durationMs > 0 ? (counts.ok * 1000) / durationMs : 0,
    keptRate: scheduled > 0 && counts.ok >= KEPT_SHARE * scheduled,
    postLatency: postLatency.summary(),
    startLag: startLag.summary(),
  };
}

const OPERATIONS = ['db.query', 'cache.get', 'http.call', 'render', 'queue.push'];

/**
 * A producer's POST body of about `payloadBytes`: timing samples like Spider's C# clients sent
 * (operation, milliseconds), deterministic so runs are comparable; `t` is filled in per send.
 */
export function bodyTemplate(producer: number, payloadBytes: number): (t: number) => string {
  const head = `{"p":${producer},"t":`;
  const samples: string[] = [];
  let size = head.length + 40;
  for (let i = 0; size < payloadBytes || samples.length === 0; i += 1) {
    const sample = `{"op":"${OPERATIONS[(producer + i) % OPERATIONS.length]}","ms":${((producer * 7919 + i * 104729) % 100000) / 100}}`;
    samples.push(sample);
    size += sample.length + 1;
  }
  const tail = `,"samples":[${samples.join(',')}]}`;
  return (t) => `${head}${t.toFixed(3)}${tail}`;
}
