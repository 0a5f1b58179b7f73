import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseJsonObject, parsePipeline } from '../../src/commands/query/ejson.js';
import { describeFields, inferFields } from '../../src/engines/query/infer.js';
import { parseSlowQueryLog } from '../../src/engines/query/log.js';
import { capVerdict, fitCost, predict, probeCopies, PROBE_MAX_COPIES, PROBE_TARGET_BYTES, rescale, type LiveReading } from '../../src/engines/query/predict.js';
import { refuseWrites } from '../../src/commands/query/read-only.js';
import { groupByShape, specFromCommand, valueShape, type RecordedOperation } from '../../src/engines/query/shape.js';
import { sampled, specFromText, specToText } from '../../src/engines/query/spec.js';
import { usageMessage as usage } from '../helpers/usage-error.js';

describe('Extended JSON flags', () => {
  it('reads relaxed and canonical Extended JSON: $oid, $date, $numberLong', () => {
    const filter = parseJsonObject(
      '--filter',
      '{"msgId": {"$oid": "5f0000000000000000000001"}, "at": {"$gt": {"$date": "2018-08-10T00:00:00Z"}}, "n": {"$numberLong": "7"}}',
    );
    expect(filter.msgId).toBeInstanceOf(ObjectId);
    expect((filter.at as { $gt: Date }).$gt).toEqual(new Date('2018-08-10T00:00:00Z'));
    expect(Number(filter.n)).toBe(7);
    const canonical = parseJsonObject('--filter', '{"at": {"$date": {"$numberLong": "1533859200000"}}}');
    expect(canonical.at).toEqual(new Date(1533859200000));
  });
  it('reads @file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imdiag-ejson-'));
    writeFileSync(join(dir, 'p.json'), '[{"$match": {"userId": "user-001"}}, {"$project": {"msgId": 1}}]');
    expect(parsePipeline('--aggregate', `@${join(dir, 'p.json')}`)).toHaveLength(2);
    expect(usage(() => parsePipeline('--aggregate', `@${join(dir, 'missing.json')}`))).toMatch(/^--aggregate: cannot read .*missing\.json: no such file/);
  });
  it('a syntax error names the flag, the line and the column', () => {
    // A trailing comma is JSON's error but mongosh's (JavaScript's) syntax: accepted.
    expect(parseJsonObject('--filter', '{"a": 1,}')).toEqual({ a: 1 });
    expect(usage(() => parseJsonObject('--filter', '{"a": 1,,}'))).toMatch(/^--filter: invalid syntax at line 1, column 9: unexpected token/);
    expect(usage(() => parseJsonObject('--sort', '{"a":\n  -1 x}', 'sort'))).toMatch(/^--sort: invalid syntax at line 2, column 6/);
    expect(usage(() => parseJsonObject('--filter', '{"a": '))).toMatch(/^--filter: invalid syntax at the end/);
  });
  it('a bad Extended JSON value names the flag and its path', () => {
    expect(usage(() => parseJsonObject('--filter', '{"msgId": {"$in": [{"$oid": "zz"}]}}'))).toMatch(/^--filter: invalid Extended JSON at msgId\.\$in\[0\]/);
  });
  it('wrong kinds of JSON are refused', () => {
    expect(usage(() => parseJsonObject('--filter', '[1]'))).toMatch(/^--filter must be an object/);
    expect(usage(() => parsePipeline('--aggregate', '{"$match": {}}'))).toMatch(/^--aggregate must be an array of stages/);
    expect(usage(() => parsePipeline('--aggregate', '[{"$match": {}, "$limit": 1}]'))).toMatch(/^--aggregate: stage 0 must be an object with one \$-operator/);
  });
  it('a spec keeps its BSON types through a child config; limit stays a number', () => {
    const spec = sampled({ mode: 'find', collection: 'c', filter: { _id: new ObjectId('5f0000000000000000000001'), at: new Date(0) } }, 100);
    const back = specFromText(specToText(spec));
    expect(back).toMatchObject({ mode: 'find', limit: 100 });
    expect(typeof (back as { limit: number }).limit).toBe('number');
    expect((back as unknown as { filter: { _id: unknown } }).filter._id).toBeInstanceOf(ObjectId);
    expect(sampled({ mode: 'aggregate', collection: 'c', pipeline: [{ $match: {} }] }, 10)).toMatchObject({ pipeline: [{ $match: {} }, { $limit: 10 }] });
  });
});

