import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSeedOptions } from '../../src/commands/seed/options.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';

/** Bad input that used to reach a stack: each is now one line naming the flag, through the real bin/imdiag.js. */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'imdiag-bad-input-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr.trim()).toMatch(pattern);
}

describe("--uri values the driver rejects after imdiag's own check", () => {
  it.each([
    ['mongodb://127.0.0.1:99999', /--uri 'mongodb:\/\/127\.0\.0\.1:99999' is not a connection string the MongoDB driver accepts/],
    ['mongodb://127.0.0.1/?frob=1', /option frob is not supported/],
    ['mongodb://user:p@ss@127.0.0.1/', /--uri 'mongodb:\/\/\*\*\*@127\.0\.0\.1\/'/],
    ['mongodb://user:pa:ss@127.0.0.1/', /unescaped/],
    ['mongodb://user:%ZZ@127.0.0.1/', /--uri 'mongodb:\/\/\*\*\*@127\.0\.0\.1\/'/],
    ['mongodb://127.0.0.1/?authMechanism=BOGUS', /authMechanism/],
  ])('%s: exit 2, one line naming --uri, credentials redacted', async (uri, pattern) => {
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', uri]);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --uri /);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/p@ss|pa:ss|%ZZ/);
  });
});

describe('--report into a place it cannot be written', () => {
  it('is refused before any work (seed writes nothing to the database)', async () => {
    const db = uniqueDbName('report_ro');
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--report', '/sys/imdiag-report.json']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --report \/sys\/imdiag-report\.json is not writable by this user; pass a writable place$/);
    await withClient(async (client) => expect(await client.db(db).listCollections().toArray()).toEqual([]));
  });

  it('names a report path that is a directory', async () => {
    const dir = join(scratch, 'taken.json');
    await mkdir(dir);
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--report', dir]);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /--report .*taken\.json exists and is not a regular file/);
  });
});

describe('--anchor', () => {
  it('refuses a date that is not in the calendar (2018-02-30 would roll over to March 2nd)', async () => {
    const run = await runCli(['seed', '--anchor', '2018-02-30']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --anchor must be a date .* got '2018-02-30'$/);
    for (const bad of ['2018-13-01', '2018-04-31T00:00:00Z', '2017-02-29']) expect(() => validateSeedOptions({ anchor: bad }, {})).toThrow(/--anchor/);
    expect(validateSeedOptions({ anchor: '2016-02-29' }, {}).anchor.toISOString()).toBe('2016-02-29T00:00:00.000Z');
  });
});

describe('--heapdump', () => {
  it("a directory under /proc is refused at once (Node's recursive mkdir spins there)", async () => {
    const run = await runCli(['compare-unread', '--quick', '--uri', testMongoUri(), '--db', uniqueDbName('hd'), '--heapdump', '/proc/nonexistent/x'], {
      timeoutMs: 20_000,
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --heapdump \/proc\/nonexistent\/x cannot be created there; pass a writable place$/);
  });

  it('a path through a file is refused', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'x');
    const run = await runCli(['compare-unread', '--quick', '--uri', testMongoUri(), '--heapdump', join(file, 'dumps')]);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /--heapdump must name a directory, but .*a-file is a file/);
  });
});

describe('--data-dir that cannot hold a data directory', () => {
  it('a file: one line, exit 2', async () => {
    const file = join(scratch, 'data-file');
    await writeFile(file, 'x');
    const run = await runCli(['seed', '--profile', 'tiny', '--data-dir', file]);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --data-dir .*data-file: .*is a file, not a directory; pass a directory$/);
  });

  it('an unwritable place: one line, exit 2, not "in use by another run"', async () => {
    const run = await runCli(['seed', '--profile', 'tiny', '--data-dir', '/sys/imdiag-data']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^imdiag: --data-dir \/sys\/imdiag-data (is not writable by this user|cannot be created there|is on a read-only file system)/);
  });
});

describe('a server that refuses the credentials', () => {
  it('says "authentication failed for <redacted uri>", not "cannot reach", and never prints the password', async () => {
    const uri = testMongoUri().replace('mongodb://', 'mongodb://reporter:hunter2@');
    const run = await runCli(['seed', '--profile', 'tiny', '--uri', uri]);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /^imdiag: authentication failed for mongodb:\/\/\*\*\*@127\.0\.0\.1:\d+\/: /);
    expect(run.stderr).not.toMatch(/hunter2|cannot reach/);
  });
});

describe('no command', () => {
  it('prints the usage and exits 2, like any usage error', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: imdiag/);
  });

  it('suggests the nearest command for a typo', async () => {
    const run = await runCli(['compare-unred']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'compare-unred'\n\(Did you mean compare-unread\?\)/);
  });
});
