import { MongoClient, type Db } from 'mongodb';
import type { RunContext } from '../../lib/run-context.js';
import { CheckError } from '../../lib/errors.js';
import { LONG_QUERY_CONNECT_TIMEOUT_MS, type MongoTarget } from '../../lib/mongo/target.js';
import type { BaseResult } from '../../lib/result.js';
import { stopCause } from '../../lib/stop.js';
import { groupCounts, groupPredictions, valueText } from './group-by.js';
import { measureQuery, type MeasureOptions } from './measure.js';
import type { GroupByResult, MeasuredQuery, QueryResult, RecordedSummary } from '../../results/query.js';
import { checkCollection, checkFields } from './checks.js';
import { measureRecorded, type RecordedSource } from './recorded.js';
import { relaxed, type QuerySpec } from './spec.js';
import type { VariantName } from './variants/names.js';
import { verdictLines, verdictText } from './verdict.js';
import { resolvePopulate, type PopulateRequest } from './populate/resolve.js';
import type { PopulateTarget } from '../../results/query-populate.js';

export type QuerySource = { kind: 'flags'; spec: QuerySpec } | RecordedSource;

export interface QueryOptions extends Omit<MeasureOptions, 'uri' | 'dbName'> {
  source: QuerySource;
  /** --populate as typed; resolved against --model or the database before anything is measured. */
  populate: PopulateRequest[] | null;
  groupBy: string | null;
  top: number;
  failOnVariant: VariantName;
}

/** What the engine measured: the result without its envelope and --fail-on outcomes (the command adds them), and the problems it found. */
export interface QueryRun {
  readonly body: Omit<QueryResult, keyof BaseResult | 'failOn'>;
  readonly problems: string[];
}

/** The `imdiag query` engine on an open target: find the query (or queries), measure, predict. */
export async function queryOnTarget(target: MongoTarget, opts: QueryOptions, ctx: RunContext): Promise<QueryRun> {
  // Read-only by construction: this client only reads, secondaryPreferred unless told otherwise, every operation under maxTimeMS.
  const client = new MongoClient(target.uri ?? target.displayUri, {
    readPreference: opts.readPreference,
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: LONG_QUERY_CONNECT_TIMEOUT_MS,
    appName: 'imdiag-query',
  });
  await client.connect();
  try {
    const db = client.db(target.dbName);
    const measure: MeasureOptions = { ...opts, uri: target.uri ?? target.displayUri, dbName: target.dbName };
    let queries: MeasuredQuery[] = [];
    let recorded: RecordedSummary | null = null;
    let groupBy: GroupByResult | null = null;
    let populate: PopulateTarget[] | null = null;
    if (opts.source.kind === 'flags') {
      let { spec } = opts.source;
      await checkCollection(db, spec.collection);
      await checkFields(db, spec, opts);
      if (opts.populate && spec.mode === 'find') {
        populate = await resolvePopulate(db, spec, opts.populate, opts.model, opts.maxTimeMS);
        spec = { ...spec, populate };
      }
      if (opts.groupBy && spec.mode === 'find') {
        const grouped = await runGroupBy(db, spec, opts.groupBy, opts, measure, ctx);
        queries = [grouped.query];
        groupBy = grouped.groupBy;
      } else {
        queries = [await measureQuery(db, spec, 'query', measure, ctx)];
      }
    } else {
      ({ queries, recorded } = await measureRecorded(db, target.server.topology, opts.source, opts.top, measure, ctx));
    }
    const lines = queries.flatMap((query) =>
      queries.length > 1
        ? [`${query.label}:`, ...verdictLines(query, opts.heapLimitBytes, opts.maxOldSpaceSizeMB !== null).map((line) => `  ${line}`)]
        : verdictLines(query, opts.heapLimitBytes, opts.maxOldSpaceSizeMB !== null),
    );
    const problems = [
      ...queries.flatMap((query) =>
        query.variants.filter((v) => v.status === 'error' || v.status === 'crashed').map((v) => `${v.name}: ${'reason' in v ? v.reason : v.status}`),
      ),
      ...(ctx.signal.aborted ? [`stopped (${stopCause(ctx.signal)}) before every variant was measured`] : []),
    ];
    const body: QueryRun['body'] = {
      options: {
        source: opts.source.kind,
        logFile: opts.source.kind === 'log' ? opts.source.file : null,
        variants: opts.variants,
        sample: opts.sample,
        full: opts.full,
        maxHeapBytes: opts.maxHeapBytes,
        maxOldSpaceSizeMB: opts.maxOldSpaceSizeMB,
        heapLimitBytes: opts.heapLimitBytes,
        maxTimeMS: opts.maxTimeMS,
        readPreference: opts.readPreference,
        runs: opts.runs,
        groupBy: opts.groupBy,
        top: opts.top,
        suggestProjection: opts.suggestProjection,
        model: opts.model,
        populate,
        failOnVariant: opts.failOnVariant,
      },
      queries,
      recorded,
      groupBy,
      verdict: { text: verdictText(queries, lines, recordedIn(opts.source)), lines },
    };
    return { body, problems };
  } finally {
    await client.close();
  }
}

async function runGroupBy(
  db: Db,
  spec: Extract<QuerySpec, { mode: 'find' }>,
  field: string,
  opts: QueryOptions,
  measure: MeasureOptions,
  ctx: RunContext,
): Promise<{ query: MeasuredQuery; groupBy: GroupByResult }> {
  ctx.reporter.note(`query: counting ${spec.collection} by ${field} on the server…`);
  const { groups, note } = await groupCounts(db, spec.collection, spec.filter, field, opts.top, opts.maxTimeMS);
  if (groups.length === 0) throw new CheckError(`--group-by ${field}: the filter ${relaxed(spec.filter)} matches no document in ${spec.collection}`);
  const heaviest = groups[0]!;
  const query = await measureQuery(
    db,
    { ...spec, filter: { ...spec.filter, [field]: heaviest.value ?? null } },
    `${field} = ${valueText(heaviest.value)}`,
    measure,
    ctx,
  );
  if (note && !query.notes.includes(note)) query.notes.push(note);
  const values = groups.map((group) => ({
    value: valueText(group.value),
    docs: group.docs,
    bsonBytes: group.bsonBytes,
    predicted: groupPredictions(query, group.docs, opts.heapLimitBytes, spec.batchSize),
  }));
  return { query, groupBy: { field, top: opts.top, bytesCounted: note === undefined, values, measuredValue: valueText(heaviest.value) } };
}

/** Who recorded the sizes, for the verdict. */
function recordedIn(source: QuerySource): string | null {
  return source.kind === 'log' ? 'the slow-query log' : source.kind === 'profile' ? 'system.profile' : null;
}
