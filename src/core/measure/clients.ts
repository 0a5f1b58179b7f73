import { MongoClient, type MongoClientOptions } from 'mongodb';
import { LONG_QUERY_CONNECT_TIMEOUT_MS } from '../../lib/mongo/target.js';

/**
 * A measuring child's two connections (compare-unread's strategies, `imdiag query`'s variants): the
 * measured one, and one with command monitoring for the accounting warm-up (kept apart so that
 * monitoring costs the measured runs nothing). `connect` opens both and returns how long the
 * measured one took.
 */
export function measuringClients(uri: string, appName: string, options: Pick<MongoClientOptions, 'readPreference'> = {}) {
  const clientOptions = { serverSelectionTimeoutMS: 5000, connectTimeoutMS: LONG_QUERY_CONNECT_TIMEOUT_MS, appName, ...options };
  const client = new MongoClient(uri, clientOptions);
  const accountingClient = new MongoClient(uri, { ...clientOptions, monitorCommands: true });
  return {
    client,
    accountingClient,
    async connect(): Promise<number> {
      const started = process.hrtime.bigint();
      await client.connect();
      const connectMs = Number(process.hrtime.bigint() - started) / 1e6;
      await accountingClient.connect();
      return connectMs;
    },
  };
}
