import { MongoClient, type Db } from 'mongodb';
import { CheckError } from '../errors.js';
import { startEmbedded, type EmbeddedExit, type EmbeddedServer } from './embedded.js';
import { redactText, redactUri } from './redact.js';

/** How long to wait for a server before saying it is unreachable. */
export const SERVER_SELECTION_TIMEOUT_MS = 5000;

export interface TargetOptions {
  /** A user's MongoDB; undefined means the embedded default. */
  uri: string | undefined;
  db: string;
  dataDir: string;
}

export interface ServerInfo {
  version: string;
  /** standalone, replicaSet or mongos, from `hello`. */
  topology: 'standalone' | 'replicaSet' | 'mongos';
}

export interface MongoTarget {
  client: MongoClient;
  db: Db;
  dbName: string;
  /** The connection string with credentials: only for imdiag's own child processes, never printed (set by openTarget). */
  uri?: string;
  /** The URI with credentials removed, for messages and reports. */
  displayUri: string;
  embedded: boolean;
  dataDir: string | undefined;
  server: ServerInfo;
  /** Closes the client and stops the embedded server; how that server ended (null with --uri). */
  close(): Promise<EmbeddedExit | null>;
}

export { defaultDataDir } from './data-dir.js';

/**
 * connectTimeoutMS for clients that run long queries (compare-unread's children, explain): it is
 * also the socket timeout of the driver's heartbeat, and a server busy with one long aggregation
 * (a loaded or single-threaded one) may not answer it for minutes; a heartbeat that times out
 * tears down the pool and the query in flight with it. Reachability is still bounded by the
 * 5 s server selection timeout.
 */
export const LONG_QUERY_CONNECT_TIMEOUT_MS = 600_000;

/** Opens the user's MongoDB (or the embedded default) and checks it answers, within seconds. */
export async function openTarget(options: TargetOptions): Promise<MongoTarget> {
  let embedded: EmbeddedServer | undefined;
  const uri = options.uri ?? (embedded = await startEmbedded(options.dataDir)).uri;
  const displayUri = redactUri(uri);
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    connectTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    appName: 'imdiag',
  });
  try {
    await client.connect();
    const server = await describeServer(client);
    return {
      client,
      db: client.db(options.db),
      dbName: options.db,
      uri,
      displayUri,
      embedded: embedded !== undefined,
      dataDir: embedded?.dataDir,
      server,
      close: async () => {
        await client.close();
        return (await embedded?.stop()) ?? null;
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    const reason = redactText(error instanceof Error ? error.message : String(error)).split('\n')[0];
    // 18 AuthenticationFailed: the server answered, it refused the credentials; "cannot reach" would send the reader the wrong way.
    if ((error as { code?: unknown }).code === 18 || /authentication failed/i.test(reason ?? '')) {
      throw new CheckError(`authentication failed for ${displayUri}: the server refused the user name or password in --uri (${reason})`);
    }
    throw new CheckError(`cannot reach MongoDB at ${displayUri} within ${SERVER_SELECTION_TIMEOUT_MS / 1000} s: ${reason}`);
  }
}

async function describeServer(client: MongoClient): Promise<ServerInfo> {
  const admin = client.db('admin');
  const hello = await admin.command({ hello: 1 });
  const buildInfo = await admin.command({ buildInfo: 1 });
  const topology = hello.msg === 'isdbgrid' ? 'mongos' : hello.setName ? 'replicaSet' : 'standalone';
  return { version: String(buildInfo.version), topology };
}