describe('write stages and server-side JavaScript are refused anywhere', () => {
  it.each([
    ['$out', [{ $match: {} }, { $out: 'copy' }], /^--aggregate: \$out \(at \[1\]\.\$out\) writes to the database/],
    ['$merge', [{ $merge: { into: 'x' } }], /\$merge .* writes to the database/],
    ['$merge in $facet', [{ $facet: { a: [{ $merge: 'x' }] } }], /\$merge \(at \[0\]\.\$facet\.a\[0\]\.\$merge\)/],
    ['$function in $expr', [{ $match: { $expr: { $function: { body: 'x', args: [], lang: 'js' } } } }], /\$function .* runs JavaScript on the server/],
    ['$accumulator', [{ $group: { _id: null, a: { $accumulator: {} } } }], /\$accumulator/],
  ])('%s', (_name, pipeline, message) => {
    expect(usage(() => refuseWrites('--aggregate', pipeline))).toMatch(message);
  });
  it('$where in a filter', () => expect(usage(() => refuseWrites('--filter', { $where: 'this.a > 1' }))).toMatch(/^--filter: \$where/));
  it('plain queries pass, ObjectIds included', () => expect(() => refuseWrites('--filter', { a: new ObjectId(), b: { $in: [1, 2] } })).not.toThrow());
});

const op = (command: Record<string, unknown>, extra: Partial<RecordedOperation> = {}): RecordedOperation => ({
  ns: 'app.readMsgs',
  command,
  isGetMore: false,
  cursorId: null,
  cursorExhausted: false,
  nShards: null,
  nreturned: 0,
  responseBytes: 0,
  millis: 1,
  planSummary: 'COLLSCAN',
  appName: null,
  ...extra,
});

describe('shape grouping', () => {
  it('values are dropped, keys and operators kept', () => {
    expect(valueShape({ userId: 'u1', at: { $gt: new Date() }, tags: { $in: ['a', 'b'] }, $or: [{ a: 1 }, { b: 2 }] })).toEqual({
      userId: '?',
      at: { $gt: '?' },
      tags: { $in: '?' },
      $or: [{ a: '?' }, { b: '?' }],
    });
  });
  it('one shape per collection + filter keys + projection + sort; heaviest first; its heaviest execution is replayed', () => {
    const groups = groupByShape([
      op({ find: 'readMsgs', filter: { userId: 'user-002' } }, { responseBytes: 1000, nreturned: 10 }),
      op({ find: 'readMsgs', filter: { userId: 'user-001' } }, { responseBytes: 90_000, nreturned: 900 }),
      op({ find: 'readMsgs', filter: { userId: 'user-001' }, projection: { msgId: 1 } }, { responseBytes: 5000, nreturned: 900 }),
      op({ find: 'msgs', filter: { receivers: 'user-001' } }, { responseBytes: 20_000, nreturned: 100 }),
      op({ insert: 'msgs' }, { responseBytes: 1_000_000 }),
    ]);
    expect(groups.map((g) => [g.collection, g.executions, g.maxResponseBytes])).toEqual([
      ['readMsgs', 2, 90_000],
      ['msgs', 1, 20_000],
      ['readMsgs', 1, 5000],
    ]);
    expect(groups[0]!.heaviest.filter).toEqual({ userId: 'user-001' });
    expect(groups[0]!.shape).toBe('readMsgs find {"userId":"?"}');
  });
  it('getMores are added to the query that opened their cursor', () => {
    const find = { find: 'readMsgs', filter: { userId: 'u' } };
    const groups = groupByShape([
      op(find, { cursorId: '77', responseBytes: 100, nreturned: 101 }),
      op(find, { cursorId: '77', isGetMore: true, responseBytes: 16_000_000, nreturned: 50_000 }),
      op({ find: 'readMsgs', filter: { userId: 'v' } }, { cursorId: '0', responseBytes: 500, nreturned: 3 }),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ executions: 2, maxResponseBytes: 16_000_100, maxReturned: 50_101, totalReturned: 50_104 });
  });
  it('recorded commands become specs; truncated ones cannot be replayed', () => {
    expect(specFromCommand({ find: 'readMsgs', filter: { a: 1 }, projection: { b: 1 }, limit: 5, lsid: {}, $db: 'x' })).toEqual({
      spec: { mode: 'find', collection: 'readMsgs', filter: { a: 1 }, projection: { b: 1 }, limit: 5 },
    });
    expect(specFromCommand({ aggregate: 'msgs', pipeline: [{ $match: {} }], cursor: {} })).toEqual({
      spec: { mode: 'aggregate', collection: 'msgs', pipeline: [{ $match: {} }] },
    });
    expect(specFromCommand({ distinct: 'readMsgs', key: 'msgId', query: { u: 1 } })).toEqual({
      spec: { mode: 'distinct', collection: 'readMsgs', field: 'msgId', filter: { u: 1 } },
    });
    expect(specFromCommand({ $truncated: '{ find: …' })).toHaveProperty('reason');
  });
});

