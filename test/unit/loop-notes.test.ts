import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { largeHeapNote, loopFor, withLoopNotes } from '../../src/engines/query/outcome.js';
import type { QueryChildResult } from '../../src/engines/query/protocol.js';
import { variantNamed } from '../../src/engines/query/variants/index.js';
import { LARGE_HEAP_BYTES } from '../../src/engines/query/loop-band.js';
import type { LoopRun } from '../../src/results/measure.js';
import type { VariantOutcome } from '../../src/results/query.js';

type OkOutcome = Extract<VariantOutcome, { status: 'ok' }>;

/** A real query result's variant (fixtures/query.json): its sample's timed runs and its outcome. */
function saved(name: string): OkOutcome {
  const result = JSON.parse(readFileSync(new URL('../../fixtures/query.json', import.meta.url), 'utf8')) as { queries: Array<{ variants: VariantOutcome[] }> };
  const outcome = result.queries[0]!.variants.find((variant) => variant.name === name)!;
  if (outcome.status !== 'ok' || !outcome.loopPrediction || !outcome.measurement.loop || !outcome.measurement.loopHalf)
    throw new Error(`fixtures/query.json: ${name} has no loop figures`);
  return outcome;
}

/** The child's message loopFor reads, rebuilt from a saved outcome's runs (its sample and the sample's half). */
function messageOf(outcome: OkOutcome): QueryChildResult {
  const { measurement } = outcome;
  const runs = (docs: number, loops: readonly LoopRun[]) => loops.map((loop) => ({ durationMs: 1, peakHeapBytes: 0, docs, loop }));
  return {
    runs: runs(measurement.docs, measurement.loop!.runs),
    halfRuns: runs(measurement.loopHalf!.docs, measurement.loopHalf!.summary.runs),
    docsReceived: measurement.docs,
    bytesReceived: measurement.bsonBytes,
    largestBatchDocs: measurement.docs,
  } as unknown as QueryChildResult;
}

describe('a holding pass over a large heap, through loopFor to the note', () => {
  it("loopFor passes the whole result's heap on: Mongoose's pass over 1 GiB is flagged and its range reaches 3×; lean's and a smaller heap's are not", () => {
    const mongoose = saved('mongoose');
    const count = mongoose.measurement.docs * 100;
    const over = loopFor(variantNamed('mongoose'), messageOf(mongoose), count, { wholeHeapBytes: LARGE_HEAP_BYTES })!;
    expect(over.blocking).toBe('whole-result');
    expect(over.largeHeapPass).toBe(true);
    const under = loopFor(variantNamed('mongoose'), messageOf(mongoose), count, { wholeHeapBytes: LARGE_HEAP_BYTES / 2 })!;
    expect(under.largeHeapPass).toBeUndefined();
    // The same runs, the same point: only the top of the range moves.
    expect(over.blockedMs).toBe(under.blockedMs);
    expect((over.blockedHighMs - over.blockedMs) / (under.blockedHighMs - under.blockedMs)).toBeGreaterThan(1.3);
    // lean's pass keeps nothing it creates (passHolds: false): not flagged over any heap.
    const lean = loopFor(variantNamed('lean'), messageOf(mongoose), count, { wholeHeapBytes: 4 * LARGE_HEAP_BYTES })!;
    expect(lean.largeHeapPass).toBeUndefined();
  });

  it('the flagged outcome gets the note once, which sends the reader to --full unless --full runs', () => {
    const mongoose = saved('mongoose');
    const flagged: OkOutcome = { ...mongoose, loopPrediction: { ...mongoose.loopPrediction!, largeHeapPass: true } };
    const noted = withLoopNotes(flagged, false);
    expect(noted.notes).toEqual([...flagged.notes, largeHeapNote(false)]);
    expect(largeHeapNote(false)).toMatch(/heap predicted at 1 GiB or more .* up to 3× the point; --full measures it$/);
    expect(withLoopNotes(noted, false).notes).toEqual(noted.notes);
    expect(withLoopNotes(flagged, true).notes.at(-1)).toBe(largeHeapNote(true));
    expect(largeHeapNote(true)).not.toMatch(/--full/);
  });

  it('any other outcome is returned as it was', () => {
    const plain = saved('mongoose');
    expect(withLoopNotes(plain, false)).toBe(plain);
    const skipped: VariantOutcome = { name: 'lean', description: '', notes: [], status: 'skipped', reason: 'not run', prediction: null, replay: null };
    expect(withLoopNotes(skipped, false)).toBe(skipped);
  });
});
