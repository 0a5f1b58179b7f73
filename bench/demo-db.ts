import { MongoClient, type Db } from 'mongodb';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { validateSeedOptions } from '../src/commands/seed/options.js';
import { readMark } from '../src/lib/mongo/ownership.js';
import { silentReporter } from '../src/lib/progress.js';
import { seedInto } from '../src/engines/seed/run.js';

/**
 * The database a benchmark measures: `uri` (seeded with `profile`, anchor 2018-08-10, when
 * `dbName` holds no imdiag dataset yet), or a throw-away mongod through mongodb-memory-server
 * (MONGOMS_SYSTEM_BINARY honoured) seeded the same way.
 */
export async function openDemoDatabase(
  uriOption: string | undefined,
  dbName: string,
  bench: string,
  profile = 'demo',
): Promise<{ client: MongoClient; db: Db; uri: string; dataset: Record<string, unknown> | undefined; close: () => Promise<void> }> {
  const server = uriOption ? undefined : await MongoMemoryServer.create();
  const uri = uriOption ?? server!.getUri();
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  const db = client.db(dbName);
  if (!(await readMark(db))) {
    const { target: _unused, ...seedOptions } = validateSeedOptions({ profile, anchor: '2018-08-10', db: dbName });
    const info = await client.db('admin').command({ buildInfo: 1 });
    const target = {
      client,
      db,
      dbName,
      uri,
      displayUri: uri,
      embedded: false,
      dataDir: undefined,
      server: { version: String(info.version), topology: 'standalone' as const },
      close: async () => null,
    };
    process.stderr.write(`${bench}: seeding ${profile} into ${dbName}…\n`);
    await seedInto(target, seedOptions, { reporter: silentReporter, argv: [], startedAt: new Date(), signal: new AbortController().signal });
  }
  return {
    client,
    db,
    uri,
    dataset: (await readMark(db))?.dataset,
    close: async () => {
      await client.close();
      await server?.stop();
    },
  };
}
