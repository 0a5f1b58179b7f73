import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from '../../src/results/query.js';
import { runCli } from '../helpers/cli.js';
import { startOwnServer, type OwnServer } from '../helpers/standin.js';

const DB = 'q_populate';
const MODEL = fileURLToPath(new URL('../helpers/receipt-model.mjs', import.meta.url));
const NO_MONGOOSE = fileURLToPath(new URL('../helpers/no-mongoose.mjs', import.meta.url));
let server: OwnServer;

// 40 msgs; 300 receipts, receipt i points at msg i % 40: user u-0 (even i) has 150 receipts over 20 distinct msgs.
beforeAll(async () => {
  server = await startOwnServer(join(mkdtempSync(join(tmpdir(), 'imdiag-populate-e2e-')), 'mongod.log'));
  const client = await MongoClient.connect(server.uri);
  const db = client.db(DB);
  const msgs = Array.from({ length: 40 }, (_, i) => ({
    _id: new ObjectId(),
    topicId: `t-${i % 5}`,
    body: `message ${i} `.padEnd(200, 'x'),
    sentAt: new Date(1.7e12 + i),
  }));
  await db.collection('msgs').insertMany(msgs);
  await db
    .collection('receipts')
    .insertMany(Array.from({ length: 300 }, (_, i) => ({ userId: `u-${i % 2}`, msgId: msgs[i % 40]!._id, readDateTime: new Date(1.7e12 + i) })));
  await client.close();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const query = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['query', '--uri', server.uri, '--db', DB, '--collection', 'receipts', '--filter', '{"userId":"u-0"}', ...args], { timeoutMs: 120_000, env });

describe('imdiag query --populate end to end (stand-in)', () => {
  it("--model's ref: counts exactly Mongoose's follow-up queries and their ids, sample and whole result", async () => {
    const run = await query(['--model', MODEL, '--populate', 'msgId', '--variants', 'lean+populate', '--sample', '60', '--runs', '1', '--json']);
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as QueryResult;
    expect(result.options.populate).toEqual([{ path: 'msgId', collection: 'msgs', ref: 'Msg' }]);
    const outcome = result.queries[0]!.variants.find((v) => v.name === 'lean+populate')!;
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    // The sample's 60 receipts (i = 0, 2, …, 118) point at the 20 even msgs: one find, a $in of 20 ids.
    expect(outcome.populate!.sample).toEqual([
      expect.objectContaining({ path: 'msgId', collection: 'msgs', parents: 60, distinctIds: 20, queries: 1, idsTotal: 20, idsMax: 20 }),
    ]);
    expect(outcome.populate!.sample[0]!.server).toMatchObject({ planSummary: 'IXSCAN { _id: 1 }', keysExamined: 20, nReturned: 20 });
    expect(outcome.populate!.paths).toEqual([
      { path: 'msgId', collection: 'msgs', parents: 150, distinctIds: 20, references: 150, split: false, queries: 1, idsPerQuery: 20, referencedDocsHeld: 20 },
    ]);
    expect(outcome.prediction!.docs).toBe(150);
    expect(result.verdict.text).toMatch(
      /If only the referenced documents are needed: msgs\.find\(\{_id: \{\$in: distinct\('msgId'\)\}\}\)\.lean\(\) — 2 queries/,
    );
  });

  it('a path that is not in the model, or not a ref, is exit 2 naming it', async () => {
    const missing = await query(['--model', MODEL, '--populate', 'msgID']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^imdiag: --populate: msgID is not a path of --model's schema \(it has userId, msgId, readDateTime\)/);
    const notRef = await query(['--model', MODEL, '--populate', 'readDateTime']);
    expect(notRef.code).toBe(2);
    expect(notRef.stderr).toMatch(/^imdiag: --populate: readDateTime is not a ref in --model's schema \(Date without ref\)/);
    const noField = await query(['--populate', 'msgID:msgs']);
    expect(noField.code).toBe(2);
    expect(noField.stderr).toMatch(/^imdiag: --populate: msgID: no document in receipts has a field 'msgID'/);
  });

  it('without Mongoose installed: says how to install it (exit 2)', async () => {
    const run = await query(['--populate', 'msgId:msgs'], { NODE_OPTIONS: `--import=${NO_MONGOOSE}` });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^imdiag: --populate: needs Mongoose, which is not installed \(an optional dependency of imdiag\): npm install mongoose/);
  });
});
