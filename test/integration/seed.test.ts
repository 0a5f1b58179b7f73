import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/lib/run-context.js';
import { seed, validateSeedOptions } from '../../src/commands/seed/handler.js';
import { seedInto } from '../../src/engines/seed/run.js';
import { UsageError } from '../../src/lib/errors.js';
import { readMark } from '../../src/lib/mongo/ownership.js';
import { openTarget } from '../../src/lib/mongo/target.js';
import { silentReporter } from '../../src/lib/progress.js';
import { plainStyle } from '../../src/lib/style.js';
import { renderSeed } from '../../src/report/seed/terminal.js';
import type { SeedResult } from '../../src/results/seed.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';

const ctx = (): RunContext => ({ reporter: silentReporter, argv: ['imdiag', 'seed'], startedAt: new Date(), signal: new AbortController().signal });
const tinyOptions = (db: string, extra: Record<string, unknown> = {}) =>
  validateSeedOptions({ profile: 'tiny', anchor: '2018-08-10', uri: testMongoUri(), db, ...extra }, {});

describe('seed through --uri', () => {
  it('seeds tiny, records the dataset in the mark, refuses a second seed without --drop and replaces it with --drop', async () => {
    const db = uniqueDbName('seed');
    const result = await seed(tinyOptions(db), ctx());
    expect(result.problems).toEqual([]);
    expect(result.database.claim).toBe('created');
    expect(result.load.complete).toBe(true);
    expect(result.heavyUser.unreadMsgs).toBeGreaterThan(0);
    expect(result.heavyUser.duplicationFactor).toBeGreaterThan(1);
    await withClient(async (client) => {
      const database = client.db(db);
      const byName = Object.fromEntries(result.collections.map((summary) => [summary.name, summary.documents]));
      expect(await database.collection('readMsgs').countDocuments()).toBe(byName.readMsgs);
      expect(await database.collection('readMsgs').countDocuments({ userId: result.dataset.heavyUserId })).toBe(result.heavyUser.receipts);
      expect(await database.collection('msgs').countDocuments({ receivers: result.dataset.heavyUserId })).toBe(result.heavyUser.receivedMsgs);
      const inWindow = { userId: result.dataset.heavyUserId, readDateTime: { $gt: new Date(result.dataset.windowStart) } };
      expect((await database.collection('readMsgs').distinct('msgId', inWindow)).length).toBe(result.heavyUser.distinctMsgsInWindow);
      expect((await database.collection('msgs').listIndexes().toArray()).map((index) => index.name)).toContain('receivers_1');
      const mark = await readMark(database);
      expect(mark?.dataset).toMatchObject({ profile: 'tiny', seed: result.dataset.seed, anchor: '2018-08-10T00:00:00.000Z', heavyUserId: 'user-001' });
    });

    await expect(seed(tinyOptions(db), ctx())).rejects.toThrow(UsageError);
    await expect(seed(tinyOptions(db), ctx())).rejects.toThrow(/already holds an imdiag dataset .*pass --drop/);
    const again = await seed(tinyOptions(db, { drop: true }), ctx());
    expect(again.database.claim).toBe('recreated');
    expect(again.collections).toEqual(result.collections);
    expect(again.heavyUser).toEqual(result.heavyUser);
    await withClient((client) => client.db(db).dropDatabase());
  });

  it('refuses a database imdiag did not create and leaves it untouched', async () => {
    const db = uniqueDbName('foreign');
    await withClient((client) => client.db(db).collection('orders').insertOne({ precious: true }));
    for (const drop of [false, true]) await expect(seed(tinyOptions(db, { drop }), ctx())).rejects.toThrow(/did not create/);
    await withClient(async (client) => {
      expect(await client.db(db).listCollections().toArray()).toHaveLength(1);
      await client.db(db).dropDatabase();
    });
  });

  it('seeds into an already-open target (what compare-unread uses to seed demo first)', async () => {
    const options = tinyOptions(uniqueDbName('into'));
    const target = await openTarget(options.target);
    try {
      const result = await seedInto(target, options, ctx());
      expect(result.problems).toEqual([]);
      expect(await target.db.collection('readCursors').countDocuments()).toBeGreaterThan(0);
      await target.db.dropDatabase();
    } finally {
      await target.close();
    }
  });
});

describe('seed stopped by Ctrl-C', () => {
  it('returns an incomplete result with a problem and records no dataset, so the next seed needs no --drop', async () => {
    const options = tinyOptions(uniqueDbName('abort'));
    const target = await openTarget(options.target);
    try {
      const abort = new AbortController();
      abort.abort();
      const result = await seedInto(target, options, { ...ctx(), signal: abort.signal });
      expect(result.body.load.complete).toBe(false);
      expect(result.problems.join()).toMatch(/incomplete, re-run with --drop/);
      expect((await readMark(target.db))?.dataset).toBeUndefined();
      expect((await seedInto(target, options, ctx())).problems).toEqual([]);
      await target.db.dropDatabase();
    } finally {
      await target.close();
    }
  });
});

describe('seed on the embedded default', () => {
  it('seeds tiny into a persistent --data-dir that a later run still sees', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'imdiag-seed-'));
    try {
      const options = validateSeedOptions({ profile: 'tiny', dataDir }, {});
      const result = await seed(options, ctx());
      expect(result.environment.mongo?.embedded).toBe(true);
      expect(result.problems).toEqual([]);
      const target = await openTarget(options.target);
      try {
        expect((await readMark(target.db))?.dataset).toMatchObject({ profile: 'tiny' });
        expect(await target.db.collection('msgs').countDocuments()).toBeGreaterThan(0);
      } finally {
        await target.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('renderSeed', () => {
  it('lays out the collections and the heavy user next to the post-mortem, without colour codes', async () => {
    const result = JSON.parse(await readFile(new URL('../../fixtures/seed-result.json', import.meta.url), 'utf8')) as SeedResult;
    const text = renderSeed(result, plainStyle);
    expect(text).toMatch(/imdiag seed · profile tiny · seed 20180810/);
    expect(text).toMatch(/│ readMsgs +│ [\d,]+ +│/);
    expect(text).toMatch(/receipts in the last 6 months +│ [\d,]+ +│ ~440k/);
    expect(text).toMatch(/duplication factor +│ [\d.]+× /);
    expect(text).not.toMatch(/\x1b\[/);
  });
});

describe('imdiag seed (end to end)', () => {
  it('prints the result as JSON with --json and exits 0', async () => {
    const db = uniqueDbName('e2e');
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--anchor', '2018-08-10', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as SeedResult;
    expect(result.command).toBe('seed');
    expect(result.dataset.anchor).toBe('2018-08-10T00:00:00.000Z');
    const text = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--drop']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/The heavy user user-001/);
    await withClient((client) => client.db(db).dropDatabase());
  });

  it.each([
    [['--scale', '0'], '--scale'],
    [['--profile', 'huge'], '--profile'],
    [['--anchor', 'soon'], '--anchor'],
    [['--bogus'], '--bogus'],
  ])('exits 2 with one line naming the flag for %j', async (args, flag) => {
    const run = await runCli(['seed', ...args, '--uri', 'mongodb://127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(flag);
  });

  it('fails with exit 1 within seconds when the server is unreachable', async () => {
    const started = Date.now();
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', 'mongodb://127.0.0.1:1/?directConnection=true']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^imdiag: cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