describe('slow-query log lines (id 51803)', () => {
  const line = (attr: Record<string, unknown>) =>
    JSON.stringify({ t: { $date: '2026-11-29T10:00:00.000+00:00' }, s: 'I', c: 'COMMAND', id: 51803, ctx: 'conn1', msg: 'Slow query', attr });
  const text = [
    '{"t":{"$date":"2026-11-29T10:00:00.000+00:00"},"s":"I","c":"NETWORK","id":23016,"msg":"Waiting for connections","attr":{"port":27017}}',
    line({
      type: 'command',
      ns: 'app.readMsgs',
      command: { find: 'readMsgs', filter: { msgId: { $oid: '5f0000000000000000000001' } }, $db: 'app' },
      planSummary: 'COLLSCAN',
      cursorid: 12,
      nreturned: 101,
      reslen: 9000,
      durationMillis: 150,
    }),
    line({
      type: 'command',
      ns: 'app.readMsgs',
      command: { getMore: 12, collection: 'readMsgs' },
      originatingCommand: { find: 'readMsgs', filter: { msgId: { $oid: '5f0000000000000000000001' } } },
      cursorid: 12,
      nreturned: 5000,
      reslen: 450_000,
      durationMillis: 300,
    }),
    line({ type: 'command', ns: 'other.msgs', command: { find: 'msgs', filter: {} }, nreturned: 1, reslen: 100, durationMillis: 120 }),
    line({
      type: 'command',
      ns: 'app.msgs',
      appName: 'imdiag-query-driver',
      command: { find: 'msgs', filter: {} },
      nreturned: 1,
      reslen: 100,
      durationMillis: 120,
    }),
    'not json at all',
    '',
  ].join('\n');
  it("keeps the slow queries of the database, Extended JSON values revived, imdiag's own skipped", () => {
    const parsed = parseSlowQueryLog(text, 'app');
    expect(parsed).toMatchObject({ lines: 6, slowQueryLines: 4, unparsedLines: 1 });
    expect(parsed.operations).toHaveLength(2);
    expect(parsed.operations[0]).toMatchObject({
      ns: 'app.readMsgs',
      cursorId: '12',
      nreturned: 101,
      responseBytes: 9000,
      millis: 150,
      planSummary: 'COLLSCAN',
    });
    expect((parsed.operations[0]!.command.filter as { msgId: unknown }).msgId).toBeInstanceOf(ObjectId);
    expect(parsed.operations[1]).toMatchObject({ isGetMore: true, command: { find: 'readMsgs' } });
    const [group] = groupByShape(parsed.operations);
    expect(group).toMatchObject({ executions: 1, maxResponseBytes: 459_000, maxReturned: 5101, totalMillis: 450 });
  });
});

