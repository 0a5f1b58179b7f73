import type { ClusterWork, ShardWork } from '../../../results/server-work.js';
import type { Totals } from './mongos.js';
import { addKnown, isNode, nodeAt, numberAt, type Node } from './nodes.js';

/**
 * An aggregation's `stages` (one server, or one shard's part through a mongos). The query stage
 * ($cursor, $geoNearCursor…) carries executionStats for the documents and keys it read; a stage
 * that reads another collection ($lookup) carries its own totalKeysExamined / totalDocsExamined on
 * the stage, work disjoint from the query stage's: both are added, each once. Returned is what
 * the query stage handed the pipeline. Null figures: the stages carry no execution stats.
 */
export function readStages(stages: unknown[]): Totals & { millis: number | null } {
  const totals: Totals & { millis: number | null } = { keysExamined: null, docsExamined: null, returned: null, millis: null };
  for (const stage of stages) {
    if (!isNode(stage)) continue;
    const stats = queryStageStats(stage);
    const source = stats ?? stage;
    totals.keysExamined = addKnown(totals.keysExamined, numberAt(source, 'totalKeysExamined'));
    totals.docsExamined = addKnown(totals.docsExamined, numberAt(source, 'totalDocsExamined'));
    if (stats) {
      totals.returned = addKnown(totals.returned, numberAt(stats, 'nReturned'));
      totals.millis = addKnown(totals.millis, numberAt(stats, 'executionTimeMillis'));
    }
  }
  return totals;
}

/** The executionStats of a query stage: the one `$name` of the stage whose value has them. */
function queryStageStats(stage: Node): Node | undefined {
  for (const [key, value] of Object.entries(stage)) if (key.startsWith('$') && nodeAt(value, 'executionStats')) return nodeAt(value, 'executionStats');
  return undefined;
}

/** The one shard's part of a split or unsplit pipeline: its `stages`, or the whole of it pushed into the query layer (`executionStats`). */
function readShardPart(name: string, part: Node): ShardWork {
  const pushed = nodeAt(part, 'executionStats');
  if (pushed)
    return {
      shard: name,
      keysExamined: numberAt(pushed, 'totalKeysExamined'),
      docsExamined: numberAt(pushed, 'totalDocsExamined'),
      returned: numberAt(pushed, 'nReturned'),
      millis: numberAt(pushed, 'executionTimeMillis'),
    };
  const stages = readStages(Array.isArray(part.stages) ? part.stages : []);
  return { shard: name, keysExamined: stages.keysExamined, docsExamined: stages.docsExamined, returned: stages.returned, millis: stages.millis };
}

/**
 * An aggregation through a mongos: `shards` keyed by shard name (the replica set's name for an
 * unsharded collection), `splitPipeline` (null: the whole pipeline ran on the shards) and
 * `mergeType` when split. There is no cluster-wide total: the totals are the sum over the shards,
 * null unless every shard has figures. Where the merge runs (mongos or a shard) changes no total:
 * the merger's stages carry no examined counts.
 */
export function readMongosAggregate(explain: Node): { totals: Totals; cluster: Omit<ClusterWork, 'clusterShards' | 'finding'> } {
  const shards = Object.entries(nodeAt(explain, 'shards') ?? {}).map(([name, part]) => readShardPart(name, isNode(part) ? part : {}));
  const complete = shards.length > 0 && shards.every((shard) => shard.keysExamined !== null && shard.docsExamined !== null);
  const sum = (pick: (shard: ShardWork) => number | null) => (complete ? addKnown(...shards.map(pick)) : null);
  return {
    totals: { keysExamined: sum((s) => s.keysExamined), docsExamined: sum((s) => s.docsExamined), returned: sum((s) => s.returned) },
    cluster: {
      stage: 'aggregate',
      shards,
      mergeType: typeof explain.mergeType === 'string' ? explain.mergeType : null,
      splitPipeline: isNode(explain.splitPipeline),
      ...(!complete && shards.some((shard) => shard.keysExamined !== null) && { note: 'some shards gave no execution stats: no total is given' }),
    },
  };
}
