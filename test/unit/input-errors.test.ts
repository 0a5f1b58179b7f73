import { describe, expect, it } from 'vitest';
import { flagOf, namingFlags, withFlagName } from '../../src/commands/common/input-errors.js';
import { CheckError, InputError, UsageError } from '../../src/lib/errors.js';

describe('InputError → the one-line UsageError naming the flag', () => {
  it('derives the flag from the option key', () => {
    expect(flagOf('db')).toBe('--db');
    expect(flagOf('groupBy')).toBe('--group-by');
    expect(flagOf('suggestProjection')).toBe('--suggest-projection');
  });

  it.each([
    [new InputError('collection', "no collection 'x' in database 'd'"), {}, "--collection: no collection 'x' in database 'd'"],
    [new InputError('db', 'd already holds an imdiag dataset', ' '), {}, '--db d already holds an imdiag dataset'],
    [new InputError('groupBy', "no document in c has a field 'u'"), {}, "--group-by: no document in c has a field 'u'"],
    [new InputError('target', 'is not a loopback address', ' '), { target: '--inspect' }, '--inspect is not a loopback address'],
    [new InputError(null, 'a.heapsnapshot: no such file'), {}, 'a.heapsnapshot: no such file'],
  ])('%s', (error, flags, message) => {
    const usage = withFlagName(error, flags);
    expect(usage).toBeInstanceOf(UsageError);
    expect((usage as Error).message).toBe(message);
  });

  it('leaves every other error as it is', async () => {
    const check = new CheckError('unreachable');
    expect(withFlagName(check)).toBe(check);
    await expect(namingFlags(() => Promise.reject(check))).rejects.toBe(check);
    await expect(namingFlags(() => Promise.reject(new InputError('user', "'u' received no messages", ' ')))).rejects.toThrow(
      new UsageError("--user 'u' received no messages"),
    );
    await expect(namingFlags(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
