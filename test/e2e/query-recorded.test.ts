import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryVerdictLines } from '../../src/report/query/verdict.js';
import type { QueryResult } from '../../src/results/query.js';
import { runCli } from '../helpers/cli.js';
import { startOwnServer, type OwnServer } from '../helpers/standin.js';

/**
 * `query --from-log` on a log the test MongoDB wrote while a collection held 100× the documents
 * later measured ("production"), then measured against the smaller data ("the copy"): both
 * predictions, the per-cursor recorded sum, "at least" where a batch is missing, the verdict led by
 * the recorded size, --fail-on between the two sizes, skipped lines counted by reason.
 */
const dir = mkdtempSync(join(tmpdir(), 'imdiag-query-recorded-'));
const DB = 'app';
const PRODUCTION = 20_000;
const COPY = 200;
const BATCH = 900;
let server: OwnServer;
let client: MongoClient;
let log: string[] = [];

/** The server's log lines so far, once the line `done` says the last one is written (its stdout is piped to the file). */
async function logUntil(done: (line: string) => boolean): Promise<string[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const lines = readFileSync(server.logFile, 'utf8').split('\n');
    if (lines.some(done)) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not log the expected line');
}

const exhausted = (comment: string) => (line: string) => line.includes(`"comment":"${comment}"`) && line.includes('"cursorExhausted":true');

async function read(readMsgs: Collection, comment: string) {
  const docs = await readMsgs.find({ userId: 'user-001' }, { batchSize: BATCH, comment }).toArray();
  expect(docs).toHaveLength(PRODUCTION);
}

