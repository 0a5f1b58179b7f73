import type { Db } from 'mongodb';
import type { RunContext } from '../../lib/run-context.js';
import { CheckError, InputError } from '../../lib/errors.js';
import type { MeasuredQuery, RankedShape, RecordedSummary } from '../../results/query.js';
import { checkCollection } from './checks.js';
import { parseSlowQueryLog } from './log.js';
import { measureQuery, type MeasureOptions } from './measure.js';
import { readProfile } from './profile.js';
import { atRecordedSize } from './recorded-size.js';
import { writeRefusal } from './safety.js';
import { groupByShape, specFromCommand, type RecordedOperation } from './shape.js';
import { SkipCounter } from './skipped.js';
import { relaxed } from './spec.js';

export type RecordedSource = { kind: 'profile' } | { kind: 'log'; file: string; text: string };

/**
 * --from-profile / --from-log: the recorded operations grouped by shape, the top `top` measured
 * with their heaviest execution's filter values, each with its prediction at the size the record
 * holds for it; the operations not measured counted by reason.
 */
export async function measureRecorded(
  db: Db,
  topology: string,
  source: RecordedSource,
  top: number,
  measure: MeasureOptions,
  ctx: RunContext,
): Promise<{ queries: MeasuredQuery[]; recorded: RecordedSummary }> {
  const read =
    source.kind === 'profile' ? { ...(await readProfile(db, topology, measure.maxTimeMS)), summary: {}, router: null } : fromLog(source, db.databaseName);
  const skipped = new SkipCounter().merge(read.skipped);
  const groups = groupByShape(read.operations, skipped);
  const queries: MeasuredQuery[] = [];
  const shapes: RankedShape[] = [];
  for (const [rank, group] of groups.entries()) {
    const shape: RankedShape = { ...group, heaviest: relaxed(group.heaviest), measured: false };
    shapes.push(shape);
    if (rank >= top || ctx.signal.aborted) continue;
    const replay = specFromCommand(group.heaviest);
    if ('reason' in replay) {
      shape.reason = replay.reason;
      continue;
    }
    const refusal = writeRefusal(replay.spec.mode === 'aggregate' ? replay.spec.pipeline : replay.spec.filter);
    if (refusal !== null) {
      shape.reason = `recorded query: ${refusal}`;
      continue;
    }
    try {
      await checkCollection(db, replay.spec.collection);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      shape.reason = `recorded query: ${error.reason}`;
      continue;
    }
    const query = await measureQuery(db, replay.spec, group.shape, measure, ctx);
    query.atRecorded = atRecordedSize(query, group.recordedSize, measure.heapLimitBytes);
    queries.push(query);
    shape.measured = true;
  }
  return {
    queries,
    recorded: { source: source.kind, ...read.summary, operations: read.operations.length, shapes, skipped: skipped.list(), router: read.router },
  };
}

function fromLog(source: Extract<RecordedSource, { kind: 'log' }>, db: string) {
  const parsed = parseSlowQueryLog(source.text, db);
  if (parsed.operations.length === 0) {
    const others = parsed.skipped.find((skip) => skip.reason === 'other-database');
    throw new CheckError(
      `--from-log ${source.file}: no slow-query line (id 51803, MongoDB 4.4+ JSON log) for database ${db} among ${parsed.lines} lines${parsed.unparsedLines ? ` (${parsed.unparsedLines} were not JSON)` : ''}${others ? `; ${others.count} are of other databases (${others.names.join(', ')}): pass --db` : ''}`,
    );
  }
  return {
    operations: parsed.operations as RecordedOperation[],
    skipped: parsed.skipped,
    router: parsed.router,
    summary: { lines: parsed.lines, slowQueryLines: parsed.slowQueryLines, unparsedLines: parsed.unparsedLines },
  };
}
