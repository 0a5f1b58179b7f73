import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReportOptions } from '../../src/commands/report/options.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { FIXTURES, fixture } from '../helpers/report-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imdiag-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validateReportOptions', () => {
  it('without --out: print the saved result as its command printed it', () => {
    expect(validateReportOptions('r.json', {}, '/work')).toEqual({ input: 'r.json', inputPath: '/work/r.json', wide: false });
    expect(validateReportOptions('r.json', { wide: true }, '/work')).toEqual({ input: 'r.json', inputPath: '/work/r.json', wide: true });
  });

  it.each([
    ['r.json', { out: 'r.md' }, { format: 'md', redact: true }],
    ['r.json', { out: 'R.HTML', redact: false }, { format: 'html', redact: false }],
    ['r.json', { out: 'copy.json' }, { format: 'json', redact: true }],
  ] as const)('%s %j', (input, raw, expected) => {
    expect(validateReportOptions(input, raw, '/work')).toMatchObject({ ...expected, inputPath: `/work/${input}`, outPath: `/work/${raw.out}` });
  });

  it.each([
    ['r.json', { out: ' ' }, /^--out needs the report file to write/],
    ['r.json', { out: 'r.pdf' }, /^--out must name a file ending in \.md, \.html or \.json, got 'r\.pdf'$/],
    ['r.json', { out: 'r' }, /^--out must name a file ending in/],
    ['r.json', { out: './r.json' }, /^--out must not be the result file itself \(r\.json\)/],
  ] as const)('%s %j is refused', (input, raw, message) => {
    expect(() => validateReportOptions(input, raw, '/work')).toThrow(message);
  });
});

describe('imdiag report (end to end)', () => {
  it.each([
    ['compare-unread', 'html', /^<!doctype html>/],
    ['flood', 'md', /^# imdiag flood: /],
    ['seed', 'json', /^\{\n {2}"schemaVersion": 1,/],
  ] as const)('renders a saved %s result as .%s', async (command, format, start) => {
    const out = join(dir, `${command}.${format}`);
    const run = await runCli(['report', FIXTURES[command].pathname, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${command} report written to ${out} (${format}, ${(await readFile(out)).length.toLocaleString('en-US')} bytes)\n`);
    expect(await readFile(out, 'utf8')).toMatch(start);
  });

  it('redacts credentials and hostnames unless --no-redact', async () => {
    const result = fixture('compare-unread');
    result.argv = ['imdiag', 'compare-unread', '--uri', 'mongodb://ops:pa55@mongo-7.corp.example:27017/'];
    result.environment.hostname = 'runner-7f3a';
    result.environment.mongo!.uri = 'mongodb://mongo-7.corp.example:27017/';
    const input = join(dir, 'leaky.json');
    await writeFile(input, JSON.stringify(result));
    expect((await runCli(['report', input, '--out', join(dir, 'leaky.md')])).code).toBe(0);
    const redacted = await readFile(join(dir, 'leaky.md'), 'utf8');
    expect(redacted).not.toMatch(/pa55|mongo-7\.corp|runner-7f3a/);
    expect(redacted).toContain('mongodb://***@<host>:27017/');
    expect((await runCli(['report', input, '--out', join(dir, 'kept.html'), '--no-redact'])).code).toBe(0);
    const kept = await readFile(join(dir, 'kept.html'), 'utf8');
    expect(kept).toContain('mongo-7.corp.example');
    expect(kept).toContain('runner-7f3a');
  });

  async function saved(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it.each([
    ['missing.json', null, 'cannot read {file}: no such file'],
    ['broken.json', '{"schemaVersion": 1, "command": ', '{file} is not valid JSON ('],
    ['array.json', '[1, 2]', '{file} is not an imdiag result: expected a JSON object, got an array'],
    ['old.json', JSON.stringify({ ...fixture('seed'), schemaVersion: 0 }), '{file} has result schemaVersion 0; this imdiag reads schemaVersion 1'],
    [
      'future.json',
      JSON.stringify({ ...fixture('seed'), command: 'bench' }),
      '{file} is a result of unknown command "bench"; expected one of seed, compare-unread, flood',
    ],
    [
      'partial.json',
      JSON.stringify({ ...fixture('flood'), runs: [{ strategy: 'interval' }] }),
      '{file} is not a complete flood result: runs[0].outcome should be a string, got nothing (missing)',
    ],
  ])('%s: one line naming the file, exit 2', async (name, text, message) => {
    const input = text === null ? join(dir, name) : await saved(name, text);
    const run = await runCli(['report', input, '--out', join(dir, 'never.md')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`imdiag: ${message.replace('{file}', input)}`);
  });

  it('prints the saved result without --out; exits 2 on a missing result argument, and never overwrites the result file', async () => {
    const input = await saved('keep.json', JSON.stringify(fixture('seed')));
    const noOut = await runCli(['report', input]);
    expect([noOut.code, noOut.stderr]).toEqual([0, '']);
    expect(noOut.stdout).toMatch(/^imdiag seed · profile tiny/);
    const noInput = await runCli(['report']);
    expect([noInput.code, noInput.stderr]).toEqual([2, "imdiag: missing required argument 'result'\n"]);
    const link = join(dir, 'keep-link.json');
    await symlink(input, link);
    for (const out of [input, link]) {
      const run = await runCli(['report', input, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^imdiag: --out .*is the result file itself|^imdiag: --out must not be the result file itself/);
    }
    expect(JSON.parse(await readFile(input, 'utf8'))).toEqual(fixture('seed'));
    const nowhere = join(dir, 'no-such-dir', 'r.md');
    const unwritable = await runCli(['report', input, '--out', nowhere]);
    expect([unwritable.code, unwritable.stderr]).toEqual([2, `imdiag: cannot write the report to ${nowhere}: its directory does not exist\n`]);
  });
});

describe('--report on a command', () => {
  it('seed --report x.md and x.html write reports of the run', async () => {
    const db = uniqueDbName('report');
    const md = join(dir, 'seeded.md');
    const html = join(dir, 'seeded.html');
    const base = ['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--anchor', '2018-08-10'];
    try {
      const first = await runCli([...base, '--report', md]);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`report written to ${md}`);
      const text = await readFile(md, 'utf8');
      expect(text).toMatch(/^# imdiag seed: tiny dataset in report_/);
      const reproduce = /```sh\n(.*)\n```/.exec(text)?.[1];
      expect(reproduce).toBe(
        `npx imdiag seed --profile tiny --uri 'mongodb://<host>:${new URL(testMongoUri()).port}/' --db ${db} --anchor 2018-08-10 --report ${md}`,
      );
      const second = await runCli([...base, '--drop', '--report', html, '--json']);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout).command).toBe('seed');
      expect(await readFile(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<section id="collections">/);
    } finally {
      await withClient((client) => client.db(db).dropDatabase());
    }
  });
});
