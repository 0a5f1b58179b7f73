import type { Document } from 'mongodb';
import type { QuerySpec } from './spec.js';
import type { RecordedSize, ShapeGroup } from '../../results/query.js';
import type { SkipCounter } from './skipped.js';

/**
 * Operations the server recorded (profiler entries or slow-query log lines), normalised, and
 * grouped by query shape: collection + filter keys (values dropped) + projection + sort, as
 * MongoDB's own query shapes do. A getMore belongs to the query that opened its cursor: its
 * reply bytes and documents are added to that operation.
 */
export interface RecordedOperation {
  /** `db.collection` */
  ns: string;
  /** The command as the server recorded it; for a getMore, the command that opened the cursor. */
  command: Document;
  isGetMore: boolean;
  cursorId: string | null;
  /** The server said this reply was the cursor's last (`cursorExhausted`). */
  cursorExhausted: boolean;
  nreturned: number;
  responseBytes: number;
  millis: number;
  planSummary: string | null;
  appName: string | null;
  /** A mongos's line: the shards the operation reached; null from a mongod. */
  nShards: number | null;
}

/** One cursor (or a query without one): its lines summed. */
interface Execution extends RecordedOperation {
  lines: number;
  /** Its find / aggregate line is in the record (the first batch is in the sum). */
  firstSeen: boolean;
  /** Its last batch is in the record: a line with cursorExhausted, or a first reply that left no cursor open. */
  exhausted: boolean;
}

/** imdiag's own operations (its children set appName imdiag-…): recorded by the server, but not the team's. */
export const isImdiagOwn = (appName: unknown): boolean => typeof appName === 'string' && appName.startsWith('imdiag');

const QUERY_COMMANDS = ['find', 'aggregate', 'distinct'] as const;

/**
 * Folds getMores into their queries (same cursor id), groups by shape, heaviest shape first. Each
 * cursor's find and getMore lines are summed: the documents and bytes the record holds for that
 * result, a lower bound when its first or last batch is missing (slowms leaves fast batches out).
 * Operations that are not a recorded query are counted in `skipped` by reason.
 */
export function groupByShape(operations: readonly RecordedOperation[], skipped?: SkipCounter): ShapeGroup[] {
  const groups = new Map<string, ShapeGroup>();
  for (const execution of foldCursors(operations)) {
    const operation = commandName(execution.command);
    if (!operation) {
      const name = Object.keys(execution.command)[0] ?? null;
      skipped?.add(name === 'getMore' ? 'orphan-getmore' : 'not-a-query', name === 'getMore' ? execution.ns : name, execution.lines);
      continue;
    }
    const collection = String(execution.command[operation]);
    const shape = shapeOf(execution.command, operation, collection);
    const group: ShapeGroup = groups.get(shape) ?? {
      shape,
      collection,
      operation,
      executions: 0,
      maxResponseBytes: -1,
      totalResponseBytes: 0,
      maxReturned: 0,
      totalReturned: 0,
      totalMillis: 0,
      planSummaries: [],
      heaviest: execution.command,
      recordedSize: { docs: 0, bytes: 0, atLeast: false, incompleteCursors: 0, withoutFirstBatch: 0 },
      maxShards: null,
    };
    group.executions++;
    group.totalResponseBytes += execution.responseBytes;
    group.totalReturned += execution.nreturned;
    group.totalMillis += execution.millis;
    group.maxReturned = Math.max(group.maxReturned, execution.nreturned);
    if (execution.responseBytes > group.maxResponseBytes) {
      group.maxResponseBytes = execution.responseBytes;
      group.heaviest = execution.command;
    }
    if (execution.planSummary && !group.planSummaries.includes(execution.planSummary)) group.planSummaries.push(execution.planSummary);
    if (execution.nShards !== null) group.maxShards = Math.max(group.maxShards ?? 0, execution.nShards);
    group.recordedSize = withCursor(group.recordedSize, execution);
    groups.set(shape, group);
  }
  return [...groups.values()].sort((a, b) => b.maxResponseBytes - a.maxResponseBytes || b.totalReturned - a.totalReturned || a.shape.localeCompare(b.shape));
}

