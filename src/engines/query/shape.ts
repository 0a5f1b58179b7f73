import type { Document } from 'mongodb';
import type { QuerySpec } from './spec.js';
import type { ShapeGroup } from '../../results/query.js';

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
  nreturned: number;
  responseBytes: number;
  millis: number;
  planSummary: string | null;
  appName: string | null;
}

/** imdiag's own operations (its children set appName imdiag-…): recorded by the server, but not the team's. */
export const isImdiagOwn = (appName: unknown): boolean => typeof appName === 'string' && appName.startsWith('imdiag');

const QUERY_COMMANDS = ['find', 'aggregate', 'distinct'] as const;

/** Folds getMores into their queries (same cursor id), groups by shape, heaviest shape first. */
export function groupByShape(operations: readonly RecordedOperation[]): ShapeGroup[] {
  const executions: RecordedOperation[] = [];
  const byCursor = new Map<string, RecordedOperation>();
  for (const operation of operations) {
    const key = operation.cursorId && operation.cursorId !== '0' ? `${operation.ns}#${operation.cursorId}` : null;
    const open = key ? byCursor.get(key) : undefined;
    if (open) {
      open.nreturned += operation.nreturned;
      open.responseBytes += operation.responseBytes;
      open.millis += operation.millis;
      continue;
    }
    const copy = { ...operation };
    if (key) byCursor.set(key, copy);
    executions.push(copy);
  }
  const groups = new Map<string, ShapeGroup>();
  for (const execution of executions) {
    const operation = commandName(execution.command);
    if (!operation) continue;
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
    groups.set(shape, group);
  }
  return [...groups.values()].sort((a, b) => b.maxResponseBytes - a.maxResponseBytes || b.totalReturned - a.totalReturned || a.shape.localeCompare(b.shape));
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
