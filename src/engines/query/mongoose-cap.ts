import { bytes, count } from '../../lib/format.js';
import type { CapVerdict, Prediction } from '../../results/query-prediction.js';
import type { VariantOutcome } from '../../results/query.js';

type Measured = Extract<VariantOutcome, { status: 'ok' }> & { prediction: Prediction };

/**
 * Mongoose's worst moment under a heap cap. `Model.find()` first reads every document through the
 * driver (the plain documents lean returns, plus the batch being read), then hydrates them while
 * the plain ones are still held (Mongoose's completeMany walks the driver's array, which lives
 * until the last document is hydrated). So it needs the larger of
 * - reading: plain documents + the batch, as lean (the same documents, from the same process);
 * - hydrating: plain + hydrated documents, an upper bound: the two share their values (strings,
 *   ObjectIds, dates), which both live readings count;
 * and it runs out of heap at the earlier of the two. Measured alone, hydrated documents (~2× the
 * plain ones) would put Mongoose's OOM later than lean's and driver's, which read the same
 * documents and the same batch first.
 */
export function mongooseCap(mongoose: Measured, plain: Measured, batchHeapBytes: number, limitBytes: number): CapVerdict {
  const docs = mongoose.prediction.docs;
  const perDoc = (prediction: Prediction) => (prediction.docs > 0 ? prediction.heapBytes / prediction.docs : 0);
  const plainPerDoc = perDoc(plain.prediction);
  const hydratedPerDoc = perDoc(mongoose.prediction);
  const baseline = mongoose.measurement.heapBeforeBytes;
  const reading = plainPerDoc * docs + batchHeapBytes;
  const hydrating = (plainPerDoc + hydratedPerDoc) * docs;
  const needed = baseline + Math.max(reading, hydrating);
  if (needed < limitBytes) return { fits: true, headroomBytes: Math.round(limitBytes - needed) };
  const room = limitBytes - baseline;
  const byReading = plainPerDoc > 0 ? (room - batchHeapBytes) / plainPerDoc : Infinity;
  const byHydrating = plainPerDoc + hydratedPerDoc > 0 ? room / (plainPerDoc + hydratedPerDoc) : Infinity;
  return { fits: false, oomAfterDocs: Math.max(0, Math.min(docs, Math.floor(Math.min(byReading, byHydrating)))) };
}

/** What the cap verdict of mongoose counts, in words, and why lean or mongoose start above driver. */
export function capNotes(outcome: Measured, variants: VariantOutcome[], plain: Measured | undefined, batchHeapBytes: number): string[] {
  const notes: string[] = [];
  if (outcome.name === 'mongoose' && plain) {
    const plainPerDoc = plain.prediction.docs > 0 ? plain.prediction.heapBytes / plain.prediction.docs : 0;
    notes.push(
      `under the cap: reads like ${plain.name} first (${count(plainPerDoc)} B/doc${batchHeapBytes > 0 ? ` + the driver's batch, ~${bytes(batchHeapBytes)}` : ''}), then hydrates while still holding those documents (up to ${count(plainPerDoc)} + ${count(outcome.measurement.bytesPerDoc)} B/doc); the verdict is the earlier of the two`,
    );
  }
  const driver = variants.find((v): v is Measured => v.name === 'driver' && v.status === 'ok' && v.prediction !== null);
  const above = driver ? outcome.measurement.heapBeforeBytes - driver.measurement.heapBeforeBytes : 0;
  if ((outcome.name === 'mongoose' || outcome.name === 'lean') && above > 1024 * 1024)
    notes.push(
      `its process holds Mongoose itself (connection, model, compiled code): ${bytes(above)} more heap than driver's before any document, less room under the cap`,
    );
  return notes;
}
