import type { ExplainLayout } from '../../../results/server-work.js';
import { isNode, nodeAt, numberAt, type Node } from './nodes.js';

/**
 * The router's stages in a find, count or distinct explained through a mongos
 * (mongo src/mongo/s/commands/query_cmd/cluster_explain.cpp, getStageNameForReadOp): one shard
 * answered, several answered unsorted, several answered and mongos merge-sorted them.
 * SHARD_WRITE is a write's: imdiag explains none, but it has the same layout.
 */
export const MONGOS_STAGES = new Set(['SINGLE_SHARD', 'SHARD_MERGE', 'SHARD_MERGE_SORT', 'SHARD_WRITE']);

/** explainVersion 1 (classic) and 2 (slot-based engine); absent before MongoDB 5.0. Anything else is a layout not read yet. */
const KNOWN_EXPLAIN_VERSIONS = new Set(['1', '2']);

/**
 * Which layout an explain reply has, from its top-level keys, in an order where no layout can be
 * mistaken for another:
 * - `shards` as an object keyed by shard name: an aggregation through a mongos (there is no
 *   cluster-wide total; the shards are added up);
 * - a `stages` array: an aggregation on one server ($cursor, then the other stages);
 * - `executionStats` whose root stage is a router stage: a find, count or distinct through a
 *   mongos (the totals appear three times: executionStats, its executionStages, and per shard);
 * - `executionStats` otherwise: a find, count or distinct on one server, either engine;
 * - `queryPlanner` alone: a plan without execution stats.
 * Anything else, or an explainVersion other than 1 and 2, is not understood: never summed.
 */
export function detectLayout(explain: unknown): ExplainLayout {
  if (!isNode(explain)) return 'not-understood';
  const version = explain.explainVersion;
  if (version !== undefined && !KNOWN_EXPLAIN_VERSIONS.has(String(version))) return 'not-understood';
  if (isNode(explain.shards)) return 'mongos-aggregate';
  if (Array.isArray(explain.stages)) return 'server-aggregate';
  const stats = nodeAt(explain, 'executionStats');
  if (stats) {
    const root = nodeAt(stats, 'executionStages');
    if (typeof root?.stage === 'string' && MONGOS_STAGES.has(root.stage)) return 'mongos';
    if (numberAt(stats, 'totalKeysExamined') !== null || numberAt(stats, 'totalDocsExamined') !== null) return 'server';
    return 'not-understood';
  }
  return isNode(explain.queryPlanner) ? 'no-stats' : 'not-understood';
}

/** What an explain not understood had, for the report: its explainVersion and its top-level keys. */
export function describeUnknown(explain: unknown): { explainVersion: string | null; topLevelKeys: string[] } {
  const node: Node = isNode(explain) ? explain : {};
  return {
    explainVersion: node.explainVersion === undefined ? null : String(node.explainVersion),
    topLevelKeys: isNode(explain) ? Object.keys(node) : [Array.isArray(explain) ? 'an array' : typeof explain],
  };
}
