import { describe, expect, it } from 'vitest';
import { MAX_IN_FILTER_LENGTH, populateQueries, predictPopulate } from '../../src/engines/query/populate/predict.js';

const census = (parents: number, distinctIds: number, references = parents) => ({ path: 'msgId', collection: 'msgs', parents, distinctIds, references });

describe("Mongoose's split rule (splitPopulateQuery, maxInFilterLength)", () => {
  it('is 50,000 ids × foreign fields, as in Mongoose 9', async () => {
    // The constant is Mongoose's own: read it where Mongoose keeps it.
    const { createRequire } = await import('node:module');
    const split = createRequire(import.meta.url)('mongoose/lib/helpers/populate/splitPopulateQuery.js') as { maxInFilterLength: number };
    expect(MAX_IN_FILTER_LENGTH).toBe(split.maxInFilterLength);
  });

  it('up to the limit: one $in of the distinct ids, each referenced document held once', () => {
    expect(populateQueries(census(120_000, 50_000))).toMatchObject({ split: false, queries: 1, idsPerQuery: 50_000, referencedDocsHeld: 50_000 });
    expect(populateQueries(census(10, 3, 10))).toMatchObject({ split: false, queries: 1, idsPerQuery: 3, referencedDocsHeld: 3 });
  });

  it('above it: one query per parent, each parent its own copy (the worked example: 340,170 receipts, one msg each)', () => {
    expect(populateQueries(census(340_170, 340_170))).toEqual({
      path: 'msgId',
      collection: 'msgs',
      parents: 340_170,
      distinctIds: 340_170,
      references: 340_170,
      split: true,
      queries: 340_170,
      idsPerQuery: 1,
      referencedDocsHeld: 340_170,
    });
    expect(populateQueries(census(60_000, 50_001, 120_000))).toMatchObject({ split: true, queries: 60_000, idsPerQuery: 2, referencedDocsHeld: 120_000 });
  });

  it('counts one copy of the ids per foreign field; one parent or no id never splits', () => {
    expect(populateQueries(census(40_000, 30_000), 2)).toMatchObject({ split: true, queries: 40_000 });
    expect(populateQueries(census(1, 80_000, 80_000))).toMatchObject({ split: false, queries: 1 });
    expect(populateQueries(census(5, 0, 0))).toMatchObject({ split: false, queries: 0, referencedDocsHeld: 0 });
  });
});

describe('predictPopulate: parents × their cost + referenced documents held × theirs', () => {
  // 1,000 B per parent, 3,000 B per referenced document.
  const live = (parents: number, held: number) => ({ parents, held, liveBytes: parents * 1000 + held * 3000, heapBytes: parents * 1000 + held * 3000 });

  it('separates the two costs with the sibling variant (same parents, no populate)', () => {
    const fit = predictPopulate(live(1000, 100), null, 1000, 100_000, 2_000);
    expect(fit.perParentBytes).toBe(1000);
    expect(fit.perReferencedBytes).toBe(3000);
    expect(fit.prediction.liveBytes).toBe(100_000 * 1000 + 2_000 * 3000);
    // The range reaches the plain per-parent scaling, which would assume the referenced documents grow with the parents.
    expect(fit.prediction.highBytes).toBe(100 * (1000 * 1000 + 100 * 3000));
    expect(fit.prediction.measuredWhole).toBe(false);
  });

  it('without the sibling: from the sample and its half when they hold referenced documents in different proportions', () => {
    const fit = predictPopulate(live(1000, 100), live(500, 80), null, 100_000, 2_000);
    expect(fit.perParentBytes).toBeCloseTo(1000, 6);
    expect(fit.perReferencedBytes).toBeCloseTo(3000, 6);
    expect(fit.prediction.liveBytes).toBe(106_000_000);
  });

  it("the variant's own two sizes before the sibling's parents: a hydrated parent also keeps Mongoose's record of what it populated", () => {
    // 1,150 B per populated parent, where the sibling without populate holds 1,000: the sibling would count 150 B × parents with the referenced documents.
    const own = (parents: number, held: number) => ({ parents, held, liveBytes: parents * 1150 + held * 3000, heapBytes: parents * 1150 + held * 3000 });
    const fit = predictPopulate(own(10_000, 225), own(5_000, 150), 1000, 340_170, 3_799);
    expect(fit.perParentBytes).toBeCloseTo(1150, 6);
    expect(fit.perReferencedBytes).toBeCloseTo(3000, 6);
    expect(fit.prediction.liveBytes).toBe(340_170 * 1150 + 3_799 * 3000);
    // The sibling alone (no half) puts the 150 B a parent on the 225 msgs: 9,667 B each.
    expect(predictPopulate(own(10_000, 225), null, 1000, 340_170, 3_799).perReferencedBytes).toBeCloseTo(3000 + (150 * 10_000) / 225, 6);
  });

  it('the split multiplies the referenced documents held: a copy per parent', () => {
    // 60,000 distinct msgs: past the limit, every receipt gets its own copy of its msg.
    const split = predictPopulate(live(10_000, 5_000), null, 1000, 340_170, populateQueries(census(340_170, 60_000)).referencedDocsHeld);
    expect(split.prediction.liveBytes).toBe(340_170 * 1000 + 340_170 * 3000);
    // 40,000 distinct msgs: one $in, each msg held once however many receipts point at it.
    const shared = predictPopulate(live(10_000, 5_000), null, 1000, 340_170, populateQueries(census(340_170, 40_000)).referencedDocsHeld);
    expect(shared.prediction.liveBytes).toBe(340_170 * 1000 + 40_000 * 3000);
  });

  it('when nothing separates them: the per-parent scaling, and says it could not tell them apart', () => {
    const fit = predictPopulate(live(1000, 1000), live(500, 500), null, 10_000, 10_000);
    expect(fit.perParentBytes).toBeNull();
    expect(fit.prediction.liveBytes).toBe(10 * live(1000, 1000).liveBytes);
  });

  it('a sample that is the whole result is measured, not predicted', () => {
    const fit = predictPopulate(live(300, 40), null, 1000, 300, 40);
    expect(fit.prediction).toMatchObject({ measuredWhole: true, liveBytes: live(300, 40).liveBytes, lowBytes: live(300, 40).liveBytes });
  });
});
