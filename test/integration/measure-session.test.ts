import { BSON, MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeasureSkipped, type MeasureContext } from '../../src/core/measure/context.js';
import { runMeasuredChild } from '../../src/core/measure/run-child.js';
import { firstPeak, probeHeadroom, timedRuns, warmUp } from '../../src/core/measure/runs.js';
import { endOfChild, openSession, type MeasuredRun, type MeasureSession, type SessionConfig } from '../../src/core/measure/session.js';
import { lowestSettled } from '../../src/core/measure/settle.js';
import { PROGRESS_PREFIX } from '../../src/lib/child/protocol.js';
import { testMongoUri, uniqueDbName } from '../helpers/mongo.js';

// The measuring session both children use (compare-unread's strategies, query's variants), run with
// fake strategies against the test MongoDB over the real driver: in this process, then in a real
// measuring child (test/helpers/session-child.mjs) forked by the core's runner.
const dbName = uniqueDbName('measure_session');
const ITEMS = 250;
const OTHERS = 40;
let client: MongoClient;
let itemsBsonBytes = 0;

beforeAll(async () => {
  client = await MongoClient.connect(testMongoUri());
  const items = Array.from({ length: ITEMS }, (_, n) => ({ n, text: `item ${n}`.padEnd(200, '.') }));
  await client.db(dbName).collection('items').insertMany(items);
  await client
    .db(dbName)
    .collection('others')
    .insertMany(Array.from({ length: OTHERS }, (_, n) => ({ n })));
  const stored = await client.db(dbName).collection('items').find({}).toArray();
  itemsBsonBytes = stored.reduce((total, doc) => total + BSON.calculateObjectSize(doc), 0);
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

interface RunLog {
  /** `context.accounting` of every run, in order. */
  accounting: boolean[];
  opened: number;
  closed: number;
}

/**
 * A fake strategy: reads `items` in batches of 100 (replies of 100, 100 and 50 documents), keeps a
 * shared resource across runs and, on the accounting run, opens its own connection the way
 * naive-mongoose does (monitored, handed to `watch`) and reads `others` through it.
 */
function fakeRun(log: RunLog, fail?: () => Error): MeasuredRun<number[]> {
  return async (context: MeasureContext) => {
    log.accounting.push(context.accounting);
    await context.shared(
      'resource',
      async () => ++log.opened,
      async () => void log.closed++,
    );
    const values: number[] = [];
    for await (const doc of context.db.collection<{ n: number }>('items').find({}, { batchSize: 100 })) {
      values.push(doc.n);
      context.probe.docs(1);
    }
    const own = new MongoClient(context.uri, { monitorCommands: context.accounting });
    try {
      context.watch(own);
      await own.db(context.dbName).collection('others').find({}).toArray();
    } finally {
      await own.close();
    }
    if (fail) throw fail();
    await context.atPeak();
    return values;
  };
}

function session(overrides: Partial<SessionConfig> = {}, progress: string[] = []): MeasureSession {
  const config = { uri: testMongoUri(), dbName, runs: 3, warmupRuns: 2, samplerIntervalMs: 0, forkedAtNs: '0', ...overrides };
  return openSession(config, { appName: 'imdiag-test-session', writeProgress: (line) => progress.push(line) });
}

const ping = (db: Db) => db.command({ ping: 1 });

describe('the measuring session (src/core/measure/session.ts, runs.ts)', () => {
  it('warm-up: only the first run counts the replies, its own connections included; then the monitoring connection is closed', async () => {
    const log: RunLog = { accounting: [], opened: 0, closed: 0 };
    const measuring = session();
    try {
      const { db, connectMs } = await measuring.connect();
      expect(connectMs).toBeGreaterThan(0);
      const replies = await warmUp(measuring, db, fakeRun(log));
      expect(log.accounting).toEqual([true, false]);
      expect(replies.docsReceived).toBe(ITEMS + OTHERS);
      expect(replies.largestBatchDocs).toBe(100);
      // Every document's BSON once, plus each reply's envelope (cursor id, namespace, ok…).
      expect(replies.bytesReceived).toBeGreaterThan(itemsBsonBytes);
      expect(replies.bytesReceived).toBeLessThan(itemsBsonBytes + OTHERS * 30 + 6 * 1000);
      await expect(ping(measuring.accountingClient.db(dbName))).rejects.toThrow(/must be connected/);
      // The measured runs that follow are not counted.
      await timedRuns(measuring, db, fakeRun(log), () => ({}));
      expect(measuring.accounting.docs).toBe(ITEMS + OTHERS);
      expect(log.accounting).toEqual([true, false, false, false, false]);
    } finally {
      await measuring.close();
    }
  });

  it('timed runs: one record a run (duration, sampled peak, what the engine keeps of the answer), and the last answer', async () => {
    const log: RunLog = { accounting: [], opened: 0, closed: 0 };
    const progress: string[] = [];
    const measuring = session({ runs: 3 }, progress);
    try {
      const { db } = await measuring.connect();
      const timed = await timedRuns(measuring, db, fakeRun(log), (values) => ({ count: values.length }));
      expect(timed.runs).toHaveLength(3);
      for (const run of timed.runs) {
        expect(Object.keys(run)).toEqual(['durationMs', 'peakHeapBytes', 'loop', 'count']);
        expect(run.durationMs).toBeGreaterThan(0);
        // The event loop while the run ran (src/core/measure/loop.ts): a block is never longer than the run.
        expect(run.loop.blockedMs).toBeGreaterThanOrEqual(0);
        expect(run.loop.blockedMs).toBeLessThanOrEqual(run.durationMs + run.loop.resolutionMs);
        expect(run.peakHeapBytes).toBeGreaterThan(0);
        expect(run.count).toBe(ITEMS);
      }
      expect(timed.last).toEqual(Array.from({ length: ITEMS }, (_, n) => n));
      expect(timed.heapSamples).toBeGreaterThanOrEqual(3);
      // No run was dropped; the one note a loaded machine may add is that its blocks waited for other processes.
      expect([...measuring.notes].filter((note) => !note.startsWith('the machine was busy: '))).toEqual([]);
      expect(progress.length).toBeGreaterThan(0);
      for (const line of progress) expect(line).toMatch(new RegExp(`^${PROGRESS_PREFIX}\\{"docs":\\d+,"heapUsedBytes":\\d+(,"phase":\\{.*\\})?\\}\\n$`));
      // Each run is said as it begins, with its place in the plan (the parent's status line).
      const phases = progress.map((line) => (JSON.parse(line.slice(PROGRESS_PREFIX.length)) as { phase?: { label: string } }).phase?.label);
      expect([...new Set(phases.filter((label) => label !== undefined))]).toEqual(['run 1/3', 'run 2/3', 'run 3/3']);
    } finally {
      await measuring.close();
    }
  });

  it('with a re-warm: one unmeasured run of it before each timed run, after the settling GC', async () => {
    const order: string[] = [];
    const measuring = session({ runs: 2 });
    try {
      const { db } = await measuring.connect();
      const timed = await timedRuns(
        measuring,
        db,
        async () => {
          order.push('run');
          return [1, 2];
        },
        (values) => ({ count: values.length }),
        { run: async () => void order.push('re-warm'), heldShare: 1 },
      );
      expect(order).toEqual(['re-warm', 'run', 're-warm', 'run']);
      expect(timed.runs.map((run) => run.count)).toEqual([2, 2]);
    } finally {
      await measuring.close();
    }
  });

  it('a shared resource opens once across runs and closes with the session, as do both connections', async () => {
    const log: RunLog = { accounting: [], opened: 0, closed: 0 };
    const measuring = session();
    let measured: Db | undefined;
    const result = await endOfChild(measuring, { strategy: 'fake' }, async () => {
      const { db } = await measuring.connect();
      measured = db;
      await warmUp(measuring, db, fakeRun(log));
      const timed = await timedRuns(measuring, db, fakeRun(log), (values) => ({ count: values.length }));
      expect(log).toMatchObject({ opened: 1, closed: 0 });
      return { type: 'result' as const, runs: timed.runs.length };
    });
    expect(result).toEqual({ type: 'result', runs: 3 });
    expect(log).toMatchObject({ opened: 1, closed: 1 });
    await expect(ping(measured!)).rejects.toThrow(/must be connected/);
    await expect(ping(measuring.accountingClient.db(dbName))).rejects.toThrow(/must be connected/);
  });

  it('the end of a child: a MeasureSkipped run is skipped, an error its first line with the documents seen; the session closes either way', async () => {
    const skippedLog: RunLog = { accounting: [], opened: 0, closed: 0 };
    const skipping = session();
    const skipped = await endOfChild(skipping, { variant: 'mongoose' }, async () => {
      const { db } = await skipping.connect();
      await warmUp(
        skipping,
        db,
        fakeRun(skippedLog, () => new MeasureSkipped('mongoose is not installed')),
      );
      return { type: 'result' as const };
    });
    expect(skipped).toEqual({ type: 'skipped', variant: 'mongoose', reason: 'mongoose is not installed' });
    expect(skippedLog).toMatchObject({ opened: 1, closed: 1 });

    const failedLog: RunLog = { accounting: [], opened: 0, closed: 0 };
    const failing = session();
    const failed = await endOfChild(failing, { strategy: 'naive' }, async () => {
      const { db } = await failing.connect();
      await timedRuns(
        failing,
        db,
        fakeRun(failedLog, () => new Error('cursor killed\n    at Connection.onMessage')),
        () => ({}),
      );
      return { type: 'result' as const };
    });
    expect(failed).toEqual({ type: 'error', strategy: 'naive', message: 'cursor killed', docsBeforeError: ITEMS });
    expect(failedLog).toMatchObject({ opened: 1, closed: 1 });
  });

  it('probe runs: the peak point acts once; the headroom check refuses near the heap limit, with a note', async () => {
    let calls = 0;
    const peak = firstPeak(async () => void calls++);
    expect(peak.reached()).toBe(false);
    await peak.atPeak();
    await peak.atPeak();
    expect([calls, peak.reached()]).toEqual([1, true]);

    const measuring = session();
    try {
      const roomy = probeHeadroom(measuring, 0);
      expect(roomy.mayCollect).toBe(true);
      expect(roomy.limitBytes).toBeGreaterThan(0);
      expect(measuring.notes.size).toBe(0);
      expect(probeHeadroom(measuring, roomy.limitBytes).mayCollect).toBe(false);
      expect([...measuring.notes]).toEqual([
        expect.stringMatching(/^live heap at peak not measured: the measured runs peaked at 100 % of the \d+ MB heap limit/),
      ]);
    } finally {
      await measuring.close();
    }
  });

  it('a settled reading is the lowest of its readings by the weight asked for', async () => {
    const weights: number[] = [];
    const lowest = await lowestSettled(4, (usage) => {
      weights.push(usage.heapUsed + usage.external);
      return usage.heapUsed + usage.external;
    });
    expect(lowest.heapUsed + lowest.external).toBe(Math.min(...weights));
  });
});

describe('the session in a real measuring child (node --expose-gc, the core runner)', () => {
  const child = (mode: 'result' | 'error') =>
    runMeasuredChild(
      new URL('../helpers/session-child.mjs', import.meta.url),
      { uri: testMongoUri(), dbName, runs: 2, warmupRuns: 1, samplerIntervalMs: 2, collection: 'items', mode },
      { maxOldSpaceSizeMB: null, timeoutMs: 60_000 },
    );

  it('one message: replies counted once, the timed runs, a settled live heap at the peak point', async () => {
    const outcome = await child('result');
    expect(outcome.kind).toBe('message');
    if (outcome.kind !== 'message') return;
    const message = outcome.message as unknown as Record<string, unknown>;
    expect(message).toMatchObject({ type: 'result', docsReceived: ITEMS, largestBatchDocs: 100, lastCount: ITEMS, notes: [] });
    expect(message.spawnMs).toBeGreaterThan(0);
    expect(message.connectMs).toBeGreaterThan(0);
    expect(message.runs).toEqual(
      [0, 1].map(() => ({
        durationMs: expect.any(Number),
        peakHeapBytes: expect.any(Number),
        loop: expect.objectContaining({ blockedMs: expect.any(Number), cpuMs: expect.any(Number), resolutionMs: 2 }),
        count: ITEMS,
      })),
    );
    expect(Number.isFinite(message.liveAtPeakBytes)).toBe(true);
    expect(outcome.exitCode).toBe(0);
  });

  it('an error in a run: its first line and the documents seen, and the child still ends on its own', async () => {
    const outcome = await child('error');
    expect(outcome).toMatchObject({
      kind: 'message',
      exitCode: 0,
      message: { type: 'error', strategy: 'fake', message: `fake strategy failed after ${ITEMS} documents`, docsBeforeError: ITEMS },
    });
  });
});
