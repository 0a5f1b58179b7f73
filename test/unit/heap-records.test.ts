import { describe, expect, it } from 'vitest';
import { BATCH } from '../../src/lib/json-object-stream.js';
import { wholeRecords } from '../../src/core/heapsnapshot/records.js';

describe('wholeRecords', () => {
  it('hands over whole records only, carrying one split between batches', () => {
    const seen: number[][] = [];
    const feed = wholeRecords(5, (data, from, to) => {
      for (let at = from; at < to; at += 5) seen.push([...data.subarray(at, at + 5)]);
    });
    const numbers = Array.from({ length: 5 * 9 }, (_, i) => i);
    // Batches of 7, 4, 13 … numbers: records split at every possible offset.
    let at = 0;
    for (const size of [7, 4, 13, 1, 2, 18]) {
      feed(Float64Array.from(numbers.slice(at, at + size)), size);
      at += size;
    }
    expect(at).toBe(numbers.length);
    expect(seen).toEqual(Array.from({ length: 9 }, (_, r) => numbers.slice(r * 5, r * 5 + 5)));
  });

  it("uses a batch size every snapshot stride divides, so V8's records are never split", () => {
    for (const stride of [3, 4, 6, 7]) expect(BATCH % stride).toBe(0);
  });
});
