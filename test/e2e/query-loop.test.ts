import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult, VariantOutcome } from '../../src/results/query.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName } from '../helpers/mongo.js';

/**
 * The event loop through `imdiag query` (src/core/measure/loop.ts, src/engines/query/loop-predict.ts):
 * Mongoose's hydration is one block that grows with the documents, a cursor's block is one batch's,
 * and --fail-on judges the predicted block. Two runs on one seeded collection of 10,000 small documents.
 */
const DB = uniqueDbName('q_loop');
let client: MongoClient;
let small: { code: number | null; result: QueryResult };
let whole: { code: number | null; result: QueryResult };

const args = (sample: number, failOn: string) => [
  'query',
  '--uri',
  testMongoUri(),
  '--db',
  DB,
  '--collection',
  'events',
  '--filter',
  '{}',
  '--variants',
  'mongoose,stream',
  '--batch-size',
  '100',
  '--sample',
  String(sample),
  '--runs',
  '1',
  '--fail-on',
  failOn,
  '--fail-on-variant',
  'mongoose',
  '--json',
];

const ok = (result: QueryResult, name: string) => {
  const outcome = result.queries[0]!.variants.find((v) => v.name === name) as VariantOutcome;
  if (outcome.status !== 'ok') throw new Error(`${name}: ${outcome.status}`);
  return outcome;
};

beforeAll(async () => {
  client = new MongoClient(testMongoUri());
  await client.connect();
  const events = client.db(DB).collection('events');
  await events.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ seq: i, kind: `k${i % 7}`, at: new Date(1_600_000_000_000 + i), tags: ['a', 'b'] })));
  const run = async (sample: number, failOn: string) => {
    const cli = await runCli(args(sample, failOn), { timeoutMs: 180_000 });
    return { code: cli.code, result: JSON.parse(cli.stdout) as QueryResult };
  };
  small = await run(1_000, 'blocked>1ms');
  whole = await run(10_000, 'blocked>1h');
}, 400_000);

afterAll(async () => {
  await client?.db(DB).dropDatabase();
  await client?.close();
});

describe('imdiag query: the event loop per variant', () => {
  it("mongoose's block is its whole-result hydration: it grows from 1,000 to 10,000 documents", () => {
    const at1k = ok(small.result, 'mongoose');
    const at10k = ok(whole.result, 'mongoose');
    expect(at10k.loopPrediction).toMatchObject({ blocking: 'whole-result', measuredWhole: true, docs: 10_000 });
    expect(at1k.loopPrediction).toMatchObject({ blocking: 'whole-result', measuredWhole: false, docs: 10_000 });
    expect(at10k.measurement.loop!.split.hydrationMs).toBeGreaterThan(0);
    // At the CPU each block had, as the prediction counts it: on a busy machine a 1,000-document block's gap is mostly other processes' turn.
    const work = (loop: NonNullable<typeof at1k.measurement.loop>) => Math.min(...loop.runs.map((run) => Math.min(run.blockedMs, run.blockedCpuMs)));
    // Ten times the documents, about four times the block on idle cores (83–135 ms against 14–26): 1,000 documents'
    // block also decodes their one batch and pays the query's fixed work, and a sample starts with a half-full young
    // generation (settle.ts, halfFillYoung). Twice is what load has left of it (91 ms against 38).
    expect(work(at10k.measurement.loop!)).toBeGreaterThan(2 * work(at1k.measurement.loop!));
    // The sample of 1,000 and its half were both timed: the prediction has its two sizes.
    expect(at1k.measurement.loopHalf?.docs).toBe(500);
    expect(at1k.measurement.loop!.cpuMs).toBeGreaterThan(0);
  });

  it("stream's block stays one batch of --batch-size documents, whatever it reads", () => {
    const stream = ok(whole.result, 'stream');
    const mongoose = ok(whole.result, 'mongoose');
    expect(stream.loopPrediction).toMatchObject({ blocking: 'per-batch', batchDocs: 100 });
    expect(stream.measurement.loop!.blockedMs).toBeLessThan(mongoose.measurement.loop!.blockedMs / 3);
    expect(ok(small.result, 'stream').loopPrediction).toMatchObject({ blocking: 'per-batch', batchDocs: 100 });
  });

  it("--fail-on 'blocked>1ms' fails (exit 1), 'blocked>1h' passes (exit 0)", () => {
    expect(small.code).toBe(1);
    expect(small.result.failOn).toEqual([expect.objectContaining({ condition: 'blocked>1ms', held: true })]);
    expect(whole.code).toBe(0);
    expect(whole.result.failOn).toEqual([expect.objectContaining({ condition: 'blocked>1h', held: false })]);
    expect(whole.result.verdict.text).toMatch(/ Event loop: mongoose blocks it for [\d.,]+ m?s at once for 10,000 documents/);
  });
});
