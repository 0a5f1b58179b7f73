import type { Db, Document } from 'mongodb';
import { explainQuery, missingReason } from '../../core/measure/explain.js';
import type { ServerSide } from '../../results/query.js';
import type { QuerySpec } from './spec.js';

/**
 * What the server says about the query, read-only and under maxTimeMS: its size (documents and
 * BSON bytes), and its plan with executionStats. `$bsonSize` is MongoDB 4.4+; a server without it
 * gives the count alone.
 */
export async function resultSize(
  db: Db,
  spec: QuerySpec,
  maxTimeMS: number,
): Promise<{ count: number; bytes: number | null; source: 'countDocuments' | 'aggregate' | 'distinct'; note?: string }> {
  const collection = db.collection(spec.collection);
  if (spec.mode === 'distinct') {
    const values = await collection.distinct(spec.field, spec.filter, { maxTimeMS });
    return { count: values.length, bytes: null, source: 'distinct' };
  }
  const base = spec.mode === 'aggregate' ? spec.pipeline : findAsPipeline(spec);
  const sized = await groupTotal(db, spec.collection, base, maxTimeMS);
  if (spec.mode === 'find') {
    const count = await collection.countDocuments(spec.filter, { maxTimeMS, ...(spec.limit && { limit: spec.limit }) });
    return { count, bytes: sized.bytes, source: 'countDocuments', ...(sized.note && { note: sized.note }) };
  }
  return { count: sized.count, bytes: sized.bytes, source: 'aggregate', ...(sized.note && { note: sized.note }) };
}

function findAsPipeline(spec: Extract<QuerySpec, { mode: 'find' }>): Document[] {
  return [
    { $match: spec.filter },
    ...(spec.sort ? [{ $sort: spec.sort }] : []),
    ...(spec.limit ? [{ $limit: spec.limit }] : []),
    ...(spec.projection ? [{ $project: spec.projection }] : []),
  ];
}

export const NO_BSON_SIZE_NOTE = 'this server has no $bsonSize (MongoDB 4.4+): BSON bytes were not counted on the server';

/** Count and $bsonSize total of a pipeline's output, in one $group on the server (allowDiskUse). */
async function groupTotal(
  db: Db,
  collection: string,
  pipeline: Document[],
  maxTimeMS: number,
): Promise<{ count: number; bytes: number | null; note?: string }> {
  const options = { maxTimeMS, allowDiskUse: true };
  try {
    const [total] = await db
      .collection(collection)
      .aggregate([...pipeline, { $group: { _id: null, n: { $sum: 1 }, bytes: { $sum: { $bsonSize: '$$ROOT' } } } }], options)
      .toArray();
    return { count: Number(total?.n ?? 0), bytes: Number(total?.bytes ?? 0) };
  } catch (error) {
    if (!lacksBsonSize(error)) throw error;
    const [total] = await db
      .collection(collection)
      .aggregate([...pipeline, { $count: 'n' }], options)
      .toArray();
    return { count: Number(total?.n ?? 0), bytes: null, note: NO_BSON_SIZE_NOTE };
  }
}

/** MongoDB before 4.4 answers "Unrecognized expression '$bsonSize'" (code 168, InvalidPipelineOperator). */
export function lacksBsonSize(error: unknown): boolean {
  const { code, message } = error as { code?: number; message?: string };
  return code === 168 || /\$bsonSize/i.test(message ?? '');
}

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