const reading = (docs: number, heap: number, external = 0): LiveReading => ({ docs, heapBytes: heap, externalBytes: external, arrayBuffersBytes: external });

describe('prediction maths', () => {
  it('average cost × count, the interval reaching fixed + marginal × count', () => {
    const p = predict(reading(5000, 2_100_000), reading(10_000, 4_000_000), 1_000_000);
    expect(p.perDocBytes).toBe(400);
    expect(p.marginalPerDocBytes).toBe(380);
    expect(p.fixedBytes).toBe(200_000);
    expect(p.liveBytes).toBe(400_000_000);
    expect([p.lowBytes, p.highBytes]).toEqual([380_200_000, 400_000_000]);
    expect(p.measuredWhole).toBe(false);
  });
  it('Buffers count as live memory but not towards the heap', () => {
    const p = predict(null, reading(1000, 100_000, 300_000), 10_000);
    expect(p.liveBytes).toBe(4_000_000);
    expect(p.heapBytes).toBe(1_000_000);
  });
  it('a sample that was the whole result is measured, not extrapolated', () => {
    expect(predict(reading(50, 5000), reading(100, 10_000), 100)).toMatchObject({
      liveBytes: 10_000,
      lowBytes: 10_000,
      highBytes: 10_000,
      measuredWhole: true,
    });
  });
  it('an implausible marginal cost (noise) falls back to the average', () => {
    expect(fitCost({ docs: 500, bytes: 1_000_000 }, { docs: 1000, bytes: 1_000_100 })).toEqual({ perDoc: 1000.1, fixed: 0, average: 1000.1 });
  });
  it('fits, or OOM after ~N documents under a cap', () => {
    const p = predict(null, reading(10_000, 4_000_000), 1_000_000);
    expect(capVerdict(p, 10_000_000, 1536 * 1024 * 1024)).toMatchObject({ fits: true });
    expect(capVerdict(p, 10_000_000, 110_000_000)).toEqual({ fits: false, oomAfterDocs: 250_000 });
  });
  it('a small sample is held several times for its reading: enough to reach the target, bounded by count and headroom', () => {
    const MB = 1024 * 1024;
    expect(probeCopies(4 * MB, 10 * MB, 2000 * MB)).toBe(Math.ceil(PROBE_TARGET_BYTES / (4 * MB)));
    expect(probeCopies(100_000, 1 * MB, 2000 * MB)).toBe(PROBE_MAX_COPIES);
    expect(probeCopies(0, 0, 2000 * MB)).toBe(PROBE_MAX_COPIES);
    expect(probeCopies(PROBE_TARGET_BYTES * 2, 10 * MB, 2000 * MB)).toBe(1);
    // 20 MB of headroom: half is 10 MB, the run's own peak takes 6 MB, room for 4 more copies of 1 MB besides the innermost (16 wanted).
    expect(probeCopies(1 * MB, 6 * MB, 20 * MB)).toBe(5);
    expect(probeCopies(4 * MB, 80 * MB, 100 * MB)).toBe(1);
  });
  it('rescale carries the per-document cost to another count', () => {
    const p = predict(null, reading(10_000, 4_000_000), 1_000_000);
    expect(rescale(p, 50_000)).toMatchObject({ docs: 50_000, liveBytes: 20_000_000, heapBytes: 20_000_000 });
  });
});

describe('Mongoose schema inference', () => {
  it('real paths and types: ObjectId, Date, arrays, subdocuments; mixed types become Mixed', () => {
    const fields = inferFields([
      { _id: new ObjectId(), userId: 'u1', at: new Date(), n: 1, tags: ['a'], meta: { kind: 'x', seen: true }, odd: 1 },
      { _id: new ObjectId(), userId: 'u2', at: new Date(), n: 2.5, tags: [], meta: { kind: 'y' }, odd: 'one', extra: null },
    ]);
    expect(describeFields(fields)).toEqual({
      _id: 'ObjectId',
      userId: 'String',
      at: 'Date',
      n: 'Number',
      tags: '[String]',
      'meta.kind': 'String',
      'meta.seen': 'Boolean',
      odd: 'Mixed',
    });
  });
});
