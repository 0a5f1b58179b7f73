import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowStart } from '../../src/core/webim/profiles.js';
import { STRATEGIES } from '../../src/engines/compare-unread/strategies/index.js';
import type { Probe, StrategyContext, StrategyDetails } from '../../src/engines/compare-unread/strategies/types.js';
import { STRATEGY_NAMES } from '../../src/results/compare-unread.js';
import { testMongoUri, uniqueDbName } from '../helpers/mongo.js';
import { independentUnread, seedTiny, TINY_ANCHOR } from '../helpers/unread-data.js';

const dbName = uniqueDbName('unread_strategies');
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  await seedTiny(testMongoUri(), dbName);
  client = await MongoClient.connect(testMongoUri());
  db = client.db(dbName);
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

function inProcessContext(
  userId: string,
  resources: Map<string, unknown>,
  closers: Array<() => Promise<void>>,
): StrategyContext & { details: StrategyDetails } {
  const probe: Probe = { docs: () => undefined, sample: () => undefined };
  return {
    db,
    uri: testMongoUri(),
    dbName,
    userId,
    windowStart: windowStart(new Date(`${TINY_ANCHOR}T00:00:00Z`), 6),
    bloomFalsePositiveRate: 0.01,
    probe,
    atPeak: async () => undefined,
    details: {},
    accounting: false,
    watch: () => undefined,
    note: () => undefined,
    mark: () => undefined,
    shared: async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>) => {
      if (!resources.has(key)) {
        const value = await open();
        resources.set(key, value);
        closers.push(() => close(value));
      }
      return resources.get(key) as T;
    },
  };
}

describe('unread strategies on the tiny dataset', () => {
  // user-001 (the heavy user) has unread messages; user-003 has none: both answers must come out exactly.
  for (const [userId, hasUnread] of [
    ['user-001', true],
    ['user-003', false],
  ] as const) {
    it(`every strategy returns the independently computed unread set of ${userId}`, async () => {
      const expected = await independentUnread(db, userId);
      expect(expected.length > 0).toBe(hasUnread);
      const resources = new Map<string, unknown>();
      const closers: Array<() => Promise<void>> = [];
      try {
        for (const name of STRATEGY_NAMES) {
          const ctx = inProcessContext(userId, resources, closers);
          const got = [...(await STRATEGIES[name].run(ctx))].sort();
          if (name === 'bloom') {
            // Never an id that is not unread; at most a few hidden by false positives.
            expect(
              got.every((id) => expected.includes(id)),
              name,
            ).toBe(true);
            expect(expected.length - got.length, name).toBeLessThanOrEqual(1);
            expect(ctx.details.bloom?.hashes, name).toBeGreaterThan(0);
          } else {
            expect(got, name).toEqual(expected);
          }
          if (name === 'distinct') expect(ctx.details.distinct).toEqual({ fallback: false });
        }
      } finally {
        for (const close of closers) await close();
      }
    });
  }

  it('the seed generator agrees: the heavy user has as many unread messages as seed tallied', async () => {
    const mark = await db.collection<{ dataset?: { heavyUser?: { unreadMsgs: number; userId: string } } }>('imdiag_meta').findOne({});
    const heavy = mark?.dataset?.heavyUser;
    expect(heavy?.userId).toBe('user-001');
    expect((await independentUnread(db, 'user-001')).length).toBe(heavy?.unreadMsgs);
  });

  it('every strategy declares the queries it sends, and explain reads the server work of each', async () => {
    const { explainStrategy } = await import('../../src/core/measure/explain.js');
    const params = { userId: 'user-001', windowStart: windowStart(new Date(`${TINY_ANCHOR}T00:00:00Z`), 6) };
    for (const name of STRATEGY_NAMES) {
      const work = await explainStrategy(db, await STRATEGIES[name].queries(params, db));
      expect(work.explained, name).toBe(true);
      expect(work.docsExamined, name).toBeGreaterThan(0);
    }
    const naive = await explainStrategy(db, await STRATEGIES.naive.queries(params, db));
    expect(naive.indexesUsed).toEqual(expect.arrayContaining(['receivers_1', 'userId_1_readDateTime_1']));
  });
});
