/**
 * `npm run bench:query`: how far `imdiag query`'s prediction from a 1 % sample lands from the live
 * memory of the whole result, per variant, over several rounds, and what a variant child costs to
 * start and connect.
 *
 * Per round and variant, side by side on the same server: a sample child (the first 1 % of the
 * result, the whole sample and its first half probed, as `imdiag query` does) gives the
 * prediction; a full child (the whole result, one probe run to the peak point and a full GC) gives
 * the live memory it predicts. Reported: median error and its spread (min…max) over the rounds.
 * The same for the event loop: the longest block and the CPU predicted from the sample's --runs timed
 * runs and its half's (src/engines/query/loop-predict.ts) against the whole result's timed run, as
 * `imdiag query --full` replays it, both blocks at the CPU they had (bench/query-loop.ts; target ±25 %).
 *
 *   npm run bench:query -- [--uri mongodb://…] [--db bench_query] [--profile demo|article] [--collection readMsgs]
 *     [--filter '{"userId":"user-001"}'] [--variants driver,lean,raw,mongoose,stream] [--rounds 3] [--share 0.01] [--json]   (--help lists the flags)
 *     [--populate msgId:msgs --variants lean,lean+populate,mongoose,mongoose+populate]
 * A populate variant's prediction is imdiag query's (src/engines/query/populate/outcome.ts): the
 * whole result's distinct ids counted on the server, its sibling without populate (measured earlier
 * in the same round, when listed before it) for the parents' cost.
 * stream's prediction is its batch: the whole result's largest batch (16 MiB of BSON), against the
 * full run's first full batch at its end.
 * Without --uri it starts a throw-away mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY
 * honoured) and seeds --profile (demo) with a fixed anchor, as it does a --uri database without a dataset.
 */
import { benchArgs, flag } from './args.js';
import { openDemoDatabase } from './demo-db.js';
import { median } from './stats.js';
import { loopFigures, loopLines, loopReading, pct, type LoopReading } from './query-loop.js';
import { DEFAULT_RUNS } from '../src/commands/query/options.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { parseJsonObject } from '../src/commands/query/ejson.js';
import { predictFor } from '../src/engines/query/outcome.js';
import { liveOf } from '../src/engines/query/predict.js';
import { variantNamed } from '../src/engines/query/variants/index.js';
import type { QueryChildConfig, QueryChildResult } from '../src/engines/query/protocol.js';
import { runQueryChild } from '../src/engines/query/run-child.js';
import { sampled, specToText, type QuerySpec } from '../src/engines/query/spec.js';
import { VARIANT_NAMES, type VariantName } from '../src/engines/query/variants/names.js';
import { PROFILE_NAMES } from '../src/results/seed.js';
import type { VariantOutcome } from '../src/results/query.js';
import { variantOutcome } from '../src/engines/query/outcome.js';
import { populateCensus } from '../src/engines/query/populate/census.js';
import { withPopulate } from '../src/engines/query/populate/outcome.js';

const values = benchArgs(
  { name: 'bench:query', about: "how far imdiag query's prediction from a sample lands from the live memory of the whole result, per variant." },
  {
    uri: flag.uri(),
    db: flag.db('bench_query'),
    profile: flag.choice('dataset profile seeded when --db holds none', 'demo', PROFILE_NAMES),
    collection: flag.text('collection to query', 'readMsgs'),
    filter: {
      help: 'the find filter, Extended JSON (default: {"userId":"user-001"})',
      value: '<json>',
      parse: (name: string, raw: string | undefined) => {
        const text = raw ?? '{"userId":"user-001"}';
        return { text, document: parseJsonObject(name, text) };
      },
    },
    variants: flag.list('variants to measure', ['driver', 'lean', 'raw', 'mongoose', 'stream'], VARIANT_NAMES),
    rounds: flag.integer('rounds of every variant; medians and spread reported', 3, 1, 100),
    runs: flag.integer("timed runs of the sample child (imdiag query's --runs)", DEFAULT_RUNS, 1, 20),
    share: flag.number('share of the result the prediction samples', 0.01, 0.0001, 1),
    populate: flag.text('PATH:collection populated by the mongoose+populate and lean+populate variants', undefined),
    json: flag.switch('print the figures as JSON on stdout'),
    fullWarmup: flag.integer("whole-result warm-up runs before the full child's timed run (0: as `imdiag query --full`)", 0, 0, 5),
  },
);
const { rounds, share, variants } = values;

const { db, uri, close } = await openDemoDatabase(values.uri, values.db, 'bench:query', values.profile);
const [populatePath, populateCollection] = values.populate?.split(':') ?? [];
const populate = populatePath && populateCollection ? [{ path: populatePath, collection: populateCollection, ref: null }] : undefined;
if (variants.some((v) => v.endsWith('+populate')) && !populate) throw new Error('bench:query: a populate variant needs --populate PATH:collection');
const spec: Extract<QuerySpec, { mode: 'find' }> = {
  mode: 'find',
  collection: values.collection,
  filter: values.filter.document,
  ...(populate && { populate }),
};
const count = await db.collection(values.collection).countDocuments(spec.filter);
const census = populate ? await populateCensus(db, spec, populate, 600_000) : [];
const sample = Math.max(10, Math.round(count * share));