/** Each cursor's lines as one execution (a getMore joins the find of the same namespace and cursor id). */
function foldCursors(operations: readonly RecordedOperation[]): Execution[] {
  const executions: Execution[] = [];
  const byCursor = new Map<string, Execution>();
  for (const operation of operations) {
    const open = operation.cursorId && operation.cursorId !== '0' ? `${operation.ns}#${operation.cursorId}` : null;
    const joined = open ? byCursor.get(open) : undefined;
    if (joined) {
      joined.lines++;
      joined.nreturned += operation.nreturned;
      joined.responseBytes += operation.responseBytes;
      joined.millis += operation.millis;
      joined.exhausted ||= operation.cursorExhausted;
      if (operation.nShards !== null) joined.nShards = Math.max(joined.nShards ?? 0, operation.nShards);
      continue;
    }
    // A find whose first reply left no cursor open (no cursorid, or 0) returned its whole result.
    const exhausted = operation.cursorExhausted || (!operation.isGetMore && !open);
    const execution: Execution = { ...operation, lines: 1, firstSeen: !operation.isGetMore, exhausted };
    if (open) byCursor.set(open, execution);
    executions.push(execution);
  }
  return executions;
}

/** The shape's recorded size with one more cursor: the largest cursor's sum (by documents), and how many sums are lower bounds. */
function withCursor(size: RecordedSize, execution: Execution): RecordedSize {
  const atLeast = !execution.exhausted || !execution.firstSeen;
  const larger = execution.nreturned > size.docs || (execution.nreturned === size.docs && execution.responseBytes > size.bytes);
  return {
    docs: larger ? execution.nreturned : size.docs,
    bytes: larger ? execution.responseBytes : size.bytes,
    atLeast: larger ? atLeast : size.atLeast,
    incompleteCursors: size.incompleteCursors + (atLeast ? 1 : 0),
    withoutFirstBatch: size.withoutFirstBatch + (execution.firstSeen ? 0 : 1),
  };
}

export function commandName(command: Document): (typeof QUERY_COMMANDS)[number] | undefined {
  const first = Object.keys(command)[0];
  return (QUERY_COMMANDS as readonly string[]).includes(first ?? '') ? (first as (typeof QUERY_COMMANDS)[number]) : undefined;
}

/** `readMsgs find {"userId":"?"} proj {"msgId":1} sort {"readDateTime":-1}` */
export function shapeOf(command: Document, operation: string, collection: string): string {
  switch (operation) {
    case 'find':
      return [
        `${collection} find ${JSON.stringify(valueShape(command.filter ?? {}))}`,
        command.projection && `proj ${JSON.stringify(command.projection)}`,
        command.sort && `sort ${JSON.stringify(command.sort)}`,
      ]
        .filter(Boolean)
        .join(' ');
    case 'aggregate':
      return `${collection} aggregate ${JSON.stringify(valueShape(command.pipeline ?? []))}`;
    default:
      return `${collection} distinct ${JSON.stringify(command.key)} ${JSON.stringify(valueShape(command.query ?? {}))}`;
  }
}

/** Keys and operators kept, values replaced by "?" (arrays of values by one "?"). */
export function valueShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.some((item) => isPlainObject(item)) ? value.map(valueShape) : '?';
  if (!isPlainObject(value)) return '?';
  return Object.fromEntries(Object.entries(value as Document).map(([key, item]) => [key, valueShape(item)]));
}

function isPlainObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !('_bsontype' in (value as object)) &&
    !(value instanceof Date) &&
    !('$oid' in (value as object)) &&
    !('$date' in (value as object))
  );
}

/** The recorded command as a query to replay, or why it cannot be. */
export function specFromCommand(command: Document): { spec: QuerySpec } | { reason: string } {
  if ('$truncated' in command) return { reason: 'the server truncated this command (over 50 KB in the profiler, 10 KB in the log); it cannot be replayed' };
  const operation = commandName(command);
  if (!operation) return { reason: `not a find, aggregate or distinct: ${Object.keys(command)[0]}` };
  const collection = String(command[operation]);
  switch (operation) {
    case 'find':
      return {
        spec: {
          mode: 'find',
          collection,
          filter: (command.filter as Document) ?? {},
          ...(command.projection && { projection: command.projection as Document }),
          ...(command.sort && { sort: command.sort as Document }),
          ...(typeof command.limit === 'number' && command.limit > 0 && { limit: command.limit }),
        },
      };
    case 'aggregate':
      return { spec: { mode: 'aggregate', collection, pipeline: (command.pipeline as Document[]) ?? [] } };
    case 'distinct':
      return { spec: { mode: 'distinct', collection, field: String(command.key), filter: (command.query as Document) ?? {} } };
  }
}

export type { ShapeGroup } from '../../results/query.js';
