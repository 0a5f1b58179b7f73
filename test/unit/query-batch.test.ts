import { describe, expect, it } from 'vitest';
import {
  batchCost,
  docsPerBatch,
  lastBatchDocs,
  MAX_REPLY_BSON_BYTES,
  MIN_MEASURED_BATCH_DOCS,
  SUGGESTED_BATCH_SIZE,
  withBatch,
} from '../../src/engines/query/batch.js';
import { predict, type LiveReading } from '../../src/engines/query/predict.js';
import type { MeasuredQuery, VariantOutcome } from '../../src/results/query.js';
import { batchSentence } from '../../src/engines/query/verdict.js';
import { groupPredictions } from '../../src/engines/query/group-by.js';

const MB = 1024 * 1024;
const reading = (docs: number, heapBytes: number, externalBytes = 0): LiveReading => ({ docs, heapBytes, externalBytes, arrayBuffersBytes: externalBytes });

type Ok = Extract<VariantOutcome, { status: 'ok' }>;

function ok(name: VariantOutcome['name'], live: LiveReading, count: number, extra: Partial<Ok['measurement']> = {}): Ok {
  return {
    name,
    description: name,
    notes: [],
    status: 'ok',
    measurement: { heapBeforeBytes: 10 * MB, docs: live.docs, bsonBytes: live.docs * 118, ...extra } as Ok['measurement'],
    prediction: predict(null, live, count),
    loopPrediction: null,
    cap: null,
    replay: null,
  };
}
/** stream's outcome: `held` documents of a batch measured, predicted for a batch of `docs`. */
const streamOf = (held: number, heapBytes: number, externalBytes: number, docs: number) =>
  ok('stream', reading(held, heapBytes, externalBytes), docs, { batchDocs: held });
const capOf = (outcome: VariantOutcome) => (outcome.status === 'ok' ? outcome.cap : null);

