import { MongoClient, type Db } from 'mongodb';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { validateSeedOptions, type SeedOptions } from '../src/commands/seed/options.js';
import type { MongoTarget } from '../src/lib/mongo/target.js';
import { readMark } from '../src/lib/mongo/ownership.js';
import { silentReporter } from '../src/lib/progress.js';
import { seedInto, type SeedRun } from '../src/engines/seed/run.js';

/** The anchor every benchmark seeds with, so two runs measure the same documents. */
export const BENCH_ANCHOR = '2018-08-10';

export interface BenchServer {
  client: MongoClient;
  uri: string;
  close(): Promise<void>;
}

/** `uri`, or a throw-away mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY honoured). */
export async function openBenchServer(uriOption: string | undefined): Promise<BenchServer> {
  const server = uriOption ? undefined : await MongoMemoryServer.create();
  const uri = uriOption ?? server!.getUri();
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  return {
    client,
    uri,
    close: async () => {
      await client.close();
      await server?.stop();
    },
  };
}

/** Seeds `plan` into `dbName` on the server as `imdiag seed` would, without a progress bar. */
export async function seedBenchDatabase(server: BenchServer, dbName: string, plan: Omit<SeedOptions, 'target'>): Promise<SeedRun> {
  const info = await server.client.db('admin').command({ buildInfo: 1 });
  const target: MongoTarget = {
    client: server.client,
    db: server.client.db(dbName),
    dbName,
    uri: server.uri,
    displayUri: server.uri,
    embedded: false,
    dataDir: undefined,
    server: { version: String(info.version), topology: 'standalone' },
    close: async () => null,
  };
  return seedInto(target, plan, { reporter: silentReporter, argv: ['bench'], startedAt: new Date(), signal: new AbortController().signal });
}

/** What `profile` seeds with the benchmarks' fixed anchor. */
export function benchSeedPlan(profile: string, dbName = 'bench'): Omit<SeedOptions, 'target'> {
  const { target: _unused, ...plan } = validateSeedOptions({ profile, anchor: BENCH_ANCHOR, db: dbName });
  return plan;
}

/**
 * The database a benchmark measures: `dbName` on `uri` or on a throw-away mongod, seeded with
 * `profile` (anchor 2018-08-10) when it holds no imdiag dataset yet.
 */
export async function openDemoDatabase(
  uriOption: string | undefined,
  dbName: string,
  bench: string,
  profile = 'demo',
): Promise<{ client: MongoClient; db: Db; uri: string; dataset: Record<string, unknown> | undefined; close: () => Promise<void> }> {
  const server = await openBenchServer(uriOption);
  const db = server.client.db(dbName);
  if (!(await readMark(db))) {
    process.stderr.write(`${bench}: seeding ${profile} into ${dbName}…\n`);
    await seedBenchDatabase(server, dbName, benchSeedPlan(profile, dbName));
  }
  return { client: server.client, db, uri: server.uri, dataset: (await readMark(db))?.dataset, close: server.close };
}
