export interface ServerWork {
  /** False when the server could not explain, or explained in a layout imdiag does not read (reason says why); figures are then absent. */
  explained: boolean;
  reason?: string;
  docsExamined?: number;
  keysExamined?: number;
  /** Documents returned by the explained queries (nReturned). */
  docsReturned?: number;
  indexesUsed: string[];
  /** One entry per query the strategy sends. */
  queries: ExplainedQuery[];
  /** Through a mongos: each shard's work summed over the queries (absent on one server and in older results). */
  shards?: ShardWork[];
  /** Through a mongos: what the queries' targeting says (e.g. a query that reached every shard). */
  findings?: string[];
}

/**
 * How the explain output was laid out (src/core/measure/explain/layout.ts):
 * server            a find, count or distinct on one server (classic or slot-based engine)
 * server-aggregate  an aggregation on one server: a `stages` array
 * mongos            a find, count or distinct through a mongos: SINGLE_SHARD, SHARD_MERGE, SHARD_MERGE_SORT
 * mongos-aggregate  an aggregation through a mongos: `shards` keyed by shard name
 * no-stats          a plan without execution stats (queryPlanner verbosity)
 * not-understood    none of these: nothing is counted
 */
export type ExplainLayout = 'server' | 'server-aggregate' | 'mongos' | 'mongos-aggregate' | 'no-stats' | 'not-understood';

export interface ExplainedQuery {
  collection: string;
  operation: 'find' | 'distinct' | 'aggregate' | 'count';
  /** Each examined document and key counted once; null when the explain has no figure for it. */
  docsExamined: number | null;
  keysExamined: number | null;
  docsReturned: number | null;
  indexesUsed: string[];
  /** COLLSCAN seen in the winning plan (or a $lookup that scanned its collection). */
  collectionScan: boolean;
  /** Absent in older results. */
  layout?: ExplainLayout;
  /** Slot-based (`sbe`: the winning plan has a slotBasedPlan) or classic; null when the plan does not say. */
  engine?: 'classic' | 'sbe' | null;
  /** Through a mongos: which shards did the work. */
  cluster?: ClusterWork;
  /** A layout not understood: what it had, so that someone can add it. */
  notUnderstood?: { explainVersion: string | null; topLevelKeys: string[] };
}

/** One shard's part of an operation through a mongos. */
export interface ShardWork {
  /** The shard's name (listShards' `_id`); null when the explain does not carry it. */
  shard: string | null;
  keysExamined: number | null;
  docsExamined: number | null;
  /** Documents the shard returned (an aggregation: what its query stage handed the pipeline). */
  returned: number | null;
  /** The shard's executionTimeMillis; null where the explain has none for it. */
  millis: number | null;
}

export interface ClusterWork {
  /** The router's stage (SINGLE_SHARD, SHARD_MERGE, SHARD_MERGE_SORT), or `aggregate` for an aggregation. */
  stage: string;
  /** One row per shard that answered: the shards reached. */
  shards: ShardWork[];
  /** Shards in the cluster (`listShards`); null when it could not be asked, `clusterShardsNote` says why. */
  clusterShards: number | null;
  clusterShardsNote?: string;
  /** The collection's shard key (config.collections); null when unsharded, undefined when it could not be read. */
  shardKey?: Record<string, unknown> | null;
  /** A targeting problem worth acting on (e.g. every shard reached for a filter that names the shard key). */
  finding: string | null;
  /** An aggregation: `mergeType` as the explain gives it, and whether the pipeline was split between shards and a merger. */
  mergeType?: string | null;
  splitPipeline?: boolean;
  /** Something the explain said that does not add up (e.g. the router's totals differ from the shards' sum). */
  note?: string;
}
