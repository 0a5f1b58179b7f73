import type { Db } from 'mongodb';
import type { RunContext } from '../../lib/run-context.js';
import { InputError } from '../../lib/errors.js';
import { batchCost, withBatch } from './batch.js';
import { fullReplay, variantOutcome, withLoopNotes } from './outcome.js';
import type { QueryChildConfig } from './protocol.js';
import type { MeasuredQuery, VariantOutcome } from '../../results/query.js';
import { CHILD_TIMEOUT_MS } from '../../core/measure/run-child.js';
import { SAMPLER_INTERVAL_MS } from '../../core/measure/sampler.js';
import { queueProgress, type QueueProgress } from '../../core/measure/queue-progress.js';
import { runQueryChild } from './run-child.js';
import { explainSpec } from './explain.js';
import { resultSize } from './result-size.js';
import { describeSpec, projected, sampled, specToText, type QuerySpec } from './spec.js';
import { variantNamed } from './variants/index.js';
import type { VariantName } from './variants/names.js';
import { megabytes } from '../../lib/format.js';
import { populateCensus, type PopulateCensus } from './populate/census.js';
import { withPopulate } from './populate/outcome.js';

export interface MeasureOptions {
  uri: string;
  dbName: string;
  variants: VariantName[];
  /** Explicit --variants: an inapplicable one is reported as skipped; by default it is left out. */
  variantsExplicit: boolean;
  sample: number;
  full: boolean;
  maxHeapBytes: number;
  maxOldSpaceSizeMB: number | null;
  heapLimitBytes: number;
  maxTimeMS: number;
  readPreference: QueryChildConfig['readPreference'];
  runs: number;
  suggestProjection: string[] | null;
  model: string | null;
}

/**
 * One query: its size and plan on the server, then each variant in its own child on the first
 * `sample` documents (the whole reply for distinct), one child after the other; with --full, the
 * whole result again per variant under the cap, unless the prediction says it would not fit in
 * --max-heap.
 */
export async function measureQuery(db: Db, spec: QuerySpec, label: string, opts: MeasureOptions, ctx: RunContext): Promise<MeasuredQuery> {
  const notes: string[] = [];
  const size = await resultSize(db, spec, opts.maxTimeMS);
  if (size.note) notes.push(size.note);
  const server = await explainSpec(db, spec, opts.maxTimeMS);
  const census: PopulateCensus[] = spec.mode === 'find' && spec.populate?.length ? await populateCensus(db, spec, spec.populate, opts.maxTimeMS) : [];
  const batchSize = spec.mode === 'distinct' ? undefined : spec.batchSize;
  const whole = spec.mode === 'distinct' || size.count <= opts.sample;
  const sampleSpec = whole ? spec : sampled(spec, opts.sample);
  const variants: VariantOutcome[] = [];
  const names = opts.variants.filter((name) => name !== 'projection' || opts.suggestProjection);
  // The progress counter counts the variants that run: skipped ones do not make it jump.
  const runnable = names.filter((name) => !variantNamed(name).inapplicable(spec));
  const progress = queueProgress(ctx.reporter, { title: 'query', total: runnable.length });
  try {
    for (const name of names) {
      if (ctx.signal.aborted) break;
      const variant = variantNamed(name);
      const reason = variant.inapplicable(spec);
      if (reason) {
        // A distinct returns values, which most variants do not read: each says why it did not run.
        if (opts.variantsExplicit || spec.mode === 'distinct')
          variants.push({ name, description: variant.description, notes: [], status: 'skipped', reason, prediction: null, replay: null });
        continue;
      }
      ctx.reporter.note(
        `query: ${name} (${runnable.indexOf(name) + 1}/${runnable.length}) on ${whole ? 'the whole result' : `a sample of ${opts.sample.toLocaleString('en-US')}`} of ${size.count.toLocaleString('en-US')} documents…`,
      );
      const runSpec = name === 'projection' ? projected(sampleSpec, opts.suggestProjection!) : sampleSpec;
      progress.start(name);
      const child = await runQueryChild(childConfig(name, runSpec, !whole, opts), childOptions(opts, ctx, progress));
      const outcome = variantOutcome(variant, child, size.count, opts.heapLimitBytes, batchSize);
      const message = child.kind === 'message' && child.message.type === 'result' ? child.message : null;
      variants.push(
        withLoopNotes(census.length > 0 ? withPopulate(outcome, message, census, variants, size.count, opts.heapLimitBytes, batchSize) : outcome, opts.full),
      );
    }
  } finally {
    progress.end();
  }
  if (opts.full && !whole && !ctx.signal.aborted) await replayWhole(spec, variants, opts, ctx);
  const batch = spec.mode === 'distinct' ? { cost: null, note: null } : batchCost(variants);
  if (batch.note && variants.some((v) => v.status === 'ok')) notes.push(batch.note);
  return {
    label,
    mode: spec.mode,
    collection: spec.collection,
    query: describeSpec(spec),
    count: size.count,
    countSource: size.source,
    resultBsonBytes: size.bytes,
    sampleDocs: whole ? null : opts.sample,
    server,
    variants: variants.map((outcome) => withBatch(outcome, variants, batch.cost, opts.heapLimitBytes, size.count, batchSize)),
    batch: batch.cost,
    notes,
  };
}

