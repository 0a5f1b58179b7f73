import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRATEGY_NAMES, type CompareUnreadResult } from '../../src/results/compare-unread.js';
import { runCli } from '../helpers/cli.js';
import { runWithTtyStderr, screenLines } from '../helpers/pty.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { independentUnread, seedTiny } from '../helpers/unread-data.js';

const tinyDb = uniqueDbName('cu_e2e');
const oomDb = uniqueDbName('cu_oom');
const emptyDb = uniqueDbName('cu_empty');
/** Receipts of one user in the OOM database: as whole documents, well past a 16 MB heap. */
const OOM_RECEIPTS = 150_000;

beforeAll(async () => {
  await seedTiny(testMongoUri(), tinyDb);
  await withClient(async (client) => {
    const db = client.db(oomDb);
    const now = Date.now();
    const msgIds = Array.from({ length: 500 }, () => new ObjectId());
    await db.collection('msgs').insertMany(
      msgIds.map((_id, seq) => ({
        _id,
        topicId: 't-1',
        seq: seq + 1,
        sender: 'user-x',
        receivers: ['user-oom'],
        sentAt: new Date(now - 1000 * seq),
        body: 'hello',
      })),
    );
    for (let batch = 0; batch < OOM_RECEIPTS / 10_000; batch++) {
      await db.collection('readMsgs').insertMany(
        Array.from({ length: 10_000 }, (_, i) => ({
          userId: 'user-oom',
          msgId: msgIds[(batch * 10_000 + i) % 499]!,
          topicId: 't-1',
          readDateTime: new Date(now - i),
        })),
      );
    }
    await db.createCollection('readCursors');
    await db.collection('msgs').createIndex({ receivers: 1 });
    await db.collection('readMsgs').createIndex({ userId: 1, readDateTime: 1 });
  });
}, 120_000);

afterAll(async () => {
  await withClient(async (client) => {
    for (const name of [tinyDb, oomDb, emptyDb]) await client.db(name).dropDatabase();
  });
});

