import { describe, expect, it } from 'vitest';
import { youngGenerationBytes } from '../../src/core/measure/young-generation.js';
import { clearlyLower } from '../../src/engines/compare-unread/verdict-batch.js';

const MB = 1024 * 1024;

describe("the young generation comes from the children's Node, not a constant", () => {
  it("is the probe's heap_size_limit less its cap, the same under any cap", async () => {
    const small = await youngGenerationBytes(64);
    const large = await youngGenerationBytes(null);
    expect(small).not.toBeNull();
    expect(large).toBe(small);
    // A whole number of semi-spaces of at least 1 MB.
    expect(small! % (3 * MB)).toBe(0);
  });

  it('"clearly lower" needs a gap wider than the semi-space: 40 MB is clear on Node 20 (16 MB), not on 24 (64 MB)', () => {
    expect(clearlyLower(60 * MB, 100 * MB, 16 * MB)).toBe(true);
    expect(clearlyLower(60 * MB, 100 * MB, 64 * MB)).toBe(false);
  });
});
