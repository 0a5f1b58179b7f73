import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseJsonObject, parsePipeline } from '../../src/commands/query/ejson.js';
import { parseShellSyntax } from '../../src/lib/mongo-shell-syntax.js';
import { specFromText, specToText } from '../../src/engines/query/spec.js';
import { usageMessage as usage } from '../helpers/usage-error.js';

const ID = '5f0000000000000000000001';

describe('filters pasted from mongosh or Compass', () => {
  it('reads unquoted keys, single quotes, ObjectId, ISODate, NumberLong, NumberDecimal, regular expressions and comments', () => {
    const filter = parseJsonObject(
      '--filter',
      `{userId: 'user-001', _id: ObjectId("${ID}"), t: {$gt: ISODate("2018-01-01")}, n: NumberLong(5), d: NumberDecimal('1.5'), body: /ab+c/i} // pasted`,
    );
    expect(filter.userId).toBe('user-001');
    expect(filter._id).toEqual(new ObjectId(ID));
    expect((filter.t as { $gt: Date }).$gt).toEqual(new Date('2018-01-01T00:00:00Z'));
    expect(filter.n).toBeInstanceOf(Long);
    expect(filter.d).toBeInstanceOf(Decimal128);
    expect(filter.body).toEqual(/ab+c/i);
  });

  it('keeps the Extended JSON that worked: JSON as before, and {"$oid": …} inside shell syntax becomes an ObjectId, not a plain object', () => {
    expect(parseJsonObject('--filter', `{"_id": {"$oid": "${ID}"}}`)._id).toEqual(new ObjectId(ID));
    const mixed = parseJsonObject('--filter', `{_id: {"$oid": "${ID}"}, at: {$gte: {"$date": "2018-01-01T00:00:00Z"}}, ids: {$in: [{$oid: '${ID}'}]}}`);
    expect(mixed._id).toBeInstanceOf(ObjectId);
    expect((mixed.at as { $gte: unknown }).$gte).toEqual(new Date('2018-01-01T00:00:00Z'));
    expect((mixed.ids as { $in: unknown[] }).$in[0]).toBeInstanceOf(ObjectId);
    expect(usage(() => parseJsonObject('--filter', `{_id: {$oid: 'zz'}}`))).toMatch(/^--filter: invalid Extended JSON at _id: /);
  });

  it('a typed value survives the trip to a child (canonical Extended JSON), the same as its Extended JSON form', () => {
    const shell = parseJsonObject('--filter', `{_id: ObjectId('${ID}'), at: ISODate('2018-01-01'), n: NumberLong(5)}`);
    const ejson = parseJsonObject('--filter', `{"_id": {"$oid": "${ID}"}, "at": {"$date": "2018-01-01T00:00:00Z"}, "n": {"$numberLong": "5"}}`);
    const trip = (filter: object) => (specFromText(specToText({ mode: 'find', collection: 'c', filter })) as { filter: Record<string, unknown> }).filter;
    for (const filter of [trip(shell), trip(ejson)]) {
      expect(filter._id).toBeInstanceOf(ObjectId);
      expect(filter.at).toBeInstanceOf(Date);
      expect(Number(filter.n)).toBe(5);
    }
  });

  it('projection, sort and a pipeline in shell syntax; a pipeline goes through the same safety check', () => {
    expect(parseJsonObject('--projection', '{msgId: 1, _id: 0}', 'projection')).toEqual({ msgId: 1, _id: 0 });
    expect(parseJsonObject('--sort', "{readDateTime: -1, 'a.b': 1}", 'sort')).toEqual({ readDateTime: -1, 'a.b': 1 });
    const pipeline = parsePipeline('--aggregate', `[{$match: {_id: ObjectId('${ID}')}}, {$limit: 2}]`);
    expect((pipeline[0] as { $match: { _id: unknown } }).$match._id).toBeInstanceOf(ObjectId);
    expect(usage(() => parsePipeline('--aggregate', '[{$match: {a: require("fs")}}]'))).toMatch(
      /^--aggregate: at line 1, column 15: require is not allowed: only values, objects, arrays/,
    );
  });

  it("code is never run: the parser's silent '' becomes an error naming the part refused, with the user's line and column", () => {
    expect(usage(() => parseJsonObject('--filter', '{a: 1,\n b: process.exit(3)}'))).toMatch(/^--filter: at line 2, column 5: process is not allowed/);
    expect(usage(() => parseJsonObject('--filter', '{a: (function () { return 1 })()}'))).toMatch(
      /^--filter: at line 1, column 6: function \(\) \{ return 1 \} is not allowed/,
    );
    expect(usage(() => parseJsonObject('--filter', '{a: this}'))).toMatch(/^--filter: at line 1, column 5: this is not allowed/);
  });

  it("syntax errors name the user's own line and column (the parser's own are one line too high)", () => {
    expect(usage(() => parseJsonObject('--filter', "{userId: 'user-001',\n  at: {$gt: ISODate('2018-01-01')}\n  x: 1}"))).toMatch(
      /^--filter: invalid syntax at line 3, column 3: unexpected token/,
    );
    expect(usage(() => parseJsonObject('--filter', '{a: 1'))).toMatch(/^--filter: invalid syntax at the end/);
    // Text after the value could close the parser's own parentheses and add to the value: refused.
    expect(usage(() => parseJsonObject('--filter', '{a: 1}) + (2'))).toMatch(/^--filter: invalid syntax at line 1, column 7: text after the value/);
    expect(usage(() => parseJsonObject('--filter', ''))).toMatch(/^--filter is empty/);
  });

  it('a value the constructor refuses names it, with line and column', () => {
    expect(usage(() => parseJsonObject('--filter', "{\n  _id: ObjectId('zz')}"))).toMatch(
      /^--filter: at line 2, column 8: ObjectId\('zz'\): input must be a 24 character hex string/,
    );
  });

  it('@file: the file is named, and its lines are its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imdiag-shell-'));
    const file = join(dir, 'filter.js');
    writeFileSync(file, "// the slow query\n{userId: 'user-001',\n  _id: ObjectId('zz')}\n");
    expect(usage(() => parseJsonObject('--filter', `@${file}`))).toMatch(/^--filter: at line 3, column 8 in .*filter\.js: ObjectId/);
    expect(usage(() => parseShellSyntax('--filter', 'filter', '{a: }', ` in ${file}`))).toMatch(
      /^--filter: invalid syntax at line 1, column 5 in .*filter\.js/,
    );
  });
});

describe('a find spec on its way to a child', () => {
  it("a sort's directions and a projection's 1/0 arrive as plain numbers (Mongoose refuses an Int32 there); the filter keeps its types", () => {
    const spec = { mode: 'find', collection: 'c', filter: { n: new Long(5) }, sort: { at: -1 }, projection: { at: 1, _id: 0 }, batchSize: 10 } as const;
    const back = specFromText(specToText(spec)) as unknown as typeof spec;
    expect(back.sort).toEqual({ at: -1 });
    expect(back.projection).toEqual({ at: 1, _id: 0 });
    expect(back.batchSize).toBe(10);
    expect(back.filter.n).toBeInstanceOf(Long);
  });
});