/** --full: refused when a variant is predicted over --max-heap; otherwise every measured variant over the whole result. */
async function replayWhole(spec: QuerySpec, variants: VariantOutcome[], opts: MeasureOptions, ctx: RunContext): Promise<void> {
  const over = variants.filter((outcome) => outcome.prediction && outcome.prediction.liveBytes > opts.maxHeapBytes);
  if (over.length > 0) {
    const mb = megabytes;
    const worst = over.reduce((a, b) => (a.prediction!.liveBytes >= b.prediction!.liveBytes ? a : b));
    throw new InputError(
      'full',
      `refused: ${worst.name} is predicted to hold ~${mb(worst.prediction!.liveBytes)} live for the whole result, over --max-heap ${mb(opts.maxHeapBytes)} (default: half this machine's free memory); raise --max-heap, narrow --filter, or drop --full to keep the prediction`,
      ' ',
    );
  }
  const replayed = variants.filter((outcome) => outcome.status === 'ok');
  const progress = queueProgress(ctx.reporter, { title: 'query --full', total: replayed.length });
  try {
    for (const outcome of replayed) {
      if (ctx.signal.aborted) break;
      ctx.reporter.note(`query: ${outcome.name} over the whole result (--full)…`);
      const runSpec = outcome.name === 'projection' ? projected(spec, opts.suggestProjection!) : spec;
      progress.start(outcome.name);
      // One measured run and the probe: no warm-up (the sample's child did that), the result may be large.
      const config = { ...childConfig(outcome.name, runSpec, false, { ...opts, runs: 1 }), warmupRuns: 0 };
      outcome.replay = fullReplay(await runQueryChild(config, childOptions(opts, ctx, progress)));
    }
  } finally {
    progress.end();
  }
}

function childConfig(variant: VariantName, spec: QuerySpec, probeHalf: boolean, opts: MeasureOptions): Omit<QueryChildConfig, 'forkedAtNs'> {
  return {
    variant,
    uri: opts.uri,
    dbName: opts.dbName,
    spec: specToText(spec),
    probeHalf,
    runs: opts.runs,
    warmupRuns: 1,
    samplerIntervalMs: SAMPLER_INTERVAL_MS,
    maxTimeMS: opts.maxTimeMS,
    readPreference: opts.readPreference,
    modelPath: opts.model,
  };
}

function childOptions(opts: MeasureOptions, ctx: RunContext, progress: QueueProgress) {
  return { maxOldSpaceSizeMB: opts.maxOldSpaceSizeMB, timeoutMs: CHILD_TIMEOUT_MS, signal: ctx.signal, onProgress: progress.onProgress };
}
