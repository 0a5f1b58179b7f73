import { describe, expect, it } from 'vitest';
import { judgeGrowth, NOISE_FLOOR_BYTES } from '../../src/core/leak/growth.js';

const KB = 1024;

describe('judgeGrowth: a leak leaves survivors from every repetition', () => {
  it('about as much each time: growing, and leaking above the noise floor', () => {
    expect(judgeGrowth([100 * KB, 90 * KB, 110 * KB])).toEqual({ growing: true, bytesPerRepetition: 100 * KB, leaking: true });
    expect(judgeGrowth([10 * KB, 10 * KB, 10 * KB])).toMatchObject({ growing: true, leaking: false });
  });

  it('a cache that fills once keeps only the latest repetitions: not growing', () => {
    expect(judgeGrowth([0, 0, 90 * KB])).toMatchObject({ growing: false, leaking: false });
    expect(judgeGrowth([0, 45 * KB, 45 * KB])).toMatchObject({ growing: false, leaking: false });
  });

  it("an LRU that evicts keeps less of the earlier repetitions: not growing (the test server's LRU of 100 under 40 requests a repetition)", () => {
    expect(judgeGrowth([9_760, 19_520, 19_520])).toMatchObject({ growing: false, leaking: false });
    expect(judgeGrowth([40 * KB, 80 * KB, 80 * KB])).toMatchObject({ growing: false, leaking: false });
  });

  it("what a server builds on its first requests sits in the first repetition alone: not growing (the test server's measured pattern)", () => {
    expect(judgeGrowth([87_584, 7_928, 984])).toMatchObject({ growing: false, leaking: false });
    // Its warm-up, then a few KB each time: growing, but what grows is below the floor.
    expect(judgeGrowth([89_296, 6_296, 6_984])).toMatchObject({ growing: true, leaking: false });
  });

  it('one repetition cannot tell: a site above the noise floor is a suspect', () => {
    expect(judgeGrowth([NOISE_FLOOR_BYTES])).toEqual({ growing: null, bytesPerRepetition: null, leaking: true });
    expect(judgeGrowth([NOISE_FLOOR_BYTES - 1])).toMatchObject({ growing: null, leaking: false });
    // What the settle period allocated (here 200 KB) is not the workload's.
    expect(judgeGrowth([1_392])).toMatchObject({ growing: null, leaking: false });
  });
});
