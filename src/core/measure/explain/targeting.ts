import type { ClusterWork } from '../../../results/server-work.js';
import { isNode } from './nodes.js';
import type { PlannedQuery } from './planned.js';

/** The filter a query applies first: a find's, count's or distinct's, or an aggregation's leading $match. */
export function leadingFilter(query: PlannedQuery): Record<string, unknown> {
  if (query.operation !== 'aggregate') return query.filter;
  const first = query.pipeline[0];
  return isNode(first) && isNode(first.$match) ? first.$match : {};
}

/** True when the filter gives every field of the shard key one value (equality or $eq at the top level): a query mongos can send to one shard. */
export function fixesShardKey(filter: Record<string, unknown>, shardKey: Record<string, unknown>): boolean {
  const fields = Object.keys(shardKey);
  return (
    fields.length > 0 &&
    fields.every((field) => {
      if (!(field in filter)) return false;
      const value = filter[field];
      if (!isNode(value)) return true;
      const operators = Object.keys(value).filter((key) => key.startsWith('$'));
      return operators.length === 0 || (operators.length === 1 && operators[0] === '$eq');
    })
  );
}

const keyText = (key: Record<string, unknown>) =>
  `{ ${Object.entries(key)
    .map(([field, kind]) => `${field}: ${JSON.stringify(kind)}`)
    .join(', ')} }`;

/**
 * Whether the shards an operation reached are a finding. The router's stage does not say it
 * (SINGLE_SHARD is any one-shard read, an unsharded collection's included), so it is judged
 * from the shards reached, the cluster's shards and the collection's shard key:
 * - several shards reached although the filter fixes the shard key: it should have reached one;
 * - every shard of a cluster of several: a broadcast, explained by the filter not fixing the
 *   shard key when the key is known.
 */
export function targetingFinding(cluster: Pick<ClusterWork, 'shards' | 'clusterShards' | 'shardKey'>, filter: Record<string, unknown>): string | null {
  const reached = cluster.shards.length;
  const key = cluster.shardKey;
  if (key && reached > 1 && fixesShardKey(filter, key))
    return `reached ${reached} shards although the filter fixes the shard key ${keyText(key)}: it should reach one (stale routing, or a value of another type than the key's?)`;
  const everyShard = cluster.clusterShards !== null && cluster.clusterShards > 1 && reached >= cluster.clusterShards;
  if (!everyShard) return null;
  if (key)
    return `reached every shard (${reached} of ${cluster.clusterShards}): the filter does not fix the shard key ${keyText(key)}, so every shard searched`;
  if (key === undefined)
    return `reached every shard (${reached} of ${cluster.clusterShards}); the collection's shard key could not be read to say whether it should reach one`;
  return null;
}
