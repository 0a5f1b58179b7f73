import type { ClusterWork, ShardWork } from '../../../results/server-work.js';
import { addKnown, childStages, nodeAt, nodesAt, numberAt, type Node } from './nodes.js';

export interface Totals {
  keysExamined: number | null;
  docsExamined: number | null;
  returned: number | null;
}

/**
 * A find, count or distinct through a mongos (cluster_explain.cpp, buildExecStats). The same work
 * appears at three levels: executionStats.total* (A), executionStages.total* (B, the router stage,
 * with totalChildMillis) and once per shard in executionStages.shards[] (C); A = B = the sum of C.
 * The totals are A's (B's where a summarised explain kept only the stage, the sum of C where neither
 * has them); C gives the per-shard rows. Counting two levels doubles the work, three triples it.
 * Returned is the router's nReturned: after its own limit and skip, not the shards' sum.
 */
export function readMongos(stats: Node): { totals: Totals; cluster: Omit<ClusterWork, 'clusterShards' | 'finding'> } {
  const router = nodeAt(stats, 'executionStages') ?? {};
  const shards = nodesAt(router, 'shards').map(readShardEntry);
  const summed = {
    keysExamined: addKnown(...shards.map((shard) => shard.keysExamined)),
    docsExamined: addKnown(...shards.map((shard) => shard.docsExamined)),
  };
  const level = (key: string) => numberAt(stats, key) ?? numberAt(router, key);
  const totals: Totals = {
    keysExamined: level('totalKeysExamined') ?? summed.keysExamined,
    docsExamined: level('totalDocsExamined') ?? summed.docsExamined,
    returned: level('nReturned'),
  };
  const differs = shards.length > 0 && (totals.keysExamined !== summed.keysExamined || totals.docsExamined !== summed.docsExamined);
  return {
    totals,
    cluster: {
      stage: String(router.stage),
      shards,
      ...(differs && {
        note: `the router's totals (${totals.keysExamined} keys, ${totals.docsExamined} documents) differ from its shards' sum (${summed.keysExamined}, ${summed.docsExamined}); the router's are reported`,
      }),
    },
  };
}

/**
 * One shard's entry. Since MongoDB 4.4 mongos copies the shard's whole executionStats beside its
 * shardName (nReturned, executionTimeMillis, totalKeysExamined, totalDocsExamined); before, the entry
 * has only the shard's executionStages, whose stage-level counters are then added up.
 */
function readShardEntry(entry: Node): ShardWork {
  const stages = nodeAt(entry, 'executionStages');
  const hasTotals = numberAt(entry, 'totalKeysExamined') !== null || numberAt(entry, 'totalDocsExamined') !== null;
  const tree = hasTotals || !stages ? null : stageTreeCounts(stages);
  return {
    shard: typeof entry.shardName === 'string' ? entry.shardName : null,
    keysExamined: tree ? tree.keysExamined : numberAt(entry, 'totalKeysExamined'),
    docsExamined: tree ? tree.docsExamined : numberAt(entry, 'totalDocsExamined'),
    returned: numberAt(entry, 'nReturned') ?? numberAt(stages, 'nReturned'),
    millis: numberAt(entry, 'executionTimeMillis'),
  };
}

/** keysExamined and docsExamined of every stage of a classic execution tree (IXSCAN, FETCH, COLLSCAN…), each stage once. */
export function stageTreeCounts(stage: Node): { keysExamined: number; docsExamined: number } {
  let keysExamined = numberAt(stage, 'keysExamined') ?? 0;
  let docsExamined = numberAt(stage, 'docsExamined') ?? 0;
  for (const child of childStages(stage)) {
    const counts = stageTreeCounts(child);
    keysExamined += counts.keysExamined;
    docsExamined += counts.docsExamined;
  }
  return { keysExamined, docsExamined };
}
