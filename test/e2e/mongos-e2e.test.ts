import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainStrategy, type PlannedQuery } from '../../src/core/measure/explain.js';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';
import type { QueryResult, ServerSide } from '../../src/results/query.js';
import type { ServerWork } from '../../src/results/server-work.js';
import { runCli } from '../helpers/cli.js';
import { startOwnServer, type OwnServer } from '../helpers/standin.js';
import { seedTiny } from '../helpers/unread-data.js';

/**
 * The same data behind a plain test MongoDB and behind one answering as a mongos over one shard
 * (`--emulateMongos`: mongos's explain layout, the totals repeated at three levels): every server
 * figure imdiag reports must be the same through both, the mongos run adding only its per-shard rows.
 * The data is seeded once, saved (--dbpath, SIGINT), and each server starts on its own copy.
 */
const dir = mkdtempSync(join(tmpdir(), 'imdiag-mongos-e2e-'));
const DB = 'mongos_tiny';
let plain: OwnServer;
let mongos: OwnServer;

beforeAll(async () => {
  const seeded = await startOwnServer(join(dir, 'seed.log'), ['--dbpath', join(dir, 'plain')]);
  await seedTiny(seeded.uri, DB);
  await seeded.stop();
  cpSync(join(dir, 'plain'), join(dir, 'mongos'), { recursive: true });
  [plain, mongos] = await Promise.all([
    startOwnServer(join(dir, 'plain.log'), ['--dbpath', join(dir, 'plain')]),
    startOwnServer(join(dir, 'mongos.log'), ['--dbpath', join(dir, 'mongos'), '--emulateMongos']),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), mongos?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const LISTSHARDS_NOTE = "this server does not answer listShards: the cluster's shard count is unknown";

async function bothJson<T>(args: string[], timeoutMs = 180_000): Promise<[T, T]> {
  const runs = [];
  // One after the other: two measuring runs at once would disturb each other.
  for (const server of [plain, mongos]) runs.push(await runCli([...args, '--uri', server.uri, '--db', DB, '--json'], { timeoutMs }));
  for (const run of runs) {
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
  }
  return runs.map((run) => JSON.parse(run.stdout) as T) as [T, T];
}

/** The query's server side through the mongos: its figures equal the plain server's, and its one shard did all the work. */
function expectSameServerSide(direct: ServerSide, routed: ServerSide): void {
  const { cluster, ...figures } = routed;
  expect(figures).toEqual(direct);
  expect(direct.explained && direct.keysExamined).toBeGreaterThan(0);
  expect(cluster).toMatchObject({ clusterShards: null, clusterShardsNote: LISTSHARDS_NOTE, shardKey: null, finding: null });
  expect(cluster!.shards.map((s) => [s.shard, s.keysExamined, s.docsExamined, s.returned])).toEqual([
    ['shard0', direct.keysExamined, direct.docsExamined, direct.nReturned],
  ]);
}

function expectSameServerWork(direct: ServerWork, routed: ServerWork, name: string): void {
  const { shards, queries, ...totals } = routed;
  const { queries: directQueries, ...directTotals } = direct;
  expect(totals, name).toEqual(directTotals);
  expect(
    queries.map(({ cluster: _cluster, layout, ...figures }) => ({ ...figures, layout: layout?.replace(/^mongos/, 'server') })),
    name,
  ).toEqual(directQueries);
  expect(
    shards?.map((s) => [s.shard, s.keysExamined, s.docsExamined, s.returned]),
    name,
  ).toEqual([['shard0', direct.keysExamined, direct.docsExamined, direct.docsReturned]]);
}

describe('the same server work through a mongos as on the server itself (stand-in --emulateMongos)', () => {
  it('query --filter (find): the same figures; the terminal shows the shard', async () => {
    const args = ['query', '--collection', 'readMsgs', '--filter', '{"userId":"user-001"}', '--variants', 'driver', '--sample', '60', '--runs', '1'];
    const [direct, routed] = await bothJson<QueryResult>(args);
    expect(routed.environment.mongo?.topology).toBe('mongos');
    expectSameServerSide(direct.queries[0]!.server, routed.queries[0]!.server);
    expect(routed.queries[0]!.server.cluster!.stage).toBe('SINGLE_SHARD');
    const text = await runCli([...args, '--uri', mongos.uri, '--db', DB], { timeoutMs: 120_000 });
    expect(text.stdout).toMatch(/^ {2}through mongos: reached 1 shard \(this server does not answer listShards.*\) · SINGLE_SHARD$/m);
    expect(text.stdout).toMatch(/^ {4}shard0: keys examined 3,179, docs examined 3,179, returned 3,179, time /m);
  }, 300_000);

  it('query --aggregate and --distinct: the same figures', async () => {
    const pipeline = '[{"$match":{"userId":"user-001"}},{"$lookup":{"from":"msgs","localField":"msgId","foreignField":"_id","as":"msg"}}]';
    const [direct, routed] = await bothJson<QueryResult>([
      'query',
      '--collection',
      'readMsgs',
      '--aggregate',
      pipeline,
      '--variants',
      'driver',
      '--sample',
      '60',
      '--runs',
      '1',
    ]);
    expectSameServerSide(direct.queries[0]!.server, routed.queries[0]!.server);
    expect(routed.queries[0]!.server.cluster!.stage).toBe('aggregate');
    const [values, routedValues] = await bothJson<QueryResult>([
      'query',
      '--collection',
      'readMsgs',
      '--distinct',
      'msgId',
      '--filter',
      '{"userId":"user-002"}',
      '--runs',
      '1',
    ]);
    expectSameServerSide(values.queries[0]!.server, routedValues.queries[0]!.server);
  }, 300_000);

  it('query --group-by keeps exact per-value totals', async () => {
    const [direct, routed] = await bothJson<QueryResult>([
      'query',
      '--collection',
      'readMsgs',
      '--group-by',
      'userId',
      '--top',
      '5',
      '--variants',
      'driver',
      '--sample',
      '60',
      '--runs',
      '1',
    ]);
    expect(routed.groupBy!.values.map((v) => [v.value, v.docs, v.bsonBytes])).toEqual(direct.groupBy!.values.map((v) => [v.value, v.docs, v.bsonBytes]));
    expect(direct.groupBy!.values[0]).toMatchObject({ value: 'user-001', docs: 3179 });
    expectSameServerSide(direct.queries[0]!.server, routed.queries[0]!.server);
  }, 300_000);

  it('compare-unread: every strategy’s server work is the same, with its one shard’s rows', async () => {
    const args = ['compare-unread', '--quick', '--strategies', 'naive,distinct,aggregate,cursor'];
    const [direct, routed] = await bothJson<CompareUnreadResult>(args, 300_000);
    expect(routed.strategies.map((s) => [s.name, s.status])).toEqual(direct.strategies.map((s) => [s.name, s.status]));
    for (const [index, strategy] of direct.strategies.entries()) {
      expect(strategy.server?.explained, strategy.name).toBe(true);
      expectSameServerWork(strategy.server!, routed.strategies[index]!.server!, strategy.name);
    }
  }, 400_000);

  it('find, count, distinct and aggregate explained through the mongos read as on the server', async () => {
    const queries: PlannedQuery[] = [
      { collection: 'readMsgs', operation: 'find', filter: { userId: 'user-004' } },
      { collection: 'readMsgs', operation: 'count', filter: { userId: 'user-004' } },
      { collection: 'msgs', operation: 'distinct', key: 'topicId', filter: { receivers: 'user-004' } },
      { collection: 'msgs', operation: 'aggregate', pipeline: [{ $match: { receivers: 'user-004' } }, { $group: { _id: '$topicId', n: { $sum: 1 } } }] },
    ];
    const [direct, routed] = await Promise.all(
      [plain, mongos].map(async (server) => {
        const client = await MongoClient.connect(server.uri);
        try {
          return await explainStrategy(client.db(DB), queries);
        } finally {
          await client.close();
        }
      }),
    );
    expect(direct!.queries.map((q) => q.layout)).toEqual(['server', 'server', 'server', 'server-aggregate']);
    expect(routed!.queries.map((q) => q.layout)).toEqual(['mongos', 'mongos', 'mongos', 'mongos-aggregate']);
    expect(direct!.queries.every((q) => q.keysExamined! > 0)).toBe(true);
    expectSameServerWork(direct!, routed!, 'explainStrategy');
  });
});
