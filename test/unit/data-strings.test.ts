import { describe, expect, it } from 'vitest';
import { characterClasses, hasData, markData, maskData, maskValue, revealData } from '../../src/lib/data-strings.js';
import { isIdentifierName, shownEdgeName, shownNodeName } from '../../src/core/heapsnapshot/data-names.js';
import { filler } from '../../src/core/heapsnapshot/redact-plan.js';

const KEY = new Uint8Array(32).fill(7);

describe('data strings: marked in results, masked in reports', () => {
  it('masks a value as its length, character classes and a keyed hash', () => {
    expect(maskValue('alice.secret-1@example.com', KEY)).toMatch(/^‹26 chars, \[a-z0-9.@\\-\], #[0-9a-f]{6}›$/);
    expect(characterClasses('A b\t[x]^é\u0001')).toBe(String.raw`[a-zA-Z[\]\^\c\s\u]`);
  });

  it('gives equal values one hash within a report and another under another key', () => {
    const result = { a: `x ${markData('token-123456')} y`, b: [markData('token-123456')], c: markData('other') };
    const masked = maskData(result, KEY);
    const hash = (text: string) => /#([0-9a-f]{6})/.exec(text)?.[1];
    expect(hash(masked.a)).toBe(hash(masked.b[0]!));
    expect(hash(masked.c)).not.toBe(hash(masked.a));
    expect(hash(maskData(result, new Uint8Array(32).fill(8)).a)).not.toBe(hash(masked.a));
    expect(masked.a).toMatch(/^x ‹12 chars, \[a-z0-9\\-\], #[0-9a-f]{6}› y$/);
    expect(JSON.stringify(masked)).not.toContain('token-123456');
  });

  it('reveals values for the terminal and --show-strings; the full length of a cut value is kept', () => {
    expect(revealData({ a: `"${markData('abc…', 900)}"` })).toEqual({ a: '"abc…"' });
    expect(maskData({ a: markData('abc…', 900) }, KEY).a).toMatch(/^‹900 chars, /);
    expect(hasData({ a: 'plain' })).toBe(false);
    expect(hasData({ a: [markData('x')] })).toBe(true);
    // A value holding the markers cannot end its mark early.
    expect(revealData(markData('a\uE001b'))).toBe('a\uFFFDb');
  });
});

describe('which names are identifiers (kept) and which are data (masked, replaced)', () => {
  it.each([
    ['userId', true],
    ['getElementsByTagName', true],
    ['MAX_SAFE_INTEGER', true],
    ['get size', true],
    ['[Symbol.iterator]', true],
    ['#state', true],
    ['<symbol Symbol.toStringTag>', true],
    ['utf8', true],
    ['bob@example.com', false],
    ['k1234', false],
    ['a8f3e9b2c4d1e7f6', false],
    ['xK9fLmQ2pR7sT4vW', false],
    ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', false],
    ['session token', false],
    ['/app/server.js', false],
    ['x'.repeat(65), false],
  ])('%s → %s', (name, kept) => expect(isIdentifierName(name)).toBe(kept));

  it('marks string values and RegExp sources always, property keys and function names by the rule, V8 names never', () => {
    expect(shownNodeName('string', 'userId')).toBe(markData('userId'));
    expect(shownNodeName('regexp', '^a+$')).toBe(markData('^a+$'));
    expect(shownNodeName('closure', 'handleRequest')).toBe('handleRequest');
    expect(shownNodeName('closure', 'bob@example.com')).toBe(markData('bob@example.com'));
    expect(shownNodeName('code', '(shared function info)')).toBe('(shared function info)');
    expect(shownNodeName('hidden', 'system / Context')).toBe('system / Context');
    expect(shownEdgeName('property', 'bob@example.com')).toBe(markData('bob@example.com'));
    expect(shownEdgeName('context', 'anything goes')).toBe('anything goes');
  });

  it('fills a replaced text to its length with no identifier, entries told apart', () => {
    for (const length of [0, 1, 3, 40]) expect(filler(1234, length)).toHaveLength(length);
    expect(isIdentifierName(filler(5, 12))).toBe(false);
    expect(filler(1, 12)).not.toBe(filler(2, 12));
  });
});
