import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateQueryOptions, type RawQueryOptions } from '../../src/commands/query/options.js';
import { UsageError } from '../../src/lib/errors.js';
import { VARIANT_NAMES } from '../../src/engines/query/variants/names.js';
import { runCli } from '../helpers/cli.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const GB = 1024 ** 3;
const parse = (raw: RawQueryOptions) => validateQueryOptions(raw, {}, 8 * GB);

describe('validateQueryOptions: flags → options', () => {
  const cases: Array<[string, RawQueryOptions, Record<string, unknown>]> = [
    [
      '--collection readMsgs (defaults)',
      { collection: 'readMsgs' },
      {
        source: { kind: 'flags', spec: { mode: 'find', collection: 'readMsgs', filter: {} } },
        variants: VARIANT_NAMES.filter((name) => !name.endsWith('+populate')),
        variantsExplicit: false,
        sample: 10_000,
        full: false,
        maxHeapBytes: 4 * GB,
        maxOldSpaceSizeMB: null,
        maxTimeMS: 30_000,
        readPreference: 'secondaryPreferred',
        runs: 3,
        top: 10,
        groupBy: null,
        failOn: [],
        failOnVariant: 'driver',
        model: null,
        suggestProjection: null,
      },
    ],
    [
      '--filter --projection --sort --limit --batch-size',
      { collection: 'c', filter: '{"userId":"u"}', projection: '{"_id":0,"msgId":1}', sort: '{"at":-1}', limit: '50', batchSize: '1000' },
      {
        source: {
          kind: 'flags',
          spec: { mode: 'find', collection: 'c', filter: { userId: 'u' }, projection: { _id: 0, msgId: 1 }, sort: { at: -1 }, limit: 50, batchSize: 1000 },
        },
      },
    ],
    [
      '--aggregate',
      { collection: 'msgs', aggregate: '[{"$match":{"a":1}}]' },
      { source: { kind: 'flags', spec: { mode: 'aggregate', collection: 'msgs', pipeline: [{ $match: { a: 1 } }] } } },
    ],
    [
      '--distinct msgId --filter',
      { collection: 'c', distinct: 'msgId', filter: '{"u":1}' },
      { source: { kind: 'flags', spec: { mode: 'distinct', collection: 'c', field: 'msgId', filter: { u: 1 } } } },
    ],
    ['--group-by userId --top 3', { collection: 'c', groupBy: 'userId', top: '3' }, { groupBy: 'userId', top: 3 }],
    ['--from-profile (top 5)', { fromProfile: true }, { source: { kind: 'profile' }, top: 5 }],
    ['--from-log FILE', { fromLog: THIS_FILE }, { source: { kind: 'log', file: THIS_FILE } }],
    ['--variants driver,raw,driver', { collection: 'c', variants: 'driver,raw,driver' }, { variants: ['driver', 'raw'], variantsExplicit: true }],
    [
      '--suggest-projection msgId, readDateTime',
      { collection: 'c', suggestProjection: 'msgId, readDateTime' },
      { suggestProjection: ['msgId', 'readDateTime'] },
    ],
    ['--sample 100 --full --max-heap 2gb', { collection: 'c', sample: '100', full: true, maxHeap: '2gb' }, { sample: 100, full: true, maxHeapBytes: 2 * GB }],
    ['--max-old-space-size 1536', { collection: 'c', maxOldSpaceSize: '1536' }, { maxOldSpaceSizeMB: 1536, heapLimitBytes: 1536 * 1024 * 1024 }],
    [
      '--max-time 5s --read-preference primary --runs 3',
      { collection: 'c', maxTime: '5s', readPreference: 'primary', runs: '3' },
      { maxTimeMS: 5000, readPreference: 'primary', runs: 3 },
    ],
    [
      '--fail-on live>512MB,oom --fail-on-variant lean',
      { collection: 'c', failOn: 'live>512MB,oom', failOnVariant: 'lean' },
      { failOn: [expect.objectContaining({ figure: 'live', value: 512 * 1024 * 1024 }), expect.objectContaining({ verdict: 'oom' })], failOnVariant: 'lean' },
    ],
    ['--model FILE', { collection: 'c', model: THIS_FILE }, { model: THIS_FILE }],
    [
      '--populate msgId:msgs (adds the populate variants)',
      { collection: 'c', populate: 'msgId:msgs' },
      { populate: [{ path: 'msgId', collection: 'msgs' }], variants: [...VARIANT_NAMES] },
    ],
    [
      '--model FILE --populate msgId, topicId:topics',
      { collection: 'c', model: THIS_FILE, populate: 'msgId, topicId:topics' },
      {
        populate: [
          { path: 'msgId', collection: null },
          { path: 'topicId', collection: 'topics' },
        ],
      },
    ],
  ];
  for (const [argv, raw, expected] of cases) it(argv, () => expect(parse(raw)).toMatchObject(expected));

  const errors: Array<[string, RawQueryOptions, RegExp]> = [
    ['no source', {}, /^--collection NAME is required \(or --from-profile, or --from-log FILE\)/],
    ['--filter bad JSON', { collection: 'c', filter: '{"a":}' }, /^--filter: invalid syntax at line 1, column 6: unexpected token/],
    ['--aggregate with $out', { collection: 'c', aggregate: '[{"$out":"x"}]' }, /^--aggregate: \$out .* read-only/],
    ['--filter with $where', { collection: 'c', filter: '{"$where":"1"}' }, /^--filter: \$where/],
    ['--aggregate and --filter', { collection: 'c', aggregate: '[]', filter: '{}' }, /^--aggregate takes the whole query as a pipeline; drop --filter/],
    ['--distinct and --sort', { collection: 'c', distinct: 'a', sort: '{"a":1}' }, /^--distinct takes only --filter; drop --sort/],
    ['--distinct $a', { collection: 'c', distinct: '$a' }, /^--distinct must be a field path/],
    ['--group-by with --aggregate', { collection: 'c', aggregate: '[]', groupBy: 'u' }, /^--group-by works on a --collection with --filter/],
    ['--from-profile with --collection', { fromProfile: true, collection: 'c' }, /^--from-profile measures the queries the server recorded; drop --collection/],
    ['--from-profile and --from-log', { fromProfile: true, fromLog: THIS_FILE }, /^--from-profile and --from-log are two sources/],
    ['--from-log missing', { fromLog: '/nonexistent/mongod.log' }, /^--from-log: no such file/],
    ['--collection system.profile', { collection: 'system.profile' }, /^--collection must be a collection name/],
    [
      '--variants magic',
      { collection: 'c', variants: 'driver,magic' },
      /^--variants: unknown 'magic'; allowed: driver, stream, mongoose, lean, raw, projection/,
    ],
    ['--variants projection without fields', { collection: 'c', variants: 'projection' }, /^--variants projection needs --suggest-projection/],
    ['--sample 5', { collection: 'c', sample: '5' }, /^--sample must be a whole number from 10 to 10000000/],
    ['--limit 0', { collection: 'c', limit: '0' }, /^--limit must be a whole number from 1/],
    ['--max-heap lots', { collection: 'c', maxHeap: 'lots' }, /^--max-heap must be a size/],
    ['--max-old-space-size 8', { collection: 'c', maxOldSpaceSize: '8' }, /^--max-old-space-size must be a whole number from 16 to 65536/],
    ['--max-time forever', { collection: 'c', maxTime: 'forever' }, /^--max-time must be a duration/],
    ['--read-preference fastest', { collection: 'c', readPreference: 'fastest' }, /^--read-preference must be one of primary, primaryPreferred/],
    ['--fail-on rss>1', { collection: 'c', failOn: 'rss>1' }, /^--fail-on: unknown figure 'rss'; allowed: live>…/],
    ['--fail-on-variant not measured', { collection: 'c', variants: 'driver', failOnVariant: 'raw' }, /^--fail-on-variant raw is not among --variants driver/],
    ['--model missing', { collection: 'c', model: '/nonexistent/model.js' }, /^--model: no such file/],
    ['--populate msgId without --model', { collection: 'c', populate: 'msgId' }, /^--populate msgId: without --model say which collection its ids point to/],
    ['--populate $msgId', { collection: 'c', populate: '$msgId:msgs' }, /^--populate must be a field path/],
    ['--populate a twice', { collection: 'c', populate: 'a:x,a:y' }, /^--populate lists a twice/],
    ['--populate with --distinct', { collection: 'c', distinct: 'a', populate: 'a:x' }, /^--populate works on a --collection with --filter/],
    ['--variants lean+populate without --populate', { collection: 'c', variants: 'lean+populate' }, /^--variants lean\+populate needs --populate PATH/],
  ];
  for (const [argv, raw, message] of errors) {
    it(`refuses ${argv}`, () => {
      expect(() => parse(raw)).toThrow(UsageError);
      expect(() => parse(raw)).toThrow(message);
    });
  }
});

describe('imdiag query: bad values exit 2 with one line, before connecting', () => {
  it.each([
    [['query', '--collection', 'c', '--filter', '{"a": 1,,}'], /^imdiag: --filter: invalid syntax at line 1, column 9: unexpected token/],
    [['query', '--collection', 'c', '--aggregate', '[{"$merge": {"into": "x"}}]'], /^imdiag: --aggregate: \$merge/],
    [['query', '--collection', 'c', '--sample', 'many'], /^imdiag: --sample must be a whole number/],
    [['query'], /^imdiag: --collection NAME is required/],
  ])('%j', async (argv, message) => {
    const run = await runCli(argv, { env: { IMDIAG_MONGODB_URI: 'mongodb://127.0.0.1:1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
