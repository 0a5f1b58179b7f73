import { childStages, isNode, nodeAt, nodesAt, numberAt, type Node } from './nodes.js';

export interface PlanFacts {
  indexesUsed: string[];
  collectionScan: boolean;
  engine: 'classic' | 'sbe' | null;
}

/**
 * Index names and collection scans from the winning plans only (rejected plans and
 * allPlansExecution did not run to the end), in every layout:
 * - a classic winning plan is a stage tree: IXSCAN, COUNT_SCAN, DISTINCT_SCAN, EXPRESS_IXSCAN
 *   carry `indexName`; COLLSCAN is a collection scan; IDHACK reads the `_id_` index;
 * - the slot-based engine's winning plan is `{ queryPlan, slotBasedPlan }`: `queryPlan` is the same
 *   kind of stage tree (the slot-based stages, `ixseek` and `scan`, are not read: the query plan
 *   names the same index and scan once);
 * - through a mongos, each shard's winning plan is under `winningPlan.shards[]`;
 * - an aggregation's planners are in its query stage ($cursor…), per shard through a mongos, and a
 *   $lookup stage lists `indexesUsed` and counts `collectionScans` itself.
 */
export function readPlans(explain: Node): PlanFacts {
  const facts = { indexes: new Set<string>(), collectionScan: false, sbe: false, classic: false };
  const visitStage = (stage: Node): void => {
    if (typeof stage.indexName === 'string') facts.indexes.add(stage.indexName);
    if (stage.stage === 'IDHACK') facts.indexes.add('_id_');
    if (stage.stage === 'COLLSCAN') facts.collectionScan = true;
    childStages(stage).forEach(visitStage);
  };
  const visitWinningPlan = (plan: Node): void => {
    const shards = nodesAt(plan, 'shards');
    if (shards.length > 0) return shards.forEach(visitPlanner);
    const queryPlan = nodeAt(plan, 'queryPlan');
    if (queryPlan || isNode(plan.slotBasedPlan)) facts.sbe = true;
    else facts.classic = true;
    visitStage(queryPlan ?? plan);
  };
  function visitPlanner(planner: Node): void {
    const winning = nodeAt(planner, 'winningPlan');
    if (winning) visitWinningPlan(winning);
  }
  const visitStages = (stages: unknown): void => {
    if (!Array.isArray(stages)) return;
    for (const stage of stages.filter(isNode)) {
      for (const [key, value] of Object.entries(stage)) if (key.startsWith('$') && nodeAt(value, 'queryPlanner')) visitPlanner(nodeAt(value, 'queryPlanner')!);
      for (const name of Array.isArray(stage.indexesUsed) ? stage.indexesUsed : []) if (typeof name === 'string') facts.indexes.add(name);
      if ((numberAt(stage, 'collectionScans') ?? 0) > 0) facts.collectionScan = true;
    }
  };
  const visitPart = (part: Node): void => {
    if (Array.isArray(part.stages)) visitStages(part.stages);
    else visitPlanner(nodeAt(part, 'queryPlanner') ?? {});
  };
  if (isNode(explain.shards)) Object.values(explain.shards).filter(isNode).forEach(visitPart);
  else visitPart(explain);
  return { indexesUsed: [...facts.indexes], collectionScan: facts.collectionScan, engine: facts.sbe ? 'sbe' : facts.classic ? 'classic' : null };
}
