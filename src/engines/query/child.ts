import { sendFinal } from '../../lib/child/in-child.js';
import { timedRuns, warmUp } from '../../core/measure/runs.js';
import { endOfChild, openSession, receiveSessionConfig } from '../../core/measure/session.js';
import { settledMemory } from '../../core/measure/settle.js';
import { liveReadings, type SpecRun } from './probe.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';
import { sampled, specFromText } from './spec.js';
import { variantNamed } from './variants/index.js';
import type { VariantContext } from './variants/types.js';

/**
 * Child entry of `imdiag query` (protocol: protocol.ts), under `node --expose-gc`: one variant in
 * the measuring session every measuring child shares (src/core/measure/session.ts: an accounting
 * warm-up, a GC-settled baseline, measured runs with a sampled peak; a sample's runs re-warmed after
 * each settling GC, from a half-full young generation: run-child.ts), then unmeasured probe runs
 * that stop at the variant's peak point for a full GC (probe.ts): the live memory, V8 heap and
 * `external` (Buffers) both. Sends one message and lets the process end.
 */
const { config, spawnMs } = await receiveSessionConfig<QueryChildConfig>();
const variant = variantNamed(config.variant);
const spec = specFromText(config.spec);
const details: VariantContext['details'] = {};
/**
 * The re-warm's documents: enough for TurboFan to re-optimise the per-document code a full GC
 * deoptimised (Mongoose at 10,001 documents: 1,000 left its CPU per document at 15–18 µs, 3,000
 * brought it to 10–11 µs, as without the full GC). What of them a scavenge promoted stays in the
 * old generation until the next full GC, a few MB (Mongoose: ~2.3 MB) beside the timed run's peak;
 * the live memory is read by the probe runs, after a full GC.
 */
const REWARM_DOCS = 3_000;
// Probe runs (probe.ts): the sample, the sample in copies, its half; at most three, one without a half.
const probeRuns = config.probeHalf && variant.scaling === 'per-document' ? 3 : 1;
const session = openSession(config, { appName: `imdiag-query-${config.variant}`, clientOptions: { readPreference: config.readPreference }, probeRuns });

/** The variant on `runSpec`, given what the session shares and what is the query's own. */
const runOn: SpecRun = (runSpec) => (context) =>
  variant.run({ ...context, spec: runSpec, maxTimeMS: config.maxTimeMS, readPreference: config.readPreference, modelPath: config.modelPath, details });

async function measure(): Promise<QueryChildMessage> {
  const { db, connectMs } = await session.connect();
  const replies = await warmUp(session, db, runOn(spec));
  // A sample's runs re-warm after each full GC (runs.ts): the variant on the first REWARM_DOCS documents.
  // A whole result's run (--full) pays the re-optimisation once, a small share of its CPU.
  // What the whole result's young generation holds at a scavenge: every document of a variant that holds them all, a
  // cursor's batch next to nothing. As much of the filler is held through each timed run (runs.ts).
  const rewarm =
    config.probeHalf && spec.mode !== 'distinct'
      ? { run: runOn(sampled(spec, REWARM_DOCS)), heldShare: variant.scaling === 'per-document' ? 1 : 0 }
      : undefined;
  const before = await settledMemory();
  const timed = await timedRuns(session, db, runOn(spec), (docs) => ({ docs }), rewarm);
  const { runs } = timed;
  // The same timed runs on the sample's first half: the event loop's and CPU's second size (loop-predict.ts).
  const halfDocs = Math.floor((timed.last ?? 0) / 2);
  const halfRuns = config.probeHalf && halfDocs > 0 ? (await timedRuns(session, db, runOn(sampled(spec, halfDocs)), (docs) => ({ docs }), rewarm)).runs : [];
  const readings = await liveReadings(session, db, variant, runOn, { spec, probeHalf: config.probeHalf, runs, before, lastDocs: timed.last ?? 0 });
  session.sampler.stop();

  return {
    type: 'result',
    variant: config.variant,
    runs,
    halfRuns,
    warmupRuns: config.warmupRuns,
    heapBeforeBytes: before.heap,
    live: readings.live,
    liveHalf: readings.liveHalf,
    heapLimitBytes: readings.heapLimitBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    docsReceived: replies.docsReceived,
    bytesReceived: replies.bytesReceived,
    largestBatchDocs: replies.largestBatchDocs,
    spawnMs,
    connectMs,
    notes: [...session.notes],
    ...(details.schema && { schema: details.schema }),
    ...(details.batchDocs !== undefined && { batchDocs: details.batchDocs }),
    ...(details.populate && { populate: details.populate }),
  };
}

await sendFinal(await endOfChild(session, { variant: config.variant }, measure));
