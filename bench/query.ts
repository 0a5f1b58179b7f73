/**
 * `npm run bench:query`: how far `imdiag query`'s prediction from a 1 % sample lands from the live
 * memory of the whole result, per variant, over several rounds, and what a variant child costs to
 * start and connect.
 *
 * Per round and variant, side by side on the same server: a sample child (the first 1 % of the
 * result, the whole sample and its first half probed, as `imdiag query` does) gives the
 * prediction; a full child (the whole result, one probe run to the peak point and a full GC) gives
 * the live memory it predicts. Reported: median error and its spread (min…max) over the rounds.
 *
 *   npm run bench:query -- [--uri mongodb://…] [--db bench_query] [--profile demo|article] [--collection readMsgs]
 *     [--filter '{"userId":"user-001"}'] [--variants driver,lean,raw,mongoose,stream] [--rounds 3] [--share 0.01] [--json]
 * stream's prediction is its batch: the whole result's largest batch (16 MiB of BSON), against the
 * full run's first full batch at its end.
 * Without --uri it starts a throw-away mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY
 * honoured) and seeds --profile (demo) with a fixed anchor, as it does a --uri database without a dataset.
 */
import { parseArgs } from 'node:util';
import { openDemoDatabase } from './demo-db.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes, NO_VALUE } from '../src/lib/format.js';
import { parseJsonObject } from '../src/engines/query/ejson.js';
import { predictFor } from '../src/engines/query/outcome.js';
import { liveOf } from '../src/engines/query/predict.js';
import { variantNamed } from '../src/engines/query/variants/index.js';
import type { QueryChildConfig, QueryChildResult } from '../src/engines/query/protocol.js';
import { runQueryChild } from '../src/engines/query/run-child.js';
import { sampled, specToText, type QuerySpec } from '../src/engines/query/spec.js';
import { VARIANT_NAMES, type VariantName } from '../src/engines/query/variants/names.js';
import { percentile } from '../src/core/measure/stats.js';

const { values } = parseArgs({
  options: {
    uri: { type: 'string' },
    db: { type: 'string', default: 'bench_query' },
    profile: { type: 'string', default: 'demo' },
    collection: { type: 'string', default: 'readMsgs' },
    filter: { type: 'string', default: '{"userId":"user-001"}' },
    variants: { type: 'string', default: 'driver,lean,raw,mongoose,stream' },
    rounds: { type: 'string', default: '3' },
    share: { type: 'string', default: '0.01' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Math.max(1, Number(values.rounds) || 3);
const share = Math.min(1, Math.max(0.0001, Number(values.share) || 0.01));
const variants = values.variants.split(',').map((name) => name.trim()) as VariantName[];
for (const name of variants) if (!(VARIANT_NAMES as readonly string[]).includes(name)) throw new Error(`--variants: unknown ${name}`);

const { db, uri, close } = await openDemoDatabase(values.uri, values.db, 'bench:query', values.profile);
const spec: QuerySpec = { mode: 'find', collection: values.collection, filter: parseJsonObject('--filter', values.filter) };
const count = await db.collection(values.collection).countDocuments(spec.filter);
const sample = Math.max(10, Math.round(count * share));

const base = { uri, dbName: values.db, samplerIntervalMs: 2, maxTimeMS: 600_000, readPreference: 'primary' as const, modelPath: null };
async function child(variant: VariantName, config: Pick<QueryChildConfig, 'spec' | 'probeHalf' | 'runs' | 'warmupRuns'>): Promise<QueryChildResult> {
  const outcome = await runQueryChild({ ...base, ...config, variant }, { maxOldSpaceSizeMB: null, timeoutMs: 30 * 60_000 });
  if (outcome.kind === 'death') throw new Error(`${variant}: ${outcome.death.summary}`);
  if (outcome.message.type !== 'result')
    throw new Error(`${variant}: ${outcome.message.type}: ${'reason' in outcome.message ? outcome.message.reason : outcome.message.message}`);
  return outcome.message;
}

interface Reading {
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
  for (const variant of variants) {
    process.stderr.write(
      `bench:query: round ${round}/${rounds}, ${variant}: sample of ${sample.toLocaleString('en-US')}, then all ${count.toLocaleString('en-US')}…\n`,
    );
    const sampledRun = await child(variant, { spec: specToText(sampled(spec, sample)), probeHalf: true, runs: 1, warmupRuns: 1 });
    // The whole result as `imdiag query --full` replays it: one timed run (no warm-up), then the probe run to the peak point.
    const fullRun = await child(variant, { spec: specToText(spec), probeHalf: false, runs: 1, warmupRuns: 0 });
    if (!sampledRun.live || !fullRun.live) throw new Error(`${variant}: no live reading`);
    // stream: one batch of the whole result (its largest), against the full run's batch at its peak point.
    const prediction = predictFor(variantNamed(variant), sampledRun, count);
    if (!prediction) throw new Error(`${variant}: no prediction (${sampledRun.notes.join('; ')})`);
    const predictedBytes = prediction.liveBytes;
    const fullLiveBytes = liveOf(fullRun.live);
    readings.push({
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

const median = (list: number[]) =>
  percentile(
    [...list].sort((a, b) => a - b),
    50,
  );
const summary = {
  bench: 'query',
  environment: collectEnvironment(),
  dataset: { db: values.db, collection: values.collection, filter: values.filter, documents: count, sample, share },
  rounds,
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
  const pct = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %` : NO_VALUE);
  const lines = [
    `bench:query · ${values.collection}.find(${values.filter}) · ${count.toLocaleString('en-US')} documents, prediction from a sample of ${sample.toLocaleString('en-US')} (${(share * 100).toFixed(2)} %) · Node ${process.version}, ${summary.environment.cpus} CPUs · ${rounds} rounds`,
    'variant    predicted   --full live   median error   spread (min…max)   within ±15 %',
    ...summary.variants.map(
      (v) =>
        `${v.variant.padEnd(10)} ${bytes(v.medianPredictedBytes).padStart(9)}   ${bytes(v.medianFullLiveBytes).padStart(11)}   ${pct(v.medianError).padStart(12)}   ${`${pct(v.minError)}…${pct(v.maxError)}`.padStart(16)}   ${v.withinTarget ? 'yes' : 'no'}`,
    ),
    `child start + connect: median ${summary.harness.medianStartAndConnectMs.toFixed(0)} ms (spawn ${summary.harness.medianSpawnMs.toFixed(0)} ms, connect ${summary.harness.medianConnectMs.toFixed(0)} ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
