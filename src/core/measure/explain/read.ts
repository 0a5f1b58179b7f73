import type { ClusterWork, ExplainedQuery } from '../../../results/server-work.js';
import { readMongosAggregate, readStages } from './aggregate.js';
import { describeUnknown, detectLayout } from './layout.js';
import { readMongos, type Totals } from './mongos.js';
import { isNode, nodeAt, numberAt, type Node } from './nodes.js';
import type { PlannedQuery } from './planned.js';
import { readPlans } from './plan.js';

/**
 * One explain reply, read to the server's work with every examined key and document counted once,
 * whatever its layout (layout.ts): one server or through a mongos, classic or slot-based engine,
 * find, count, distinct or aggregate. Through a mongos the result has a row per shard reached
 * (`cluster`); how many shards the cluster has is asked separately (cluster.ts). A layout not
 * understood gives null figures and says what it had, rather than a sum of whatever looks like one.
 */
export function readExplain(query: PlannedQuery, explain: unknown): ExplainedQuery {
  const layout = detectLayout(explain);
  const base = { collection: query.collection, operation: query.operation, layout };
  if (layout === 'not-understood' || !isNode(explain))
    return { ...base, ...NONE, indexesUsed: [], collectionScan: false, engine: null, notUnderstood: describeUnknown(explain) };
  const plans = readPlans(explain);
  const read = readTotals(layout, explain);
  return {
    ...base,
    keysExamined: read.totals.keysExamined,
    docsExamined: read.totals.docsExamined,
    docsReturned: read.totals.returned,
    indexesUsed: plans.indexesUsed,
    collectionScan: plans.collectionScan,
    engine: plans.engine,
    ...(read.cluster && { cluster: { ...read.cluster, clusterShards: null, clusterShardsNote: 'not asked', finding: null } }),
  };
}

const NONE = { keysExamined: null, docsExamined: null, docsReturned: null };

function readTotals(layout: ExplainedQuery['layout'], explain: Node): { totals: Totals; cluster?: Omit<ClusterWork, 'clusterShards' | 'finding'> } {
  switch (layout) {
    case 'mongos':
      return readMongos(nodeAt(explain, 'executionStats')!);
    case 'mongos-aggregate':
      return readMongosAggregate(explain);
    case 'server-aggregate':
      return { totals: readStages(explain.stages as unknown[]) };
    case 'server': {
      const stats = nodeAt(explain, 'executionStats')!;
      return {
        totals: {
          keysExamined: numberAt(stats, 'totalKeysExamined'),
          docsExamined: numberAt(stats, 'totalDocsExamined'),
          returned: numberAt(stats, 'nReturned'),
        },
      };
    }
    default:
      return { totals: { keysExamined: null, docsExamined: null, returned: null } };
  }
}

/** Why a query's figures are missing, or null when it has them. */
export function missingReason(query: ExplainedQuery): string | null {
  if (query.notUnderstood)
    return `explain layout not understood (explainVersion ${query.notUnderstood.explainVersion ?? 'absent'}, top-level keys ${query.notUnderstood.topLevelKeys.join(', ') || 'none'}): nothing was counted`;
  if (query.keysExamined === null && query.docsExamined === null) return 'the explain output has no execution stats';
  return null;
}
