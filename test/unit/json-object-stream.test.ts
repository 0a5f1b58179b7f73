import { describe, expect, it } from 'vitest';
import { JsonObjectStream, type ValueHandler } from '../../src/lib/json-object-stream.js';
import { chunksOf } from '../helpers/heap-snapshots.js';

/** Runs `text` through the scanner in chunks of `size`, recording what each handler saw. */
function scan(text: string, size: number, keep: (index: number) => boolean = () => true) {
  const seen: Record<string, unknown> = {};
  const stream = new JsonObjectStream((key): ValueHandler => {
    if (key.startsWith('capture')) return { kind: 'capture', maxBytes: 1000, value: (parsed) => (seen[key] = parsed) };
    if (key.startsWith('numbers')) {
      const numbers: number[] = [];
      return { kind: 'numbers', numbers: (batch, n) => numbers.push(...batch.subarray(0, n)), end: (count) => (seen[key] = { numbers, count }) };
    }
    if (key.startsWith('strings')) {
      const strings: Record<number, string> = {};
      return { kind: 'strings', keep, string: (index, value) => (strings[index] = value), end: (count) => (seen[key] = { strings, count }) };
    }
    return { kind: 'skip' };
  });
  for (const chunk of chunksOf(Buffer.from(text, 'utf8'), size)) stream.push(chunk);
  stream.end();
  return seen;
}

const document = ` {
  "capture head": {"meta": {"fields": ["a", "b]"], "n": -1.5e3}, "ok": true},
  "skip scalar": -12.5e-1, "skip string": "}]\\"[{", "skip nested": [1, {"x": "]"}, [[]], null],
  "numbers": [0, 7 ,123456789,4294967296
  ],
  "numbers empty": [],
  "capture \\u0041": "z",
  "strings": ["plain", "esc \\" \\\\ \\/ \\b\\f\\n\\r\\t", "\\u00e9\\uD83D\\uDE00", "raw é😀", ""],
  "skip last": {}
}
`;

describe('JsonObjectStream', () => {
  const expected = {
    'capture head': { meta: { fields: ['a', 'b]'], n: -1500 }, ok: true },
    numbers: { numbers: [0, 7, 123_456_789, 4_294_967_296], count: 4 },
    'numbers empty': { numbers: [], count: 0 },
    'capture A': 'z',
    strings: { strings: { 0: 'plain', 1: 'esc " \\ / \b\f\n\r\t', 2: 'é\u{1F600}', 3: 'raw é😀', 4: '' }, count: 5 },
  };
  it('routes each top-level value to its handler, at every chunk size', () => {
    for (let size = 1; size <= document.length; size += size < 40 ? 1 : 37) expect(scan(document, size), `chunks of ${size}`).toEqual(expected);
  });
  it('decodes only the strings kept, and still counts them all', () => {
    expect(scan(document, 5, (index) => index === 2).strings).toEqual({ strings: { 2: 'é\u{1F600}' }, count: 5 });
  });
  it.each([
    ['a truncated document', '{"numbers": [1, 2', /the JSON ends early, at byte 17 \(in "numbers"\)/],
    ['a fraction among integers', '{"numbers": [1.5]}', /unexpected '\.' in an array of non-negative integers at byte 14 \(in "numbers"\)/],
    ['a negative number', '{"numbers": [-1]}', /unexpected '-'/],
    ['a missing comma', '{"numbers": [1 2]}', /expected , between numbers/],
    ['a trailing comma', '{"numbers": [1,]}', /unexpected '\]'/],
    ['a number beyond 2^53', '{"numbers": [9007199254740993]}', /too large to count exactly/],
    ['a non-array where an array is wanted', '{"strings": "x"}', /expected an array at byte 12/],
    ['a number among strings', '{"strings": ["a", 1]}', /unexpected '1' in an array of strings/],
    ['a captured value over its limit', `{"capture": "${'x'.repeat(1000)}"}`, /over 1000 bytes where a small value was expected/],
    ['not an object', '[1]', /unexpected '\['/],
    ['a missing value', '{"skip": , "x": 1}', /expected a value/],
    ['data after the object', '{} x', /unexpected 'x' at byte 3/],
  ])('refuses %s', (_what, text, error) => {
    expect(() => scan(text, 3)).toThrow(error);
  });
});
