import { BSON, type Document } from 'mongodb';
import { isImdiagOwn, type RecordedOperation } from './shape.js';

/** mongod's structured log id of "Slow query" (4.4+): attr.ns, command, nreturned, reslen, planSummary, durationMillis. */
export const SLOW_QUERY_LOG_ID = 51803;

export interface ParsedLog {
  operations: RecordedOperation[];
  lines: number;
  slowQueryLines: number;
  /** Lines that are not JSON (a pre-4.4 text log, or a truncated line). */
  unparsedLines: number;
}

/** Slow-query lines of database `db` (all databases when null), in order. Other lines are skipped. */
export function parseSlowQueryLog(text: string, db: string | null): ParsedLog {
  const operations: RecordedOperation[] = [];
  let lines = 0;
  let slowQueryLines = 0;
  let unparsedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    let entry: Document;
    try {
      entry = JSON.parse(line) as Document;
    } catch {
      unparsedLines++;
      continue;
    }
    if (entry.id !== SLOW_QUERY_LOG_ID) continue;
    slowQueryLines++;
    const operation = operationFromLog(entry.attr as Document | undefined);
    if (operation && (db === null || operation.ns.split('.')[0] === db)) operations.push(operation);
  }
  return { operations, lines, slowQueryLines, unparsedLines };
}

export function operationFromLog(attr: Document | undefined): RecordedOperation | null {
  if (!attr || typeof attr.ns !== 'string' || !attr.command || typeof attr.command !== 'object') return null;
  if (isImdiagOwn(attr.appName)) return null;
  // The log writes commands as relaxed Extended JSON: {"$oid": …} becomes an ObjectId again.
  const command = BSON.EJSON.deserialize(attr.command as Document) as Document;
  const isGetMore = 'getMore' in command;
  const originating = attr.originatingCommand ? (BSON.EJSON.deserialize(attr.originatingCommand as Document) as Document) : null;
  return {
    ns: attr.ns,
    command: isGetMore && originating ? originating : command,
    isGetMore,
    cursorId: attr.cursorid === undefined ? null : String(attr.cursorid),
    nreturned: Number(attr.nreturned ?? 0),
    responseBytes: Number(attr.reslen ?? 0),
    millis: Number(attr.durationMillis ?? 0),
    planSummary: typeof attr.planSummary === 'string' ? attr.planSummary : null,
    appName: typeof attr.appName === 'string' ? attr.appName : null,
  };
}
