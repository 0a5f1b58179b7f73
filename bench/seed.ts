/**
 * `npm run bench:seed`: seed's load throughput (generate + unordered bulk insert, overlapped)
 * against a plain driver `insertMany` of the same documents, pre-generated, on the same server
 * in one run; also against the same batches pre-generated and sent the same way, which isolates
 * the cost of generating. Rounds alternate raw/batched/seed on fresh databases; the median of each is compared.
 *
 *   npm run bench:seed -- [--uri mongodb://…] [--profile demo] [--rounds 3] [--json]   (--help lists the flags)
 * Without --uri it starts a throw-away mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY honoured).
 */
import type { Db, Document } from 'mongodb';
import { IN_FLIGHT_BATCHES } from '../src/engines/seed/run.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { Simulation, type GeneratedBatch } from '../src/engines/seed/generator.js';
import { loadBatches } from '../src/engines/seed/load.js';
import { windowStart } from '../src/core/webim/profiles.js';
import { COLLECTIONS } from '../src/core/webim/schema.js';
import { PROFILE_NAMES } from '../src/results/seed.js';
import { benchArgs, flag } from './args.js';
import { benchSeedPlan, openBenchServer, seedBenchDatabase } from './demo-db.js';
import { median } from './stats.js';

const values = benchArgs(
  { name: 'bench:seed', about: "seed's load rate against a plain insertMany of the same documents, and against the same batches pre-generated." },
  {
    uri: flag.uri(),
    profile: flag.choice('dataset profile to seed', 'demo', PROFILE_NAMES),
    rounds: flag.integer('rounds of raw / batched / seed, alternated; medians compared', 3, 1, 100),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);
const rounds = values.rounds;
const options = benchSeedPlan(values.profile);

const server = await openBenchServer(values.uri);
const client = server.client;
const gc = (globalThis as { gc?: () => void }).gc;

async function rawRound(db: Db, byCollection: Map<string, Document[]>): Promise<number> {
  for (const name of Object.values(COLLECTIONS)) await db.createCollection(name);
  gc?.();
  let documents = 0;
  const started = process.hrtime.bigint();
  for (const [name, docs] of byCollection) {
    await db.collection(name).insertMany(docs, { ordered: false });
    documents += docs.length;
  }
  return documents / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The same batches seed sends, pre-generated, with the same number in flight: seed's generation overhead alone. */
async function batchedRound(db: Db, batches: GeneratedBatch[]): Promise<number> {
  for (const name of Object.values(COLLECTIONS)) await db.createCollection(name);
  gc?.();
  const outcome = await loadBatches(db, batches, { concurrency: IN_FLIGHT_BATCHES });
  return outcome.documents / (outcome.loadMs / 1000);
}

async function seedRound(dbName: string): Promise<number> {
  gc?.();
  const result = await seedBenchDatabase(server, dbName, options);
  if (result.problems.length > 0) throw new Error(result.problems.join('; '));
  return result.body.load.documents / (result.body.load.loadMs / 1000);
}

function generateBatches(): GeneratedBatch[] {
  const spec = { params: options.params, seed: options.seed, anchor: options.anchor, windowStart: windowStart(options.anchor), batchSize: options.batchSize };
  return [...new Simulation(spec).run()];
}

function generateAll(): Map<string, Document[]> {
  const byCollection = new Map<string, Document[]>();
  for (const batch of generateBatches()) {
    const docs = byCollection.get(batch.collection) ?? [];
    for (const doc of batch.docs) docs.push(doc);
    byCollection.set(batch.collection, docs);
  }
  return byCollection;
}

const rawRates: number[] = [];
const seedRates: number[] = [];
const batchedRates: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    // Documents are generated before the clock starts: the raw rate is the driver and server alone.
    const rawDb = client.db(`bench_raw_${round}`);
    rawRates.push(await rawRound(rawDb, generateAll()));
    await rawDb.dropDatabase();
    const batchedDb = client.db(`bench_batched_${round}`);
    batchedRates.push(await batchedRound(batchedDb, generateBatches()));
    await batchedDb.dropDatabase();
    const seedDb = `bench_seed_${round}`;
    seedRates.push(await seedRound(seedDb));
    await client.db(seedDb).dropDatabase();
  }
  const raw = median(rawRates);
  const seeded = median(seedRates);
  const environment = collectEnvironment();
  const buildInfo = await client.db('admin').command({ buildInfo: 1 });
  const report = {
    profile: options.profile,
    rounds,
    rawInsertManyDocsPerSecond: Math.round(raw),
    seedDocsPerSecond: Math.round(seeded),
    ratio: Math.round((seeded / raw) * 1000) / 1000,
    batchedInsertDocsPerSecond: Math.round(median(batchedRates)),
    ratioToBatched: Math.round((seeded / median(batchedRates)) * 1000) / 1000,
    rawRounds: rawRates.map(Math.round),
    batchedRounds: batchedRates.map(Math.round),
    seedRounds: seedRates.map(Math.round),
    server: {
      version: String(buildInfo.version),
      uri: values.uri ? 'given by --uri' : 'mongodb-memory-server',
      systemBinary: process.env.MONGOMS_SYSTEM_BINARY ?? null,
    },
    node: environment.node,
    driver: environment.mongodbDriver,
    cpus: environment.cpus,
    cpuModel: environment.cpuModel,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(
      [
        `bench:seed · profile ${report.profile} · ${rounds} rounds each (median) · MongoDB ${report.server.version}${report.server.systemBinary ? ` (${report.server.systemBinary})` : ''}`,
        `node ${report.node}, driver ${report.driver}, ${report.cpus} × ${report.cpuModel}`,
        `raw insertMany (pre-generated docs): ${report.rawInsertManyDocsPerSecond.toLocaleString('en-US')} docs/s  rounds ${report.rawRounds.join(', ')}`,
        `imdiag seed (generate + insert):     ${report.seedDocsPerSecond.toLocaleString('en-US')} docs/s  rounds ${report.seedRounds.join(', ')}`,
        `ratio seed / raw: ${(report.ratio * 100).toFixed(1)} % (target ≥ 90 %)`,
        `same batches pre-generated (${options.batchSize} docs, ${IN_FLIGHT_BATCHES} in flight): ${report.batchedInsertDocsPerSecond.toLocaleString('en-US')} docs/s  rounds ${report.batchedRounds.join(', ')}`,
        `ratio seed / pre-generated batches (the cost of generating): ${(report.ratioToBatched * 100).toFixed(1)} %`,
        '',
      ].join('\n'),
    );
  }
} finally {
  await server.close();
}
