import { mkdir } from 'node:fs/promises';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { CheckError } from '../errors.js';

/**
 * mongodb-memory-server's default (10 s) is too short for a data directory holding the `article`
 * dataset (~2 GB): the server must open (or recover) it before it accepts connections. A binary
 * that cannot run still fails at once, when its process exits.
 */
const LAUNCH_TIMEOUT_MS = 120_000;

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
    server = await keepStdoutClean(() => MongoMemoryServer.create({ instance: { dbPath: dataDir, storageEngine: 'wiredTiger', launchTimeout: LAUNCH_TIMEOUT_MS } }));
  } catch (error) {
    throw embeddedStartError(error, dataDir);
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

function embeddedStartError(error: unknown, dataDir: string): CheckError {
  // DownloadError keeps the network cause in `msg`; its `message` spans several lines.
  const detail = error instanceof Error ? ((error as Error & { msg?: string }).msg ?? error.message) : String(error);
  const reason = detail.replace(/\s+/g, ' ').trim();
  if (/lock|already in use|exclusive/i.test(reason)) {
    return new CheckError(`the embedded MongoDB data directory ${dataDir} is in use by another run (${reason}); wait for it or pass --data-dir`);
  }
  return new CheckError(
    `could not start an embedded mongod (${reason}); pass --uri mongodb://host:port to use your own MongoDB, or set MONGOMS_SYSTEM_BINARY to a mongod binary`,
  );
}

/**
 * mongodb-memory-server writes download progress to stdout and dumps a failed start with
 * console.warn. stdout is reserved for results (`--json`), and a failure gets one line from
 * us instead: while it starts, its progress goes to stderr and its failure dump is dropped.
 */
async function keepStdoutClean<T>(start: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => console.error(...args);
  console.warn = (...args: unknown[]) => {
    if (!/Starting the MongoMemoryServer Instance failed/.test(String(args[0]))) console.error(...args);
  };
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await start();
  } finally {
    console.log = log;
    console.warn = warn;
    process.stdout.write = write;
  }
}