describe("the driver's batch", () => {
  it('a reply holds up to 16 MiB of BSON: after a first batch of 101 (or batchSize) documents, or fewer when they are large', () => {
    const byBytes = Math.floor(MAX_REPLY_BSON_BYTES / 118);
    expect(docsPerBatch(340_170, 118)).toBe(byBytes);
    expect(docsPerBatch(50, 118)).toBe(50);
    expect(docsPerBatch(5_000, 118)).toBe(4_899);
    expect(docsPerBatch(340_170, 24)).toBe(340_069);
    expect(docsPerBatch(340_170, 118, 1000)).toBe(1000);
    expect(docsPerBatch(600, 118, 1000)).toBe(600);
    // A batchSize over the cap does not lift it; large documents cut the first batch too.
    expect(docsPerBatch(340_170, 118, 1_000_000)).toBe(byBytes);
    expect(docsPerBatch(10_000, 200_000)).toBe(Math.floor(MAX_REPLY_BSON_BYTES / 200_000));
  });

  it('the last batch: what is left after the first and the full ones', () => {
    const byBytes = Math.floor(MAX_REPLY_BSON_BYTES / 118);
    expect(lastBatchDocs(340_170, 118)).toBe((340_170 - 101) % byBytes);
    expect(lastBatchDocs(50, 118)).toBe(50);
    expect(lastBatchDocs(5_000, 118)).toBe(4_899);
    expect(lastBatchDocs(340_170, 118, 1000)).toBe(170);
    expect(lastBatchDocs(3_000, 118, 1000)).toBe(1000);
  });

  it("stream's prediction is the batch cost; a variant that keeps every document is capped with it", () => {
    const stream = streamOf(10_000, 12 * MB, 1 * MB, 146_000);
    const { cost: batch, note } = batchCost([stream]);
    expect(note).toBeNull();
    expect(batch!.docsPerBatch).toBe(146_000);
    expect(batch!.bytes).toBe(Math.round((13 * MB * 146_000) / 10_000));
    expect(batch!.heapBytes).toBe(Math.round((12 * MB * 146_000) / 10_000));
    expect(batch!.suggestedBatchBytes).toBe(Math.round((13 * MB * SUGGESTED_BATCH_SIZE) / 10_000));

    // 382 B/doc × 340,170 = 124 MB: alone it fits under 256 MB; with a 175 MB batch it does not.
    const driver = ok('driver', reading(10_000, 3_820_000), 340_170);
    const limit = 256 * MB;
    expect(withBatch(driver, [driver], null, limit, 340_170)).toBe(driver);
    expect(capOf(withBatch(driver, [driver, stream], batch, limit, 340_170))).toEqual({
      fits: false,
      oomAfterDocs: Math.floor((limit - 10 * MB - batch!.heapBytes) / 382),
    });
    expect(batchCost([driver])).toEqual({ cost: null, note: expect.stringMatching(/not measured: stream measures it/) });
  });

  it('projection is capped with its own, larger batches', () => {
    const { cost: batch } = batchCost([streamOf(10_000, 12 * MB, 1 * MB, 146_000)]);
    const limit = 4096 * MB;
    // {msgId}: 24 B of BSON a document, so the whole 340,170 in one batch after the first 101.
    const projection = ok('projection', reading(10_000, 1_240_000), 340_170, { bsonBytes: 240_000 });
    const capped = capOf(withBatch(projection, [projection], batch, limit, 340_170));
    const extra = Math.round(batch!.heapPerDocBytes * 340_069);
    expect(capped).toEqual({ fits: true, headroomBytes: limit - 10 * MB - extra - projection.prediction!.heapBytes });
  });

  it('mongoose under a cap: it reads like lean (documents + batch), then hydrates holding both; it never runs out later than lean', () => {
    const stream = streamOf(10_000, 12 * MB, 1 * MB, 146_000);
    const { cost: batch } = batchCost([stream]);
    const limit = 256 * MB;
    // The issue's figures: driver and lean 382 B/doc, mongoose 762 B/doc, lean's and mongoose's processes ~6 MB heavier (Mongoose itself).
    const driver = ok('driver', reading(10_000, 3_820_000), 340_170);
    const lean = ok('lean', reading(10_000, 3_820_000), 340_170, { heapBeforeBytes: 16 * MB });
    const mongoose = ok('mongoose', reading(10_000, 7_620_000), 340_170, { heapBeforeBytes: 16 * MB, bytesPerDoc: 762 });
    const variants = [driver, stream, lean, mongoose];
    const caps = Object.fromEntries(variants.map((v) => [v.name, capOf(withBatch(v, variants, batch, limit, 340_170))]));
    const oom = (name: string) => (caps[name] && !caps[name].fits ? caps[name].oomAfterDocs : Infinity);
    expect(oom('lean')).toBeLessThan(oom('driver'));
    expect(oom('mongoose')).toBeLessThanOrEqual(oom('lean'));
    // The reading moment decides here: the 168 MB batch on top of the plain documents.
    expect(oom('mongoose')).toBe(Math.floor((limit - 16 * MB - batch!.heapBytes) / 382));
    const withNotes = withBatch(mongoose, variants, batch, limit, 340_170);
    expect(withNotes.notes.join(' ')).toMatch(
      /reads like lean first \(382 B\/doc \+ the driver's batch, ~[\d.]+ MB\), then hydrates while still holding those documents \(up to 382 \+ 762 B\/doc\)/,
    );
    expect(withBatch(lean, variants, batch, limit, 340_170).notes.join(' ')).toMatch(/holds Mongoose itself .*6\.0 MB more heap than driver's/);
    // Without a batch (a result of one small reply), hydrating decides: plain + hydrated documents.
    const hydrating = capOf(withBatch(mongoose, [lean, mongoose], null, 128 * MB, 340_170));
    expect(hydrating).toEqual({ fits: false, oomAfterDocs: Math.floor((128 * MB - 16 * MB) / (382 + 762)) });
    expect(capOf(withBatch(mongoose, [lean, mongoose], null, 4096 * MB, 340_170))).toEqual({
      fits: true,
      headroomBytes: 4096 * MB - 16 * MB - (382 + 762) * 340_170,
    });
  });

  it("--group-by's mongoose rows are judged as mongoose's verdict: reading with the batch at the value's size, then hydrating", () => {
    const stream = streamOf(10_000, 12 * MB, 1 * MB, 146_000);
    const limit = 256 * MB;
    const lean = ok('lean', reading(10_000, 3_820_000), 340_170, { heapBeforeBytes: 16 * MB });
    const mongoose = ok('mongoose', reading(10_000, 7_620_000), 340_170, { heapBeforeBytes: 16 * MB, bytesPerDoc: 762 });
    const variants = [stream, lean, mongoose];
    const batch = batchCost(variants).cost;
    const query = { variants: variants.map((v) => withBatch(v, variants, batch, limit, 340_170)), batch } as unknown as MeasuredQuery;
    const row = (docs: number) => Object.fromEntries(groupPredictions(query, docs, limit).map((p) => [p.variant, p]));
    // 200,000 documents: 762 B/doc alone (152 MB) would fit; reading 382 B/doc plus a batch of 142,179 documents does not.
    const heavy = row(200_000);
    expect(heavy.mongoose).toEqual({ variant: 'mongoose', liveBytes: Math.round(mongoose.prediction!.perDocBytes * 200_000), fits: false });
    expect(heavy.lean!.fits).toBe(true);
    expect(Object.keys(heavy)).toEqual(['lean', 'mongoose']);
    // The measured value's row agrees with mongoose's own verdict at the measured size.
    expect(row(340_170).mongoose!.fits).toBe(capOf(query.variants[2]!)!.fits);
    // 50,000 documents: its batch is 49,899 documents, and both moments fit.
    expect(row(50_000).mongoose!.fits).toBe(true);
    // Hydrating decides without a batch: 1,144 B/doc × 200,000 + 16 MB over 230 MB.
    const noBatch = { variants: [lean, mongoose], batch: null } as unknown as MeasuredQuery;
    expect(groupPredictions(noBatch, 200_000, 230 * MB).find((p) => p.variant === 'mongoose')!.fits).toBe(false);
    expect(groupPredictions(noBatch, 200_000, 256 * MB).find((p) => p.variant === 'mongoose')!.fits).toBe(true);
  });

  it('a batch stream measured on too few documents is not carried to the whole result', () => {
    const small = streamOf(60, 80_000, 7_000, 146_000);
    const { cost, note } = batchCost([small]);
    expect(cost).toBeNull();
    expect(note).toMatch(new RegExp(`only 60 documents .* raise --sample above ${(MIN_MEASURED_BATCH_DOCS + 101).toLocaleString('en-US')}`));
    // A whole result smaller than the threshold is measured, not carried: it counts.
    expect(batchCost([streamOf(60, 80_000, 7_000, 60)]).cost).not.toBeNull();
  });

  it('the verdict names the batch only where it weighs, with its figures', () => {
    const stream = streamOf(10_000, 12 * MB, 1 * MB, 146_000);
    const driver = ok('driver', reading(10_000, 3_820_000), 340_170);
    const query = { variants: [driver, stream], batch: batchCost([stream]).cost } as unknown as MeasuredQuery;
    const sentence = batchSentence(query);
    expect(sentence).toContain('~146,000 documents');
    expect(sentence).toContain('batchSize of 1,000');
    expect(sentence).toContain('the cap verdicts count it');
    const small = streamOf(900, 100_000, 0, 900);
    expect(batchSentence({ variants: [driver, small], batch: batchCost([small]).cost } as unknown as MeasuredQuery)).toBe('');
    expect(batchSentence({ variants: [driver], batch: null } as unknown as MeasuredQuery)).toBe('');
  });
});