beforeAll(async () => {
  server = await startOwnServer(join(dir, 'mongod.log'));
  client = new MongoClient(server.uri);
  await client.connect();
  const db = client.db(DB);
  const readMsgs = db.collection('readMsgs');
  await readMsgs.insertMany(Array.from({ length: PRODUCTION }, (_, i) => ({ userId: 'user-001', seq: i, msgId: `m-${i}`.padEnd(24, '-') })));
  // Production's log as slowms leaves it: the first batch (the find) fast enough to be left out,
  // the getMores logged. A profile filter makes the stand-in's choice deterministic.
  await db.command({ profile: 0, filter: { op: 'getmore' } });
  await read(readMsgs, 'getmores-only');
  await logUntil(exhausted('getmores-only'));
  // Then every line of one cursor, its find included (slowms 0).
  await db.command({ profile: 0, filter: 'unset', slowms: 0 });
  await read(readMsgs, 'whole');
  log = await logUntil(exhausted('whole'));
  await db.command({ profile: 0, slowms: 100 });
  // The whole cursor's last line (cursorExhausted) dropped from the copied log by hand: its sum is "at least".
  log.splice(log.findLastIndex(exhausted('whole')), 1);
  // The copy --db points at: the same query shape, 100× fewer documents.
  await readMsgs.deleteMany({ seq: { $gte: COPY } });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const handAdded = [
  // Added by hand: a slow query of another database, a write of this one, a line cut short.
  '{"t":{"$date":"2026-12-01T10:00:00.000+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn9","msg":"Slow query","attr":{"type":"command","ns":"billing.invoices","command":{"find":"invoices","filter":{"accountId":"a-1"},"$db":"billing"},"nreturned":12,"reslen":4000,"durationMillis":140}}',
  '{"t":{"$date":"2026-12-01T10:00:01.000+00:00"},"s":"I","c":"WRITE","id":51803,"ctx":"conn9","msg":"Slow query","attr":{"type":"update","ns":"app.readMsgs","command":{"q":{"userId":"user-001"},"u":{"$set":{"read":true}},"multi":true},"nMatched":300,"nModified":300,"durationMillis":210}}',
  '{"t":{"$date":"2026-12-01T10:00:02.000+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn9","msg":"Slow qu',
];

function writeLog(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

const query = (file: string, extra: string[] = []) =>
  runCli(
    ['query', '--uri', server.uri, '--db', DB, '--from-log', file, '--top', '1', '--variants', 'driver', '--sample', '150', '--runs', '1', '--json', ...extra],
    {
      timeoutMs: 120_000,
    },
  );

describe('query --from-log at the recorded size (test-written log of a 100× collection)', () => {
  it('both predictions; the per-cursor sum, "at least" without the last line; the verdict leads with it; --fail-on between the two exits 1 and says which; skipped lines by reason', async () => {
    const run = await query(writeLog('production.log', [...log, ...handAdded]), ['--fail-on', 'live>1MB']);
    expect(run.stderr).not.toMatch(/unexpected/);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as QueryResult;
    const [measured] = result.queries;
    expect(measured!.count).toBe(COPY);
    // Two cursors, neither whole in the log: one without its find (the first batch), one without its last getMore.
    const recorded = PRODUCTION - (PRODUCTION % BATCH);
    expect(result.recorded!.shapes[0]!.recordedSize).toEqual({
      docs: recorded,
      bytes: expect.any(Number),
      atLeast: true,
      incompleteCursors: 2,
      withoutFirstBatch: 1,
    });
    const at = measured!.atRecorded!;
    expect(at).toMatchObject({ differs: true, ratio: recorded / COPY, unrepresentative: false });
    const driver = measured!.variants[0]!;
    const driverAt = at.variants.find((v) => v.name === 'driver')!;
    expect(driver.prediction!.liveBytes).toBeLessThan(1024 * 1024);
    expect(driverAt.prediction.liveBytes).toBeGreaterThan(1024 * 1024);
    expect(driverAt.prediction.docs).toBe(recorded);
    const docs = recorded.toLocaleString('en-US');
    expect(result.verdict.text).toMatch(
      new RegExp(`the slow-query log recorded at least ${docs} documents returned by this query; --db holds ${COPY}: at that size driver needs ~`),
    );
    expect(result.verdict.lines).toContain(`at the recorded size (at least ${docs} documents recorded for one result, 99× the ${COPY} --db holds):`);
    // The terminal's three verdict lines: the recorded size leads, and what to do is not cut; the copy's size is detail.
    const { summary, detail } = queryVerdictLines(result);
    expect(summary).toHaveLength(3);
    expect(summary[0]).toMatch(new RegExp(`^The slow-query log recorded at least ${docs} documents`));
    expect(summary[2]).toMatch(/^Use |is already the cheapest variant/);
    expect(detail[0]).toMatch(new RegExp(`live for ${COPY} documents`));
    expect(result.failOn[0]).toMatchObject({ condition: 'live>1MB', held: true });
    expect(result.failOn[0]!.detail).toContain(`(at the recorded size, at least ${docs} documents)`);
    expect(Object.fromEntries(result.recorded!.skipped.map((skip) => [skip.reason, [skip.count, skip.names]]))).toMatchObject({
      'other-database': [1, ['billing.invoices']],
      write: [expect.any(Number), expect.arrayContaining(['app.readMsgs'])],
      unparsable: [1, []],
    });
  });

  it('a log whose recorded size equals the data at hand: one prediction, no extra line', async () => {
    await client.db(DB).command({ profile: 0, slowms: 0 });
    const from = readFileSync(server.logFile, 'utf8').split('\n').length - 1;
    await client.db(DB).collection('readMsgs').find({ userId: 'user-001' }, { batchSize: 100, comment: 'copy' }).toArray();
    const lines = (await logUntil(exhausted('copy'))).slice(from);
    await client.db(DB).command({ profile: 0, slowms: 100 });
    const run = await query(writeLog('copy.log', lines));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as QueryResult;
    expect(result.recorded!.shapes[0]!.recordedSize).toMatchObject({ docs: COPY, atLeast: false });
    expect(result.queries[0]!.atRecorded).toMatchObject({ differs: false, variants: [] });
    expect(result.verdict.lines).toHaveLength(1);
    expect(result.verdict.text).not.toContain('recorded');
  });
});
