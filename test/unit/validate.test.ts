import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/lib/errors.js';
import { parseBytes, parseDuration, parseInteger, parseList } from '../../src/lib/validate.js';
import { validateOutputOptions, validateTargetOptions } from '../../src/lib/common-options.js';

describe('shared option parsers', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['45', 45_000],
    ['0.5', 500],
  ])('parseDuration(%s) = %d ms', (raw, ms) => {
    expect(parseDuration('--duration', raw, 1, 3_600_000)).toBe(ms);
  });

  it.each(['', '5 minutes', '-1s', '1d'])('parseDuration rejects %j naming the flag', (raw) => {
    expect(() => parseDuration('--duration', raw, 1, 3_600_000)).toThrow(/--duration must be a duration/);
  });

  it('parseInteger names the flag and the range', () => {
    expect(parseInteger('--runs', '3', 1, 100)).toBe(3);
    expect(() => parseInteger('--runs', '0', 1, 100)).toThrow(new UsageError('--runs must be a whole number from 1 to 100, got 0'));
    expect(() => parseInteger('--runs', '2.5', 1, 100)).toThrow(UsageError);
  });

  it('parseBytes understands units', () => {
    expect(parseBytes('--payload', '4kb', 1, 1e9)).toBe(4096);
    expect(parseBytes('--payload', '1MB', 1, 1e9)).toBe(1024 ** 2);
    expect(() => parseBytes('--payload', 'lots', 1, 1e9)).toThrow(/--payload/);
  });

  it('parseList keeps order, drops duplicates and names unknown items', () => {
    expect(parseList('--strategies', 'b,a,b', ['a', 'b', 'c'])).toEqual(['b', 'a']);
    expect(() => parseList('--strategies', 'a,zz', ['a', 'b'])).toThrow("--strategies: unknown 'zz'; allowed: a, b");
  });

  it('validateTargetOptions checks the URI and the database name, never echoing credentials', () => {
    expect(validateTargetOptions({ uri: 'mongodb://h:1', db: 'x' }, {})).toMatchObject({ uri: 'mongodb://h:1', db: 'x' });
    expect(validateTargetOptions({}, { IMDIAG_MONGODB_URI: 'mongodb://e:2' }).uri).toBe('mongodb://e:2');
    expect(() => validateTargetOptions({ uri: 'http://u:secret@h' }, {})).toThrow(/--uri must be/);
    expect(() => validateTargetOptions({ uri: 'http://u:secret@h' }, {})).not.toThrow(/secret/);
    expect(() => validateTargetOptions({ db: 'a.b' }, {})).toThrow(/--db must be/);
    expect(() => validateTargetOptions({ db: 'admin' }, {})).toThrow(/--db must not be/);
  });

  it('validateOutputOptions takes the report format from the extension', () => {
    expect(validateOutputOptions({ report: 'x.HTML' }).reportFormat).toBe('html');
    expect(() => validateOutputOptions({ report: 'x.pdf' })).toThrow(/--report must name a file ending in .md, .html or .json/);
    expect(() => validateOutputOptions({ report: '/nonexistent-imdiag-dir/r.md' })).toThrow('--report: the directory /nonexistent-imdiag-dir does not exist');
  });
});
