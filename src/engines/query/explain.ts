import type { Db, Document } from 'mongodb';
import { explainQuery, missingReason } from '../../core/measure/explain.js';
import type { ServerSide } from '../../results/query.js';
import type { QuerySpec } from './spec.js';

/**
 * The query's plan on the server, read-only and under maxTimeMS: explain with executionStats,
 * summarised as mongod's own planSummary and the work it did (keys and documents examined,
 * documents returned). Its size: result-size.ts.
 */
export async function explainSpec(db: Db, spec: QuerySpec, maxTimeMS: number): Promise<ServerSide> {
  try {
    const collection = db.collection(spec.collection);
    let explain: Document;
    if (spec.mode === 'find') {
      explain = await collection
        .find(spec.filter, {
          maxTimeMS,
          ...(spec.projection && { projection: spec.projection }),
          ...(spec.sort && { sort: spec.sort }),
          ...(spec.limit && { limit: spec.limit }),
        })
        .explain('executionStats');
    } else if (spec.mode === 'aggregate') {
      explain = await collection.aggregate(spec.pipeline, { maxTimeMS, allowDiskUse: true }).explain('executionStats');
    } else {
      explain = await db.command({ explain: { distinct: spec.collection, key: spec.field, query: spec.filter }, verbosity: 'executionStats', maxTimeMS });
    }
    const planned =
      spec.mode === 'find'
        ? { collection: spec.collection, operation: 'find' as const, filter: spec.filter }
        : spec.mode === 'aggregate'
          ? { collection: spec.collection, operation: 'aggregate' as const, pipeline: spec.pipeline }
          : { collection: spec.collection, operation: 'distinct' as const, key: spec.field, filter: spec.filter };
    const summary = await explainQuery(db, planned, explain);
    const missing = missingReason(summary);
    if (missing) return { explained: false, reason: missing };
    return {
      explained: true,
      ...(summary.engine && { engine: summary.engine }),
      ...(summary.cluster && { cluster: summary.cluster }),
      planSummary: planSummary(explain),
      collectionScan: summary.collectionScan,
      indexesUsed: summary.indexesUsed,
      keysExamined: summary.keysExamined,
      docsExamined: summary.docsExamined,
      nReturned: summary.docsReturned,
    };
  } catch (error) {
    return { explained: false, reason: `explain failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** mongod's planSummary form: `IXSCAN { userId: 1 }`, `COLLSCAN`, from the winning plan's leaf stages. */
export function planSummary(explain: Document): string {
  const leaves: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Document;
    if (record.stage === 'IXSCAN')
      leaves.push(
        `IXSCAN { ${Object.entries(record.keyPattern ?? {})
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')} }`,
      );
    else if (record.stage === 'COLLSCAN') leaves.push('COLLSCAN');
    for (const [key, value] of Object.entries(record)) if (key !== 'rejectedPlans' && key !== 'allPlansExecution' && key !== 'executionStats') visit(value);
  };
  const plans = explain.queryPlanner?.winningPlan ?? (Array.isArray(explain.stages) ? explain.stages : explain);
  visit(plans);
  return [...new Set(leaves)].join(', ') || 'unknown';
}
