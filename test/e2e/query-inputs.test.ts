import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Long, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { QueryResult } from '../../src/results/query.js';
import { runCli } from '../helpers/cli.js';

const DB = 'q_shell_syntax';
const DOCS = 40;
let client: MongoClient;
const ids: ObjectId[] = [];

beforeAll(async () => {
  client = new MongoClient(inject('mongoUri'));
  await client.connect();
  const collection = client.db(DB).collection('typed');
  await collection.drop().catch(() => undefined);
  const docs = Array.from({ length: DOCS }, (_, i) => ({
    _id: new ObjectId(),
    userId: `user-${i % 4}`,
    at: new Date(Date.UTC(2017, 6 + (i % 12), 1)),
    n: Long.fromNumber(i % 7),
    body: `message ${i}`.padEnd(200, '.'),
  }));
  ids.push(...docs.filter((_, i) => i % 2 === 0).map((doc) => doc._id));
  await collection.insertMany(docs);
}, 60_000);

afterAll(async () => {
  await client?.db(DB).dropDatabase();
  await client?.close();
});

const query = (args: string[]) => runCli(['query', '--uri', inject('mongoUri'), '--db', DB, '--collection', 'typed', ...args], { timeoutMs: 240_000 });

describe('imdiag query: values pasted from mongosh keep their types in every variant’s process', () => {
  it('ObjectId(…), ISODate(…) and NumberLong(…) give the same documents as their Extended JSON form, in every variant', async () => {
    const typed = { _id: { $in: ids }, at: { $gte: new Date('2018-01-01T00:00:00Z') }, n: { $gte: Long.fromNumber(2) } };
    const expected = await client.db(DB).collection('typed').countDocuments(typed);
    expect(expected).toBeGreaterThan(3);
    const list = (make: (id: ObjectId) => string) => ids.map(make).join(', ');
    const shell = `{_id: {$in: [${list((id) => `ObjectId('${id.toHexString()}')`)}]},\n at: {$gte: ISODate("2018-01-01")}, // pasted from mongosh\n n: {$gte: NumberLong(2)}}`;
    const ejson = JSON.stringify({
      _id: { $in: ids.map((id) => ({ $oid: id.toHexString() })) },
      at: { $gte: { $date: '2018-01-01T00:00:00Z' } },
      n: { $gte: { $numberLong: '2' } },
    });
    for (const [form, filter, sort] of [
      ['mongosh', shell, '{at: -1}'],
      ['Extended JSON', ejson, '{"at": -1}'],
    ] as const) {
      const run = await query(['--filter', filter, '--sort', sort, '--suggest-projection', 'at', '--sample', '1000', '--runs', '1', '--json']);
      expect(run.code, `${form}: ${run.stderr}`).toBe(0);
      const [measured] = (JSON.parse(run.stdout) as QueryResult).queries;
      expect(measured!.count, form).toBe(expected);
      expect(measured!.variants.map((v) => v.name)).toEqual(['driver', 'stream', 'mongoose', 'lean', 'raw', 'projection']);
      for (const outcome of measured!.variants) {
        expect(outcome.status, `${form}, ${outcome.name}: ${'reason' in outcome ? outcome.reason : ''}`).toBe('ok');
        if (outcome.status === 'ok') expect(outcome.measurement.docs, `${form}, ${outcome.name}'s child`).toBe(expected);
      }
    }
  }, 400_000);

  it("code in a pasted filter is refused before any work: exit 2, one line with the user's line and column", async () => {
    const run = await query(['--filter', "{userId: 'user-1',\n  n: process.exit(3)}"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^imdiag: --filter: at line 2, column 6: process is not allowed/);
    const syntax = await query(['--filter', "{userId: 'user-1'\n  n: 1}"]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/^imdiag: --filter: invalid syntax at line 2, column 3: unexpected token/);
  }, 120_000);
});

describe('imdiag query on the embedded mongod: a --data-dir without a dataset', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'imdiag-query-datadir-'));
  const embedded = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['query', '--collection', 'msgs', ...args], { env: { IMDIAG_MONGODB_URI: undefined, ...env }, timeoutMs: 60_000 });

  it('a mistyped --data-dir: exit 2 naming it and the seed command to run; nothing is created', async () => {
    const typo = join(scratch, 'mongdb', 'data');
    const run = await embedded(['--data-dir', typo, '--db', 'app']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      `imdiag: --data-dir ${typo}: no imdiag dataset there (the directory does not exist); load one with \`imdiag seed --data-dir ${typo} --db app\``,
    );
    expect(existsSync(join(scratch, 'mongdb'))).toBe(false);
  }, 90_000);

  it('an empty directory stays empty; the default data directory is named as such', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const run = await embedded(['--data-dir', empty]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no imdiag dataset there \(the directory is empty\); load one with `imdiag seed --data-dir \S+empty`/);
    expect(readdirSync(empty)).toEqual([]);
    const cache = join(scratch, 'cache');
    const byDefault = await embedded([], { XDG_CACHE_HOME: cache });
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain(
      `imdiag: no imdiag dataset in the embedded MongoDB's data directory ${join(cache, 'imdiag', 'mongodb')} (the directory does not exist); load one with \`imdiag seed\``,
    );
    expect(existsSync(cache)).toBe(false);
  }, 90_000);
});
