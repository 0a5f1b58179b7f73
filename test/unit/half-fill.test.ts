import { describe, expect, it } from 'vitest';
import { halfFillYoung } from '../../src/core/measure/settle.js';
import { youngSpace as young } from '../../src/core/measure/young-generation.js';

/**
 * Allocates `bytes` (as the young generation counts them) of small arrays that stay live and counts
 * the scavenges meanwhile: each one empties the space being allocated into, so its used bytes fall
 * by more than a quarter of it (they also wobble down by a few KB without one).
 */
function allocateCountingScavenges(bytes: number, keep: unknown[]): number {
  let scavenges = 0;
  let last = young().used;
  let allocated = 0;
  while (allocated < bytes) {
    for (let i = 0; i < 100; i++) keep.push(new Array(30));
    const now = young();
    if (now.used < last - now.capacity / 4) scavenges++;
    else allocated += Math.max(0, now.used - last);
    last = now.used;
  }
  return scavenges;
}

describe('halfFillYoung: a timed run starts at half a semi-space (src/core/measure/settle.ts)', () => {
  it('fills the young generation to half its capacity with garbage and says how much it added', () => {
    const before = young();
    const filled = halfFillYoung(0).bytes;
    const after = young();
    expect(after.used).toBeGreaterThanOrEqual(after.capacity / 2);
    // What it added is what the space gained (or, had a scavenge emptied it meanwhile, less).
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThanOrEqual(after.used - Math.min(before.used, after.used) + 1);
  });

  it('from half full, under half a semi-space of allocation makes no scavenge and one more half makes exactly one', () => {
    const keep: unknown[] = [];
    halfFillYoung(0);
    const { capacity } = young();
    expect(allocateCountingScavenges(capacity * 0.35, keep)).toBe(0);
    expect(allocateCountingScavenges(capacity * 0.35, keep)).toBe(1);
    expect(keep.length).toBeGreaterThan(0);
  });

  it('held filler survives the first scavenge (it is copied, as held documents are), its share of it when partly held; garbage filler does not', () => {
    // From an emptied young generation: the tests before filled it, and what a scavenge keeps stays there until the next.
    usedAfterNextScavenge();
    usedAfterNextScavenge();
    const garbage = halfFillYoung(0);
    const afterGarbage = usedAfterNextScavenge();
    usedAfterNextScavenge();
    const held = halfFillYoung(1);
    const afterHeld = usedAfterNextScavenge();
    expect(held.heldShare).toBe(1);
    expect(afterHeld).toBeGreaterThan(0.8 * held.bytes);
    expect(afterGarbage).toBeLessThan(0.5 * garbage.bytes);
    held.release();
    // A share of it: every other array held, about half of it survives.
    usedAfterNextScavenge();
    usedAfterNextScavenge();
    const half = halfFillYoung(0.5);
    const afterHalf = usedAfterNextScavenge();
    expect(afterHalf).toBeGreaterThan(0.3 * half.bytes);
    expect(afterHalf).toBeLessThan(0.7 * half.bytes);
    half.release();
  });

  it('held filler lands in the young generation run after run: V8 does not pretenure it after it survived', () => {
    for (let run = 0; run < 6; run++) {
      usedAfterNextScavenge();
      usedAfterNextScavenge();
      const held = halfFillYoung(1);
      const { used, capacity } = young();
      // Had its allocation been pretenured (new Array(32) was, from the second run on), the young generation would not fill.
      expect(used).toBeGreaterThanOrEqual(capacity / 2);
      expect(held.bytes).toBeGreaterThan(0.4 * capacity);
      // It survives two scavenges, as a run's held documents do: the second promotes it.
      usedAfterNextScavenge();
      usedAfterNextScavenge();
      held.release();
    }
  });
});

/** Where the garbage goes: outside the loop, so that no escape analysis removes the allocation. */
const sink: { last: unknown } = { last: null };

/** Allocates garbage until the next scavenge empties the young generation, and returns what survived it there. */
function usedAfterNextScavenge(): number {
  let last = young().used;
  for (;;) {
    for (let i = 0; i < 100; i++) sink.last = new Array(30);
    const now = young();
    if (now.used < last - now.capacity / 4) return now.used;
    last = now.used;
  }
}
