import { describe, expect, it } from 'vitest';
import { batchCost, docsPerBatch, MAX_REPLY_BSON_BYTES, SUGGESTED_BATCH_SIZE, withBatch } from '../../src/query/batch.js';
import { predict, type LiveReading } from '../../src/query/predict.js';
import type { MeasuredQuery, VariantOutcome } from '../../src/query/result.js';
import { batchSentence } from '../../src/query/verdict.js';

const MB = 1024 * 1024;
const reading = (docs: number, heapBytes: number, externalBytes = 0): LiveReading => ({ docs, heapBytes, externalBytes, arrayBuffersBytes: externalBytes });

type Ok = Extract<VariantOutcome, { status: 'ok' }>;

function ok(name: VariantOutcome['name'], live: LiveReading, count: number, heapBeforeBytes = 10 * MB): Ok {
  const prediction = predict(null, live, count);
  return {
    name,
    description: name,
    notes: [],
    status: 'ok',
    measurement: { heapBeforeBytes } as Ok['measurement'],
    prediction,
    cap: null,
    replay: null,
  };
}

describe("the driver's batch", () => {
  it('a batch holds up to 16 MiB of BSON after a first batch of 101 documents, or batchSize documents', () => {
    expect(docsPerBatch(340_170, 118)).toBe(Math.floor(MAX_REPLY_BSON_BYTES / 118));
    expect(docsPerBatch(50, 118)).toBe(50);
    expect(docsPerBatch(5_000, 118)).toBe(4_899);
    expect(docsPerBatch(340_170, 24)).toBe(340_069);
    expect(docsPerBatch(340_170, 118, 1000)).toBe(1000);
    expect(docsPerBatch(600, 118, 1000)).toBe(600);
  });

  it("stream's prediction is the batch cost; a variant that keeps every document is capped with it", () => {
    const stream = ok('stream', reading(10_000, 12 * MB, 1 * MB), 146_000);
    const batch = batchCost([stream])!;
    expect(batch.docsPerBatch).toBe(146_000);
    expect(batch.bytes).toBe(Math.round((13 * MB * 146_000) / 10_000));
    expect(batch.heapBytes).toBe(Math.round((12 * MB * 146_000) / 10_000));
    expect(batch.suggestedBatchBytes).toBe(Math.round((13 * MB * SUGGESTED_BATCH_SIZE) / 10_000));

    // 382 B/doc × 340,170 = 124 MB, alone it fits under 256 MB; with a 175 MB batch it does not.
    const driver = ok('driver', reading(10_000, 3_820_000), 340_170);
    const limit = 256 * MB;
    expect(withBatch(driver, null, limit)).toBe(driver);
    const capped = withBatch(driver, batch, limit);
    expect(capped.status === 'ok' && capped.cap).toEqual({ fits: false, oomAfterDocs: Math.floor((limit - 10 * MB - batch.heapBytes) / 382) });
    // projection reads other documents, so other batches: left alone.
    expect(withBatch({ ...driver, name: 'projection' }, batch, limit)).toEqual({ ...driver, name: 'projection' });
    expect(batchCost([driver])).toBeNull();
  });

  it('the verdict names the batch only where it weighs, with its figures', () => {
    const stream = ok('stream', reading(10_000, 12 * MB, 1 * MB), 146_000);
    const driver = ok('driver', reading(10_000, 3_820_000), 340_170);
    const query = { variants: [driver, stream], batch: batchCost([stream]) } as unknown as MeasuredQuery;
    const sentence = batchSentence(query);
    expect(sentence).toContain('~146,000 documents');
    expect(sentence).toContain('batchSize of 1,000');
    expect(sentence).toContain('the cap verdicts count it');
    const small = ok('stream', reading(1_000, 100_000), 900);
    expect(batchSentence({ variants: [driver, small], batch: batchCost([small]) } as unknown as MeasuredQuery)).toBe('');
    expect(batchSentence({ variants: [driver], batch: null } as unknown as MeasuredQuery)).toBe('');
  });
});
