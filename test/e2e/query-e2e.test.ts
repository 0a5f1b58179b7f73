import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from '../../src/results/query.js';
import { runCli } from '../helpers/cli.js';
import { runWithTtyStderr, screenLines } from '../helpers/pty.js';
import { startOwnServer, type OwnServer } from '../helpers/standin.js';
import { seedTiny } from '../helpers/unread-data.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-query-e2e-'));
const DB = 'q_tiny';
const BIG = 'q_big';
let server: OwnServer;
let client: MongoClient;

beforeAll(async () => {
  // --slowms 0: every operation is a "Slow query" line on stdout, the log --from-log reads.
  server = await startOwnServer(join(dir, 'mongod.log'), ['--slowms', '0']);
  await seedTiny(server.uri, DB);
  client = new MongoClient(server.uri);
  await client.connect();
  // 10,000 documents of ~8 KB: ~80 MB of strings once materialised, past a 48 MB heap cap; as raw
  // Buffers they are outside the heap, whose share (one Buffer object a document) stays well under it.
  const big = client.db(BIG).collection('events');
  for (let batch = 0; batch < 10; batch++) {
    await big.insertMany(Array.from({ length: 1000 }, (_, i) => ({ userId: `u-${i % 3}`, seq: batch * 1000 + i, body: `${batch}-${i}-`.padEnd(8000, 'x') })));
  }
}, 120_000);

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const query = (args: string[], timeoutMs = 120_000) => runCli(['query', '--uri', server.uri, ...args], { timeoutMs });
const json = (stdout: string) => JSON.parse(stdout) as QueryResult;
const variant = (result: QueryResult, name: string, at = 0) => result.queries[at]!.variants.find((v) => v.name === name)!;

