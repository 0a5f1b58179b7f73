import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withLoopNotes } from '../../src/engines/query/outcome.js';
import type { VariantOutcome } from '../../src/results/query.js';

/** A real query result's Mongoose outcome (fixtures/query.json), its loop prediction marked or not. */
function mongoose(largeHeapPass: boolean): VariantOutcome {
  const saved = JSON.parse(readFileSync('fixtures/query.json', 'utf8')) as { queries: Array<{ variants: VariantOutcome[] }> };
  const outcome = saved.queries[0]!.variants.find((variant) => variant.name === 'mongoose')!;
  if (outcome.status !== 'ok' || !outcome.loopPrediction) throw new Error('fixtures/query.json: mongoose has no loop prediction');
  const loopPrediction = { ...outcome.loopPrediction, ...(largeHeapPass && { largeHeapPass: true as const }) };
  return { ...outcome, prediction: { ...outcome.prediction!, heapBytes: 1.36e9 }, loopPrediction };
}

describe('the note on a blocked time known only loosely', () => {
  it('a holding pass over a heap of 1 GiB or more says why its range reaches 3× and what measures it', () => {
    const before = mongoose(true);
    const after = withLoopNotes(before);
    expect(after.notes).toHaveLength(before.notes.length + 1);
    const note = after.notes.at(-1)!;
    expect(note).toMatch(/heap of ~1\.27 GB/);
    expect(note).toMatch(/3× the point; --full measures it$/);
  });

  it('any other outcome is returned as it was', () => {
    const plain = mongoose(false);
    expect(withLoopNotes(plain)).toBe(plain);
    const skipped: VariantOutcome = { name: 'lean', description: '', notes: [], status: 'skipped', reason: 'not run', prediction: null, replay: null };
    expect(withLoopNotes(skipped)).toBe(skipped);
  });
});
