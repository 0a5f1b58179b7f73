import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/lib/run-context.js';
import { validateSeedOptions } from '../../src/commands/seed/handler.js';
import { seedInto } from '../../src/engines/seed/run.js';
import { openTarget } from '../../src/lib/mongo/target.js';
import { silentReporter } from '../../src/lib/progress.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';

const ctx = (signal = new AbortController().signal): RunContext => ({ reporter: silentReporter, argv: ['imdiag', 'seed'], startedAt: new Date(), signal });
const tinyOptions = (db: string, extra: Record<string, unknown> = {}) =>
  validateSeedOptions({ profile: 'tiny', anchor: '2018-08-10', uri: testMongoUri(), db, ...extra }, {});

async function seedTinyEngine(db: string, signal?: AbortSignal): Promise<void> {
  const options = tinyOptions(db);
  const target = await openTarget(options.target);
  try {
    await seedInto(target, options, ctx(signal));
  } finally {
    await target.close();
  }
}

describe('compare-unread on a dataset that is not what it claims', () => {
  it('refuses a seed that was stopped before it finished: exit 2, one line, `seed --drop`', async () => {
    const db = uniqueDbName('half');
    const abort = new AbortController();
    abort.abort('SIGINT');
    await seedTinyEngine(db, abort.signal);
    const run = await runCli(['compare-unread', '--quick', '--uri', testMongoUri(), '--db', db]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`--db ${db} holds an incomplete dataset: an earlier seed did not finish.*imdiag seed --drop`));
    expect(run.stdout).toBe('');
    await withClient((client) => client.db(db).dropDatabase());
  });

  it('refuses a dataset holding fewer documents than its seed recorded', async () => {
    const db = uniqueDbName('short');
    await seedTinyEngine(db);
    await withClient((client) => client.db(db).collection('readCursors').deleteMany({}));
    const run = await runCli(['compare-unread', '--quick', '--uri', testMongoUri(), '--db', db]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/holds an incomplete dataset \(readCursors holds 0 of [\d,]+ documents.*imdiag seed --drop/);
    await withClient((client) => client.db(db).dropDatabase());
  });
});

describe('seed --drop', () => {
  it('refuses an imdiag database where a person added a collection, names it, and drops nothing', async () => {
    const db = uniqueDbName('added');
    await seedTinyEngine(db);
    await withClient(async (client) => {
      await client.db(db).collection('customers').insertOne({ name: 'precious' });
    });
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--drop']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^imdiag: --drop: --db \S+ also holds collections imdiag did not create \(customers\); imdiag drops only its own/);
    await withClient(async (client) => {
      expect(await client.db(db).collection('customers').countDocuments()).toBe(1);
      expect(await client.db(db).collection('readMsgs').countDocuments()).toBeGreaterThan(0);
      await client.db(db).dropDatabase();
    });
  });

  it("does not count MongoDB's own system.* collections (system.profile) as foreign", async () => {
    const db = uniqueDbName('profiled');
    await seedTinyEngine(db);
    await withClient(async (client) => {
      await client.db(db).command({ profile: 2 });
      await client.db(db).collection('msgs').findOne({});
      await client.db(db).command({ profile: 0 });
      expect((await client.db(db).listCollections({ name: 'system.profile' }).toArray()).length).toBe(1);
    });
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--drop', '--anchor', '2018-08-10']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await withClient((client) => client.db(db).dropDatabase());
  });
});