describe('imdiag query end to end (stand-in)', () => {
  it('--filter: every variant measured on a sample, predicted for the whole result; raw holds Buffers outside the heap', async () => {
    const expected = await client.db(DB).collection('readMsgs').countDocuments({ userId: 'user-001' });
    const run = await query([
      '--db',
      DB,
      '--collection',
      'readMsgs',
      '--filter',
      '{"userId":"user-001"}',
      '--suggest-projection',
      'msgId',
      '--sample',
      '60',
      '--runs',
      '1',
      '--json',
    ]);
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
    // Not a terminal: one line per variant, no status line.
    expect(run.stderr).not.toMatch(/elapsed|\r/);
    const result = json(run.stdout);
    expect(result.command).toBe('query');
    const [measured] = result.queries;
    expect(measured).toMatchObject({ mode: 'find', count: expected, sampleDocs: 60, server: { explained: true } });
    expect(expected).toBeGreaterThan(60);
    expect(measured!.variants.map((v) => [v.name, v.status])).toEqual(
      ['driver', 'stream', 'mongoose', 'lean', 'raw', 'projection'].map((name) => [name, 'ok']),
    );
    for (const outcome of measured!.variants) {
      if (outcome.status !== 'ok') continue;
      expect(outcome.measurement.docs, outcome.name).toBe(60);
      expect(outcome.prediction!.liveBytes, outcome.name).toBeGreaterThan(0);
    }
    const raw = variant(result, 'raw');
    expect(raw.status === 'ok' && raw.measurement.live!.externalBytes).toBeGreaterThan(0);
    const mongoose = variant(result, 'mongoose');
    expect(mongoose.status === 'ok' && mongoose.schema).toMatchObject({
      source: 'inferred',
      paths: { userId: 'String', msgId: 'ObjectId', readDateTime: 'Date' },
    });
    expect(result.verdict.lines.some((line) => /^raw: .*a heap cap does not limit them/.test(line))).toBe(true);
    expect(result.failOn).toEqual([]);
    // A sample of 60 holds a few KB: it is read held 8 times at once, well above the heap's noise.
    const driver = variant(result, 'driver');
    expect(driver.status === 'ok' && driver.measurement.live!.copies).toBe(8);
    // stream held the sample's one batch of 60: too few to carry to the whole result's batch.
    const stream = variant(result, 'stream');
    expect(stream.status === 'ok' && stream.measurement.batchDocs).toBe(60);
    expect(measured!.batch).toBeNull();
    expect(measured!.notes.join(' ')).toMatch(/stream held a batch of only 60 documents/);
  }, 120_000);

  it("stream holds one getMore batch (16 MiB of 8 KB documents): the driver's batch is measured and counted in driver's cap verdict", async () => {
    const run = await query(['--db', BIG, '--collection', 'events', '--sample', '3000', '--variants', 'driver,stream', '--runs', '1', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    const [measured] = result.queries;
    const stream = variant(result, 'stream');
    const driver = variant(result, 'driver');
    if (stream.status !== 'ok' || driver.status !== 'ok') throw new Error(`stream ${stream.status}, driver ${driver.status}`);
    // ~8,030 B of BSON a document: a 16 MiB reply holds ~2,089; the sample's first getMore is one.
    const perReply = Math.floor((16 * 1024 * 1024) / (stream.measurement.bsonBytes / stream.measurement.docs));
    expect(stream.measurement.batchDocs).toBeGreaterThan(perReply - 20);
    expect(stream.measurement.batchDocs).toBeLessThanOrEqual(perReply);
    expect(measured!.batch!.docsPerBatch).toBe(perReply);
    // The batch holds its BSON (a Buffer) and a parse state on the heap for each of its documents.
    expect(measured!.batch!.bytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(measured!.batch!.heapBytes).toBeGreaterThan(0);
    const headroom = result.options.heapLimitBytes - driver.measurement.heapBeforeBytes - measured!.batch!.heapBytes - driver.prediction!.heapBytes;
    expect(driver.cap).toEqual(headroom > 0 ? { fits: true, headroomBytes: headroom } : expect.objectContaining({ fits: false }));
    expect(result.verdict.lines.find((line) => line.startsWith('stream:'))).toMatch(/one batch of ~?[\d,]+ documents held/);
  });

  it('--aggregate @file: the pipeline with a $limit after its last stage; Mongoose variants do not apply', async () => {
    const file = join(dir, 'pipeline.json');
    writeFileSync(file, JSON.stringify([{ $match: { userId: 'user-001' } }, { $project: { _id: 0, msgId: 1 } }]));
    const run = await query(['--db', DB, '--collection', 'readMsgs', '--aggregate', `@${file}`, '--sample', '40', '--runs', '1', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.queries[0]).toMatchObject({ mode: 'aggregate', countSource: 'aggregate', sampleDocs: 40 });
    expect(result.queries[0]!.variants.map((v) => [v.name, v.status])).toEqual([
      ['driver', 'ok'],
      ['stream', 'ok'],
      ['raw', 'ok'],
    ]);
  });

  it('--distinct: the values measured whole; the variants that do not read values are skipped with the reason', async () => {
    const run = await query(['--db', DB, '--collection', 'readMsgs', '--distinct', 'msgId', '--filter', "{userId: 'user-001'}", '--runs', '1', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    const expected = (await client.db(DB).collection('readMsgs').distinct('msgId', { userId: 'user-001' })).length;
    expect(result.queries[0]).toMatchObject({ mode: 'distinct', count: expected, sampleDocs: null });
    expect(result.queries[0]!.variants.map((v) => [v.name, v.status])).toEqual([
      ['driver', 'ok'],
      ['stream', 'skipped'],
      ['mongoose', 'skipped'],
      ['lean', 'skipped'],
      ['raw', 'skipped'],
    ]);
    // Measured on what distinct returns: the values, whole, never scaled from one reply to the count.
    expect(variant(result, 'driver')).toMatchObject({ status: 'ok', measurement: { docs: expected }, prediction: { docs: expected, measuredWhole: true } });
    expect(variant(result, 'mongoose')).toMatchObject({ reason: expect.stringMatching(/find results only/) });
    expect(variant(result, 'raw')).toMatchObject({ reason: expect.stringMatching(/^distinct\(\) has no raw form/) });
    const driverLine = result.verdict.lines.find((line) => line.startsWith('driver:'));
    expect(driverLine).toMatch(new RegExp(`^driver: [\\d.]+ [KM]B live for ${expected.toLocaleString('en-US')} values, [\\d,]+ B/value`));
  });

  it('--group-by userId: the heavy user first, the top values predicted', async () => {
    const run = await query([
      '--db',
      DB,
      '--collection',
      'readMsgs',
      '--group-by',
      'userId',
      '--top',
      '3',
      '--variants',
      'driver',
      '--sample',
      '50',
      '--runs',
      '1',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.groupBy!.values.map((v) => v.value)[0]).toBe('user-001');
    expect(result.groupBy!.values).toHaveLength(3);
    expect(result.groupBy!.values[0]!.docs).toBeGreaterThan(result.groupBy!.values[1]!.docs);
    expect(result.groupBy!.values[0]!.predicted[0]).toMatchObject({ variant: 'driver', fits: true });
    expect(result.queries[0]!.query).toContain('"userId":"user-001"');
  });

  it('--from-profile after turning the profiler on: the heaviest shape is measured; with the profiler off it says how to turn it on', async () => {
    const db = client.db(DB);
    await db.command({ profile: 2 });
    await db.collection('readMsgs').find({ userId: 'user-001' }).toArray();
    await db.collection('readMsgs').find({ userId: 'user-002' }).toArray();
    await db.collection('msgs').find({ topicId: 'nope' }).toArray();
    await db.command({ profile: 0 });
    const run = await query(['--db', DB, '--from-profile', '--top', '1', '--variants', 'driver', '--sample', '50', '--runs', '1', '--json']);
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.recorded!.source).toBe('profile');
    expect(result.recorded!.shapes[0]).toMatchObject({ shape: 'readMsgs find {"userId":"?"}', executions: 2, measured: true });
    expect(result.queries).toHaveLength(1);
    expect(result.queries[0]!.query).toContain('user-001');

    const off = await query(['--db', BIG, '--from-profile']);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/system\.profile has no entries \(the profiler is off\); turn it on with db\.setProfilingLevel\(1/);
  });

  it('--from-log on the log captured from the server: slow queries ranked, the heaviest measured', async () => {
    await client.db(DB).collection('readMsgs').find({ userId: 'user-001' }, { batchSize: 10 }).toArray();
    const logFile = join(dir, 'captured.log');
    writeFileSync(logFile, readFileSync(server.logFile));
    const run = await query(['--db', DB, '--from-log', logFile, '--top', '1', '--variants', 'driver', '--sample', '50', '--runs', '1', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.recorded).toMatchObject({ source: 'log', shapes: expect.any(Array) });
    expect(result.recorded!.slowQueryLines).toBeGreaterThan(3);
    expect(result.recorded!.shapes[0]).toMatchObject({ collection: 'readMsgs', measured: true });
    expect(result.queries[0]!.variants[0]).toMatchObject({ name: 'driver', status: 'ok' });
  });

  it('--full under a small cap: driver predicted and replayed as an OOM; raw survives (Buffers are outside the heap); on a terminal, a status line', async () => {
    const run = await runWithTtyStderr(
      [
        'query',
        '--uri',
        server.uri,
        '--db',
        BIG,
        '--collection',
        'events',
        '--full',
        '--max-old-space-size',
        '48',
        '--variants',
        'driver,raw',
        '--sample',
        '300',
        '--runs',
        '1',
        '--json',
      ],
      { timeoutMs: 180_000 },
    );
    expect(run.stderr).not.toMatch(/unexpected/);
    const status = screenLines(run.stderr).filter((line) => / · \d+:\d\d elapsed · /.test(line));
    for (const [queue, phases] of [
      ['query 1/2 driver', ['warm-up', 'run', 'probe 1/3']],
      ['query 2/2 raw', ['warm-up', 'run', 'probe 1/3']],
      ['query --full 1/2 driver', ['run']],
      ['query --full 2/2 raw', ['run', 'probe']],
    ] as const)
      for (const phase of phases)
        expect(
          status.some((line) => line.startsWith(`${queue}: ${phase} · `)),
          `${queue}: ${phase}`,
        ).toBe(true);
    const result = json(run.stdout);
    const driver = variant(result, 'driver');
    expect(driver.status).toBe('ok');
    if (driver.status !== 'ok') return;
    expect(driver.cap).toMatchObject({ fits: false });
    expect(driver.replay).toMatchObject({ status: 'oom', reason: expect.stringMatching(/^OOM after ~[\d,]+ documents/) });
    const raw = variant(result, 'raw');
    expect(raw.replay).toMatchObject({ status: 'ok', docs: 10_000 });
    expect(run.code).toBe(0);
  }, 180_000);

  it('--full is refused over --max-heap', async () => {
    const run = await query(['--db', BIG, '--collection', 'events', '--full', '--max-heap', '1mb', '--variants', 'driver', '--sample', '100', '--runs', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--full refused: driver is predicted to hold ~[\d.]+ MB live .* over --max-heap 1 MB .* raise --max-heap/);
  });

  it('--fail-on: exit 1 with the figure when the prediction crosses it, 0 when not; the report renders again', async () => {
    const base = ['--db', DB, '--collection', 'readMsgs', '--filter', '{"userId":"user-001"}', '--variants', 'driver', '--sample', '50', '--runs', '1'];
    const failed = await query([...base, '--fail-on', 'live>1kb', '--report', join(dir, 'q.json')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/--fail-on live>1kb: driver live [\d.]+ [KM]B > 1\.0 KB/);
    const passed = await query([...base, '--fail-on', 'live>10gb,oom']);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/--fail-on live>10gb: passed/);
    const again = await runCli(['report', join(dir, 'q.json'), '--out', join(dir, 'q.html')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'q.html'), 'utf8')).toContain('data-chart="predicted-1"');
  });

  it("--model: the team's model on a read-only connection: no index built, no collection created", async () => {
    const db = client.db(DB);
    const indexesBefore = (await db.collection('readMsgs').indexes()).map((index) => index.name).sort();
    const collectionsBefore = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    const model = fileURLToPath(new URL('../helpers/read-msg-model.mjs', import.meta.url));
    const run = await query([
      '--db',
      DB,
      '--collection',
      'readMsgs',
      '--filter',
      '{"userId":"user-002"}',
      '--model',
      model,
      '--variants',
      'mongoose,lean',
      '--sample',
      '30',
      '--runs',
      '1',
      '--json',
    ]);
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    const mongoose = variant(result, 'mongoose');
    expect(mongoose.status).toBe('ok');
    expect(mongoose.status === 'ok' && mongoose.schema).toMatchObject({
      source: 'model',
      paths: { userId: 'String', msgId: 'ObjectId', readDateTime: 'Date' },
    });
    expect((await db.collection('readMsgs').indexes()).map((index) => index.name).sort()).toEqual(indexesBefore);
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()).toEqual(collectionsBefore);
  });

  it('an unknown collection or field says so (exit 2)', async () => {
    const collection = await query(['--db', DB, '--collection', 'readMsg']);
    expect(collection.code).toBe(2);
    expect(collection.stderr).toMatch(/--collection: no collection 'readMsg' in database 'q_tiny'; it has .*readMsgs/);
    const group = await query(['--db', DB, '--collection', 'readMsgs', '--group-by', 'usrId']);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/--group-by: no document in readMsgs has a field 'usrId'/);
    const filter = await query(['--db', DB, '--collection', 'readMsgs', '--filter', '{"usrId":"user-001"}']);
    expect(filter.code).toBe(2);
    expect(filter.stderr).toMatch(/--filter: no document in readMsgs has a field 'usrId', so the filter matches nothing/);
  });

  it('an unreachable server is a clear error within seconds', async () => {
    const started = Date.now();
    const run = await runCli(['query', '--uri', 'mongodb://127.0.0.1:1', '--collection', 'readMsgs'], { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1 within 5 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
