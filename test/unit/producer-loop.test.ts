import { describe, expect, it } from 'vitest';
import { DRAIN_MS, LATE_MS, MAX_IN_FLIGHT, runProducerLoop, type Send } from '../../src/core/load/producers.js';

// The loop's own contract, with in-process "connections" that answer on the next turn of the event
// loop or never: the HTTP clients that plug into it are tested against real servers
// (test/integration/flood-engine.test.ts, flood-target-producers.test.ts).
const answerSoon: Send<boolean> = (_producer, _sentAt, done) => void setImmediate(() => done(true));

function loop(options: { rate: number | null; durationMs: number; producers?: number; connections?: number; send: Send<boolean>; signal?: AbortSignal }) {
  return runProducerLoop<boolean>({
    producers: options.producers ?? 2,
    rate: options.rate,
    connections: options.connections ?? 1,
    durationMs: options.durationMs,
    signal: options.signal ?? new AbortController().signal,
    send: options.send,
    succeeded: (ok) => ok,
  });
}

describe('the one producer loop (flood and flood --target)', () => {
  it('at a fixed rate: every scheduled send is made, round-robin over the producers, each timed', async () => {
    const perProducer = [0, 0, 0];
    const summary = await loop({
      rate: 200,
      durationMs: 1000,
      producers: 3,
      send: (producer, sentAt, done) => {
        perProducer[producer]! += 1;
        expect(sentAt).toBeLessThanOrEqual(performance.now());
        answerSoon(producer, sentAt, done);
      },
    });
    expect(summary.scheduled).toBe(200);
    expect(summary).toMatchObject({ sent: 200, ok: 200, failed: 0, missed: 0, stillOpen: 0, lateThresholdMs: LATE_MS, keptRate: true });
    expect(perProducer).toEqual([67, 67, 66]);
    expect(summary.postLatency!.count).toBe(200);
    expect(summary.startLag!.count).toBe(200);
    expect(summary.achievedRate).toBeGreaterThan(150);
  });

  it('failures count as failed, not ok, and keep the rate from being kept', async () => {
    let n = 0;
    const summary = await loop({ rate: 100, durationMs: 500, send: (_p, _s, done) => void setImmediate(() => done(n++ % 2 === 0)) });
    expect(summary.ok + summary.failed).toBe(summary.scheduled);
    expect(summary.failed).toBe(25);
    expect(summary.postLatency!.count).toBe(summary.ok);
    expect(summary.keptRate).toBe(false);
  });

  it('a producer with MAX_IN_FLIGHT open requests misses its sends; after the drain the open ones fail and later answers are not counted', async () => {
    const held: Array<(ok: boolean) => void> = [];
    const outcomes: boolean[] = [];
    const started = performance.now();
    const summary = await runProducerLoop<boolean>({
      producers: 2,
      rate: 400,
      connections: 1,
      durationMs: 1000,
      signal: new AbortController().signal,
      send: (_p, _s, done) => void held.push(done),
      succeeded: (ok) => ok,
      onOutcome: (ok) => outcomes.push(ok),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000 + DRAIN_MS - 50);
    expect(summary.scheduled).toBe(400);
    expect(summary.sent).toBe(2 * MAX_IN_FLIGHT);
    expect(summary.missed).toBe(400 - 2 * MAX_IN_FLIGHT);
    expect(summary).toMatchObject({ ok: 0, failed: 2 * MAX_IN_FLIGHT, stillOpen: 2 * MAX_IN_FLIGHT, postLatency: null, keptRate: false });
    for (const done of held) done(true);
    expect(outcomes).toEqual([]);
    expect(summary.ok).toBe(0);
  });

  it('closed loop (rate null): `connections` requests open per producer, each answer followed by the next send, until the end', async () => {
    let open = 0;
    let mostOpen = 0;
    const summary = await loop({
      rate: null,
      durationMs: 300,
      producers: 2,
      connections: 3,
      send: (_p, _s, done) => {
        open += 1;
        mostOpen = Math.max(mostOpen, open);
        setTimeout(() => {
          open -= 1;
          done(true);
        }, 5);
      },
    });
    expect(mostOpen).toBe(6);
    expect(summary.scheduled).toBe(summary.sent);
    expect(summary.ok).toBe(summary.sent);
    expect(summary.sent).toBeGreaterThan(6 * 10);
    expect(summary).toMatchObject({ missed: 0, late: 0, startLag: null, keptRate: true, stillOpen: 0 });
  });

  it('stops at once when the signal aborts, at a fixed rate and in the closed loop', async () => {
    for (const rate of [100, null]) {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 200);
      const started = performance.now();
      const summary = await loop({ rate, durationMs: 60_000, send: answerSoon, signal: abort.signal });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(summary.sent).toBeGreaterThan(0);
      if (rate !== null) expect(summary.scheduled).toBeLessThan(100);
    }
  });
});
