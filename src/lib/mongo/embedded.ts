import { mkdir } from 'node:fs/promises';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { CheckError } from '../errors.js';

export interface EmbeddedServer {
  uri: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts mongod through mongodb-memory-server on a persistent data directory, so that
 * `imdiag seed` and a later `imdiag compare-unread` see the same data. Honours
 * MONGOMS_SYSTEM_BINARY (and every other MONGOMS_* setting) as mongodb-memory-server does.
 */
export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
  await mkdir(dataDir, { recursive: true });
  let server: MongoMemoryServer;
  try {
    server = await MongoMemoryServer.create({ instance: { dbPath: dataDir, storageEngine: 'wiredTiger' } });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (/lock|already in use|exclusive/i.test(String(reason))) {
      throw new CheckError(`the embedded MongoDB data directory ${dataDir} is in use by another imdiag run (${reason}); wait for it or pass --data-dir`);
    }
    throw new CheckError(
      `could not start an embedded mongod (${reason}); pass --uri mongodb://host:port to use your own MongoDB, or set MONGOMS_SYSTEM_BINARY to a mongod binary`,
    );
  }
  return {
    uri: server.getUri(),
    dataDir,
    // doCleanup false: the data directory is the point of the embedded default.
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
