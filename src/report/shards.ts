import { count, milliseconds, NO_VALUE } from '../lib/format.js';
import type { ClusterWork, ShardWork } from '../results/server-work.js';

/**
 * Server work through a mongos, in words shared by every renderer: how many shards an operation
 * reached out of the cluster's, and each shard's figures.
 */
export function reachedText(reached: number, cluster: Pick<ClusterWork, 'clusterShards' | 'clusterShardsNote'> | undefined): string {
  const shards = `${count(reached)} shard${reached === 1 ? '' : 's'}`;
  if (cluster?.clusterShards === null || cluster?.clusterShards === undefined)
    return `reached ${shards} (${cluster?.clusterShardsNote ?? "the cluster's shard count is unknown"})`;
  return `reached ${shards} of ${count(cluster.clusterShards)}`;
}

/** What one query's cluster explain says beyond the shards' rows: the router's stage, the merge, a note. */
export function clusterText(cluster: ClusterWork): string {
  const merge =
    cluster.stage === 'aggregate'
      ? `aggregation, ${cluster.splitPipeline ? `split, merged on ${cluster.mergeType ?? 'a merger'}` : 'not split'}`
      : cluster.stage;
  return `${reachedText(cluster.shards.length, cluster)} · ${merge}${cluster.note ? ` · ${cluster.note}` : ''}`;
}

export const SHARD_COLUMNS = ['shard', 'keys examined', 'docs examined', 'returned', 'time'] as const;

export function shardCells(shard: ShardWork): string[] {
  return [shard.shard ?? NO_VALUE, count(shard.keysExamined), count(shard.docsExamined), count(shard.returned), milliseconds(shard.millis)];
}

export function shardLine(shard: ShardWork): string {
  const [name, keys, docs, returned, time] = shardCells(shard);
  return `${name}: keys examined ${keys}, docs examined ${docs}, returned ${returned}, time ${time}`;
}