/** Keys and value types, arrays by their first element: what a report renderer relies on. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    // Lists of text (a strategy's notes) come and go with the machine's load ("the machine was busy"):
    // such a list's shape is not its length. A list of objects is the shape of its first.
    const first: unknown = value.find((item) => typeof item === 'object' && item !== null);
    return first === undefined ? 'list' : [shape(first)];
  }
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

describe('imdiag compare-unread end to end', () => {
  it('on a terminal: a status line with the strategy, its run, the elapsed time and what is left; gone at the end', async () => {
    // One cheap strategy: the status line is the parent's, whichever strategy the child runs.
    const run = await runWithTtyStderr(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--quick', '--strategies', 'cursor', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'compare-unread' });
    const lines = screenLines(run.stderr);
    const status = lines.filter((line) => line.startsWith('compare-unread 1/1 cursor: '));
    for (const phase of ['starting', 'warm-up', 'run', 'probe', 'explain'])
      expect(
        status.some((line) => line.startsWith(`compare-unread 1/1 cursor: ${phase} · `)),
        phase,
      ).toBe(true);
    // After the warm-up the pace is known: an estimate, a figure or a range.
    expect(status.every((line) => /· \d+:\d\d elapsed · (~\d+:\d\d(–\d+:\d\d)? left|time left: known after the first run)$/.test(line))).toBe(true);
    expect(status.some((line) => / · ~\d+:\d\d(–\d+:\d\d)? left$/.test(line))).toBe(true);
    expect(lines.filter((line) => line.startsWith('compare-unread: '))).toEqual(['compare-unread: cursor (1/1) for user-001…']);
    // The line is cleared once the queue ends: the last thing on the terminal is not a stale status.
    expect(run.stderr).toMatch(/\x1b\[2K$/);
  });

  it('--json: every strategy agrees with the independent answer, one run each, and the shape matches the fixture', async () => {
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--quick', '--json'], { timeoutMs: 120_000 });
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
    // Not a terminal: one line per strategy, no status line.
    expect(run.stderr).not.toMatch(/elapsed|\r/);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('compare-unread: '))).toHaveLength(STRATEGY_NAMES.length);
    const result = JSON.parse(run.stdout) as CompareUnreadResult;
    const expected = await withClient((client) => independentUnread(client.db(tinyDb), 'user-001'));
    expect(result.command).toBe('compare-unread');
    expect(result.options).toMatchObject({ user: 'user-001', userSource: 'dataset-mark', runs: 1, windowAnchorSource: 'dataset', quick: true });
    expect(result.agreement).toMatchObject({ allAgree: true, unreadCount: expected.length });
    for (const outcome of result.strategies) {
      expect(outcome.status, outcome.name).toBe('ok');
      expect(outcome.measurement!.runs, outcome.name).toBe(1);
      expect(outcome.server?.explained, outcome.name).toBe(true);
      if (outcome.name !== 'bloom') expect(outcome.measurement!.unreadCount, outcome.name).toBe(expected.length);
    }
    expect(result.problems).toEqual([]);
    // Issue 10 case 19: projection-batched is projection with batchSize 1000, the same answer in replies cut at 1000 documents.
    expect(result.strategies.map((outcome) => outcome.name)).toEqual([...STRATEGY_NAMES]);
    expect(result.agreement.checks.find((check) => check.strategy === 'projection-batched')).toMatchObject({ agrees: true, missing: 0, extra: 0 });
    const measured = (name: string) => result.strategies.find((o) => o.name === name)!.measurement!;
    expect(measured('projection-batched').docsReceived).toBe(measured('projection').docsReceived);
    expect(measured('projection-batched').largestBatchDocs).toBe(1000);
    // user-001's receipts in the window, past the 101 of the first batch, all in one getMore.
    expect(measured('projection').largestBatchDocs).toBe(result.dataset.user.receiptsInWindow - 101);
    // What each strategy holds at its peak, after a full GC: whole documents > ids only > one id per message.
    for (const outcome of result.strategies) expect(outcome.measurement!.liveAtPeakBytes, outcome.name).not.toBeNull();
    const live = (name: string) => result.strategies.find((o) => o.name === name)!.measurement!.liveAtPeakBytes!;
    expect(live('naive')).toBeGreaterThan(live('projection'));
    expect(live('projection')).toBeGreaterThan(live('distinct'));

    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/compare-unread.json', import.meta.url), 'utf8')) as CompareUnreadResult;
    const { strategies: freshStrategies, dataset: freshDataset, ...fresh } = result;
    const { strategies: fixtureStrategies, dataset: fixtureDataset, ...fixed } = fixture;
    expect(shape(fresh)).toEqual(shape(fixed));
    expect(shape({ ...freshDataset, recorded: null })).toEqual(shape({ ...fixtureDataset, recorded: null }));
    const ok = (list: CompareUnreadResult['strategies'], name: string) => list.find((o) => o.name === name)!;
    for (const name of ['naive', 'distinct', 'bloom']) {
      const { heapSnapshot: _a, ...freshOutcome } = ok(freshStrategies, name);
      const { heapSnapshot: _b, ...fixtureOutcome } = ok(fixtureStrategies, name);
      expect(shape(freshOutcome), name).toEqual(shape(fixtureOutcome));
    }
  }, 120_000);

  it('prints a plain table and the verdict without --json (no colour off a TTY)', async () => {
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--quick', '--strategies', 'window,cursor'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ window\s+│ ok/);
    expect(run.stdout).toMatch(/^window peaks at .*× the heap of cursor/m);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stderr).toMatch(/compare-unread: window \(1\/2\)/);
  }, 150_000);

  it('a child that runs out of heap under --max-old-space-size is a reported outcome, and imdiag exits cleanly', async () => {
    const run = await runCli(
      [
        'compare-unread',
        '--uri',
        testMongoUri(),
        '--db',
        oomDb,
        '--user',
        'user-oom',
        '--strategies',
        'naive,distinct',
        '--max-old-space-size',
        '32',
        '--quick',
        '--json',
      ],
      {
        timeoutMs: 120_000,
      },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CompareUnreadResult;
    const [naive, distinct] = result.strategies;
    expect(naive!.status).toBe('oom');
    expect(naive!.death!.summary).toMatch(/^OOM after ~[\d,]+ documents, heap \d+ MB at death$/);
    expect(naive!.death!.docsBeforeDeath).toBeGreaterThan(0);
    expect(distinct!.status).toBe('ok');
    expect(result.verdict.oom).toEqual(['naive']);
    expect(result.verdict.text).toMatch(/under a 32 MB cap naive OOMs/);
  });

  it('stops with a clear message when --uri has no WebIM collections', async () => {
    await withClient((client) => client.db(emptyDb).collection('other').insertOne({ x: 1 }));
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', emptyDb, '--quick']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/has no WebIM data \(missing msgs, readMsgs, readCursors\)/);
  });

  it('on the embedded default with no dataset yet, seeds demo first and says so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'imdiag-cu-embedded-'));
    try {
      const run = await runCli(['compare-unread', '--data-dir', dataDir, '--strategies', 'cursor', '--quick', '--json'], { timeoutMs: 120_000 });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/no dataset in the embedded MongoDB yet; seeding the demo profile first/);
      const result = JSON.parse(run.stdout) as CompareUnreadResult;
      expect(result.dataset.seededNow).toBe(true);
      expect(result.dataset.recorded).toMatchObject({ profile: 'demo', heavyUserId: 'user-001' });
      expect(result.strategies[0]).toMatchObject({ name: 'cursor', status: 'ok' });
      expect(result.environment.mongo?.embedded).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('--user with an unknown id is a usage error naming the flag', async () => {
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--user', 'nobody', '--quick']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^imdiag: --user 'nobody'/);
  });
});
