import type { Db, Document } from 'mongodb';
import type { ExplainedQuery, ServerWork, ShardWork } from '../../results/server-work.js';
import { withClusterFacts } from './explain/cluster.js';
import { addKnown } from './explain/nodes.js';
import type { PlannedQuery } from './explain/planned.js';
import { missingReason, readExplain } from './explain/read.js';

export type { PlannedQuery } from './explain/planned.js';
export { readExplain, missingReason } from './explain/read.js';
export { withClusterFacts } from './explain/cluster.js';

/**
 * The server's own work for a strategy: every query it sends, explained with executionStats
 * (read-only), each read by readExplain (every examined key and document counted once, on one
 * server or through a mongos) and summed over the queries. A server that cannot explain one of
 * them (old versions, restricted users), or explains it in a layout imdiag does not read, leaves
 * the figures out and says why.
 */
export async function explainStrategy(db: Db, queries: PlannedQuery[]): Promise<ServerWork> {
  const explained: ExplainedQuery[] = [];
  try {
    for (const query of queries) explained.push(await explainQuery(db, query, await explainOne(db, query)));
  } catch (error) {
    return { explained: false, reason: `explain failed: ${(error as Error).message.split('\n')[0]}`, indexesUsed: [], queries: explained };
  }
  const indexesUsed = [...new Set(explained.flatMap((q) => q.indexesUsed))];
  const missing = explained.map(missingReason).find((reason) => reason !== null);
  if (missing) return { explained: false, reason: missing, indexesUsed, queries: explained };
  const sum = (pick: (q: ExplainedQuery) => number | null) => explained.reduce((total, q) => total + (pick(q) ?? 0), 0);
  const shards = shardsOverQueries(explained);
  const findings = explained.flatMap((q) => (q.cluster?.finding ? [`${q.operation} ${q.collection}: ${q.cluster.finding}`] : []));
  return {
    explained: true,
    docsExamined: sum((q) => q.docsExamined),
    keysExamined: sum((q) => q.keysExamined),
    docsReturned: sum((q) => q.docsReturned),
    indexesUsed,
    queries: explained,
    ...(shards && { shards }),
    ...(findings.length > 0 && { findings }),
  };
}

/** One query's explain reply, read, with the cluster's facts added when it went through a mongos. */
export function explainQuery(db: Db, query: PlannedQuery, explain: Document): Promise<ExplainedQuery> {
  return withClusterFacts(db, query, readExplain(query, explain));
}

/** Each shard's work over a strategy's queries, by shard name; undefined when no query went through a mongos. */
function shardsOverQueries(queries: ExplainedQuery[]): ShardWork[] | undefined {
  if (!queries.some((q) => q.cluster)) return undefined;
  const byName = new Map<string | null, ShardWork>();
  for (const shard of queries.flatMap((q) => q.cluster?.shards ?? [])) {
    const seen = byName.get(shard.shard);
    if (!seen) byName.set(shard.shard, { ...shard });
    else
      byName.set(shard.shard, {
        shard: shard.shard,
        keysExamined: addKnown(seen.keysExamined, shard.keysExamined),
        docsExamined: addKnown(seen.docsExamined, shard.docsExamined),
        returned: addKnown(seen.returned, shard.returned),
        millis: addKnown(seen.millis, shard.millis),
      });
  }
  return [...byName.values()];
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
