import type { Db, Document } from 'mongodb';
import type { ExplainedQuery, ServerWork } from '../../results/compare-unread.js';

/** A query a strategy or variant sends, described as data so that explain replays exactly what it sends. */
export type PlannedQuery =
  | { collection: string; operation: 'find'; filter: Document; projection?: Document }
  | { collection: string; operation: 'distinct'; key: string; filter: Document }
  | { collection: string; operation: 'aggregate'; pipeline: Document[] }
  | { collection: string; operation: 'count'; filter: Document };

/**
 * The server's own work for a strategy: every query it sends, explained with executionStats
 * (read-only). Figures are summed over the queries: `totalDocsExamined` / `totalKeysExamined`
 * wherever the explain output carries them (a find's executionStats, an aggregation's
 * $cursor stage, a $lookup stage's own stats). A server that cannot explain one of them
 * (old versions, restricted users) leaves the figures out and says why.
 */
export async function explainStrategy(db: Db, queries: PlannedQuery[]): Promise<ServerWork> {
  const explained: ExplainedQuery[] = [];
  try {
    for (const query of queries) explained.push(readExplain(query, await explainOne(db, query)));
  } catch (error) {
    return { explained: false, reason: `explain failed: ${(error as Error).message.split('\n')[0]}`, indexesUsed: [], queries: explained };
  }
  const sum = (pick: (q: ExplainedQuery) => number | null) => explained.reduce((total, q) => total + (pick(q) ?? 0), 0);
  return {
    explained: true,
    docsExamined: sum((q) => q.docsExamined),
    keysExamined: sum((q) => q.keysExamined),
    docsReturned: sum((q) => q.docsReturned),
    indexesUsed: [...new Set(explained.flatMap((q) => q.indexesUsed))],
    queries: explained,
  };
}

function explainOne(db: Db, query: PlannedQuery): Promise<Document> {
  const collection = db.collection(query.collection);
  switch (query.operation) {
    case 'find':
      return collection.find(query.filter, query.projection ? { projection: query.projection } : {}).explain('executionStats');
    case 'aggregate':
      return collection.aggregate(query.pipeline).explain('executionStats');
    case 'distinct':
      return db.command({ explain: { distinct: query.collection, key: query.key, query: query.filter }, verbosity: 'executionStats' });
    case 'count':
      return db.command({ explain: { count: query.collection, query: query.filter }, verbosity: 'executionStats' });
  }
}

export function readExplain(query: PlannedQuery, explain: Document): ExplainedQuery {
  let docsExamined: number | null = null;
  let keysExamined: number | null = null;
  let docsReturned: number | null = null;
  const indexes = new Set<string>();
  let collectionScan = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.totalDocsExamined === 'number') docsExamined = (docsExamined ?? 0) + record.totalDocsExamined;
    if (typeof record.totalKeysExamined === 'number') keysExamined = (keysExamined ?? 0) + record.totalKeysExamined;
    if (record.stage === 'IXSCAN' && typeof record.indexName === 'string') indexes.add(record.indexName);
    if (record.stage === 'COLLSCAN') collectionScan = true;
    if (Array.isArray(record.indexesUsed)) for (const name of record.indexesUsed) if (typeof name === 'string') indexes.add(name);
    for (const [key, value] of Object.entries(record)) {
      if (key === 'executionStats' && docsReturned === null && typeof (value as Document)?.nReturned === 'number') docsReturned = (value as Document).nReturned;
      // The winning plan repeats the stages executionStats already describes; rejected plans did no work.
      if (key === 'rejectedPlans' || key === 'allPlansExecution') continue;
      visit(value);
    }
  };
  // An aggregation's work is in its stages ($cursor, $lookup…); some servers repeat the $cursor's
  // executionStats at the top level too, which would count it twice.
  visit(Array.isArray(explain.stages) ? explain.stages : explain);
  return { collection: query.collection, operation: query.operation, docsExamined, keysExamined, docsReturned, indexesUsed: [...indexes], collectionScan };
}
