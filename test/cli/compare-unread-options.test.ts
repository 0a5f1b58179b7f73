import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCompareUnreadOptions, type RawCompareUnreadOptions } from '../../src/commands/compare-unread/options.js';
import { UsageError } from '../../src/lib/errors.js';
import { STRATEGY_NAMES } from '../../src/results/compare-unread.js';
import { runCli } from '../helpers/cli.js';

const env = {};
const THIS_FILE = fileURLToPath(import.meta.url);
const now = new Date('2026-11-21T12:00:00Z');
const parse = (raw: RawCompareUnreadOptions) => validateCompareUnreadOptions(raw, env, now);

describe('validateCompareUnreadOptions: flags → options', () => {
  const cases: Array<[string, RawCompareUnreadOptions, Record<string, unknown>]> = [
    [
      'defaults',
      {},
      {
        user: 'heaviest',
        strategies: [...STRATEGY_NAMES],
        runs: 3,
        warmupRuns: 1,
        windowMonths: 6,
        maxOldSpaceSizeMB: null,
        heapdumpDir: null,
        quick: false,
        bloomFalsePositiveRate: 0.01,
      },
    ],
    ['--user user-007', { user: 'user-007' }, { user: 'user-007' }],
    ['--strategies naive,cursor,naive', { strategies: 'naive,cursor,naive' }, { strategies: ['naive', 'cursor'] }],
    ['--runs 10', { runs: '10' }, { runs: 10 }],
    ['--quick', { quick: true }, { quick: true, runs: 1 }],
    ['--quick --runs 1', { quick: true, runs: '1' }, { runs: 1 }],
    ['--window 12', { window: '12' }, { windowMonths: 12 }],
    ['--window 3months', { window: '3months' }, { windowMonths: 3 }],
    ['--window 9mo', { window: '9mo' }, { windowMonths: 9 }],
    ['--max-old-space-size 1536', { maxOldSpaceSize: '1536' }, { maxOldSpaceSizeMB: 1536 }],
    ['--heapdump /tmp/snaps', { heapdump: '/tmp/snaps' }, { heapdumpDir: '/tmp/snaps' }],
    ['--heapdump', { heapdump: true }, { heapdumpDir: `${tmpdir()}/imdiag-heap-2026-11-21T12-00-00-000Z` }],
    ['--bloom-fp-rate 0.001', { bloomFpRate: '0.001' }, { bloomFalsePositiveRate: 0.001 }],
    [
      '--uri and --db',
      { uri: 'mongodb://db.example:27017', db: 'webim' },
      { target: expect.objectContaining({ uri: 'mongodb://db.example:27017', db: 'webim' }) },
    ],
  ];
  for (const [argv, raw, expected] of cases) {
    it(argv, () => expect(parse(raw)).toMatchObject(expected));
  }

  const errors: Array<[string, RawCompareUnreadOptions, RegExp]> = [
    ['--runs 0', { runs: '0' }, /^--runs must be a whole number from 1 to 1000/],
    ['--runs two', { runs: 'two' }, /^--runs must be a whole number/],
    ['--strategies naive,magic', { strategies: 'naive,magic' }, /^--strategies: unknown 'magic'; allowed: naive, naive-mongoose/],
    ['--strategies ,', { strategies: ',' }, /^--strategies must list at least one/],
    ['--window 6m', { window: '6m' }, /^--window must be a number of months/],
    ['--window 0', { window: '0' }, /^--window must be a whole number from 1 to 120/],
    ['--max-old-space-size 8', { maxOldSpaceSize: '8' }, /^--max-old-space-size must be a whole number from 16 to 65536/],
    ['--bloom-fp-rate 1', { bloomFpRate: '1' }, /^--bloom-fp-rate must be a number from/],
    ['--quick --runs 5', { quick: true, runs: '5' }, /^--quick runs once/],
    ['--user ""', { user: ' ' }, /^--user must be a user id or heaviest/],
    ['--db admin', { db: 'admin' }, /^--db must not be/],
    ['--heapdump <a file>', { heapdump: THIS_FILE }, /^--heapdump must name a directory, but .*compare-unread-options\.test\.ts is a file$/],
    ['--heapdump <a file>/snaps', { heapdump: `${THIS_FILE}/snaps` }, /^--heapdump must name a directory, but .*compare-unread-options\.test\.ts is a file$/],
  ];
  for (const [argv, raw, message] of errors) {
    it(`${argv} is a usage error`, () => {
      expect(() => parse(raw)).toThrow(UsageError);
      expect(() => parse(raw)).toThrow(message);
    });
  }
});

describe('imdiag compare-unread: bad flags exit 2 with one line naming the flag', () => {
  for (const [args, flag] of [
    [['--runs', '0'], '--runs'],
    [['--strategies', 'naive,nope'], '--strategies'],
    [['--max-old-space-size', 'lots'], '--max-old-space-size'],
    [['--bogus'], '--bogus'],
    [['--heapdump', THIS_FILE], '--heapdump'],
  ] as const) {
    it(args.join(' '), async () => {
      const run = await runCli(['compare-unread', ...args, '--uri', 'mongodb://127.0.0.1:1']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(flag);
    });
  }
});