const base = { uri, dbName: values.db, samplerIntervalMs: 2, maxTimeMS: 600_000, readPreference: 'primary' as const, modelPath: null };
async function child(variant: VariantName, config: Pick<QueryChildConfig, 'spec' | 'probeHalf' | 'runs' | 'warmupRuns'>): Promise<QueryChildResult> {
  const outcome = await runQueryChild({ ...base, ...config, variant }, { maxOldSpaceSizeMB: null, timeoutMs: 30 * 60_000 });
  if (outcome.kind === 'death') throw new Error(`${variant}: ${outcome.death.summary}`);
  if (outcome.message.type !== 'result')
    throw new Error(`${variant}: ${outcome.message.type}: ${'reason' in outcome.message ? outcome.message.reason : outcome.message.message}`);
  return outcome.message;
}

interface Reading extends LoopReading {
  variant: VariantName;
  round: number;
  predictedBytes: number;
  fullLiveBytes: number;
  error: number;
  spawnMs: number;
  connectMs: number;
}
const readings: Reading[] = [];
for (let round = 1; round <= rounds; round++) {
  const earlier: VariantOutcome[] = [];
  for (const variant of variants) {
    process.stderr.write(
      `bench:query: round ${round}/${rounds}, ${variant}: sample of ${sample.toLocaleString('en-US')}, then all ${count.toLocaleString('en-US')}…\n`,
    );
    const sampledRun = await child(variant, { spec: specToText(sampled(spec, sample)), probeHalf: true, runs: values.runs, warmupRuns: 1 });
    // The whole result as `imdiag query --full` replays it: one timed run (no warm-up), then the probe run to the peak point.
    // --fullWarmup N: N whole-result runs first, a process that already read the result (docs/benchmarks.md: on article a
    // second whole result took ~2/3 of the first's CPU, on demo about the same; a re-warm on a few documents changed nothing).
    const fullRun = await child(variant, { spec: specToText(spec), probeHalf: false, runs: 1, warmupRuns: values.fullWarmup });
    if (!sampledRun.live || !fullRun.live) throw new Error(`${variant}: no live reading`);
    // stream: one batch of the whole result (its largest), against the full run's batch at its peak point.
    const outcome = variantOutcome(variantNamed(variant), { kind: 'message', message: sampledRun, exitCode: 0 }, count, Number.MAX_SAFE_INTEGER);
    earlier.push(outcome);
    const populated = variant.endsWith('+populate') ? withPopulate(outcome, sampledRun, census, earlier, count, Number.MAX_SAFE_INTEGER) : null;
    const prediction = populated ? populated.prediction : predictFor(variantNamed(variant), sampledRun, count);
    if (!prediction) throw new Error(`${variant}: no prediction (${sampledRun.notes.join('; ')})`);
    const predictedBytes = prediction.liveBytes;
    const fullLiveBytes = liveOf(fullRun.live);
    readings.push({
      ...loopReading(populated?.status === 'ok' ? populated.loopPrediction : outcome.status === 'ok' ? outcome.loopPrediction : null, sampledRun, fullRun),
      variant,
      round,
      predictedBytes,
      fullLiveBytes,
      error: predictedBytes / fullLiveBytes - 1,
      spawnMs: sampledRun.spawnMs,
      connectMs: sampledRun.connectMs,
    });
  }
}
await close();

const summary = {
  bench: 'query',
  environment: collectEnvironment(),
  dataset: { db: values.db, collection: values.collection, filter: values.filter.text, documents: count, sample, share },
  rounds,
  runs: values.runs,
  variants: variants.map((variant) => {
    const mine = readings.filter((r) => r.variant === variant);
    const errors = mine.map((r) => r.error);
    return {
      variant,
      medianPredictedBytes: median(mine.map((r) => r.predictedBytes)),
      medianFullLiveBytes: median(mine.map((r) => r.fullLiveBytes)),
      medianError: median(errors),
      minError: Math.min(...errors),
      maxError: Math.max(...errors),
      withinTarget: errors.every((e) => Math.abs(e) <= 0.15),
      loop: loopFigures(mine),
    };
  }),
  harness: {
    medianSpawnMs: median(readings.map((r) => r.spawnMs)),
    medianConnectMs: median(readings.map((r) => r.connectMs)),
    medianStartAndConnectMs: median(readings.map((r) => r.spawnMs + r.connectMs)),
  },
  readings,
};

if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else {
  const lines = [
    `bench:query · ${values.collection}.find(${values.filter.text}) · ${count.toLocaleString('en-US')} documents, prediction from a sample of ${sample.toLocaleString('en-US')} (${(share * 100).toFixed(2)} %) · Node ${process.version}, ${summary.environment.cpus} CPUs · ${rounds} rounds, ${values.runs} timed runs a sample`,
    'variant            predicted   --full live   median error   spread (min…max)   within ±15 %',
    ...summary.variants.map(
      (v) =>
        `${v.variant.padEnd(18)} ${bytes(v.medianPredictedBytes).padStart(9)}   ${bytes(v.medianFullLiveBytes).padStart(11)}   ${pct(v.medianError).padStart(12)}   ${`${pct(v.minError)}…${pct(v.maxError)}`.padStart(16)}   ${v.withinTarget ? 'yes' : 'no'}`,
    ),
    '',
    ...loopLines(summary.variants),
    `child start + connect: median ${summary.harness.medianStartAndConnectMs.toFixed(0)} ms (spawn ${summary.harness.medianSpawnMs.toFixed(0)} ms, connect ${summary.harness.medianConnectMs.toFixed(0)} ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
