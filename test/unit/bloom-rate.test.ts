import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../../src/engines/compare-unread/bloom.js';
import { measureFalsePositiveRate, ScalableBloomFilter, wilsonInterval } from '../../src/engines/compare-unread/bloom-scalable.js';

/**
 * The demo profile's case: a filter sized for the 2,113 messages of the window receives ~3,059
 * distinct ids. Measured over 100,000 fresh ObjectIds, a plain filter's real rate is far above the
 * configured 1 %; the scalable filter's stays at or below it.
 */
const SIZED_FOR = 2_113;
const RECEIVED = 3_059;
const P = 0.01;

function fill(filter: { add(key: Uint8Array): void }): void {
  for (let i = 0; i < RECEIVED; i++) {
    const id = new ObjectId().id;
    filter.add(id);
    filter.add(id); // receipts repeat ids: duplicates must not count towards a stage's capacity
  }
}

describe('Bloom filter false-positive rate, measured over 100,000 absent ObjectIds', () => {
  it('a plain filter past its capacity: the 95 % interval lies well above the configured rate', () => {
    const plain = new BloomFilter(SIZED_FOR, P);
    fill(plain);
    const test = measureFalsePositiveRate(plain);
    expect(test.probes).toBe(100_000);
    expect(test.ci95[0]).toBeGreaterThan(2 * P);
  });

  it('the scalable filter grows and keeps the configured rate inside (or above) its 95 % interval', () => {
    const scalable = new ScalableBloomFilter(SIZED_FOR, P);
    fill(scalable);
    expect(scalable.stageCount).toBe(2);
    expect(scalable.itemsAdded).toBe(2 * RECEIVED);
    expect(scalable.distinctItems).toBeGreaterThan(RECEIVED * 0.99);
    const test = measureFalsePositiveRate(scalable);
    expect(test.ci95[0]).toBeLessThanOrEqual(P);
    expect(test.rate).toBeGreaterThan(0);
  });

  it('Wilson interval: textbook values, and sound at 0 successes', () => {
    const [low, high] = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.0552, 3);
    expect(high).toBeCloseTo(0.1744, 3);
    const [zeroLow, zeroHigh] = wilsonInterval(0, 100_000);
    expect(zeroLow).toBe(0);
    expect(zeroHigh).toBeCloseTo(3.84e-5, 6);
  });
});
