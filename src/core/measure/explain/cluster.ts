import type { Db, MongoClient } from 'mongodb';
import type { ExplainedQuery } from '../../../results/server-work.js';
import { isNode } from './nodes.js';
import type { PlannedQuery } from './planned.js';
import { leadingFilter, targetingFinding } from './targeting.js';

/** The cluster's shards; `note` says why the count is null. */
type ShardCount = { count: number | null; note?: string };

/** listShards is asked once per client: one imdiag run does not outlast a change of the cluster's shards worth reporting. */
const shardCounts = new WeakMap<MongoClient, Promise<ShardCount>>();

/**
 * How many shards the cluster has: `listShards` on admin, mongos only. It needs the `listShards`
 * privilege (in the clusterMonitor role); a user without it is told so, not counted as zero.
 */
export function clusterShardCount(db: Db): Promise<ShardCount> {
  const client = db.client;
  let pending = shardCounts.get(client);
  if (!pending) {
    pending = client
      .db('admin')
      .command({ listShards: 1 })
      .then(
        (reply): ShardCount => shardCountOf(reply),
        (error: { code?: number; message?: string }): ShardCount => ({ count: null, note: listShardsRefusal(error) }),
      );
    shardCounts.set(client, pending);
  }
  return pending;
}

/** listShards' reply: `{ shards: [{ _id, host, state, … }], ok }`, one entry per shard. */
export function shardCountOf(reply: Record<string, unknown>): ShardCount {
  return Array.isArray(reply.shards) ? { count: reply.shards.length } : { count: null, note: 'listShards gave no shards array' };
}

function listShardsRefusal(error: { code?: number; message?: string }): string {
  // 13 Unauthorized; 59 CommandNotFound (a server that is not a real mongos).
  if (error.code === 13) return "listShards is not permitted for this user (it needs the clusterMonitor role): the cluster's shard count is unknown";
  if (error.code === 59) return "this server does not answer listShards: the cluster's shard count is unknown";
  return `listShards failed (${(error.message ?? String(error)).split('\n')[0]}): the cluster's shard count is unknown`;
}

/** The collection's shard key from config.collections (null: unsharded); undefined when it cannot be read. */
async function shardKeyOf(db: Db, collection: string): Promise<Record<string, unknown> | null | undefined> {
  try {
    const entry = await db.client
      .db('config')
      .collection('collections')
      .findOne({ _id: `${db.databaseName}.${collection}` as never });
    if (!entry || entry.dropped === true) return null;
    return isNode(entry.key) ? entry.key : null;
  } catch {
    return undefined;
  }
}

/** Adds what the explain alone cannot say of an operation through a mongos: the cluster's shards, the shard key, the targeting finding. */
export async function withClusterFacts(db: Db, query: PlannedQuery, explained: ExplainedQuery): Promise<ExplainedQuery> {
  if (!explained.cluster) return explained;
  const [shards, shardKey] = await Promise.all([clusterShardCount(db), shardKeyOf(db, query.collection)]);
  const { clusterShardsNote: _asked, ...rest } = explained.cluster;
  const cluster = { ...rest, clusterShards: shards.count, ...(shards.note && { clusterShardsNote: shards.note }), shardKey };
  return { ...explained, cluster: { ...cluster, finding: targetingFinding(cluster, leadingFilter(query)) } };
}
