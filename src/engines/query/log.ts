import { BSON, type Document } from 'mongodb';
import type { RecordedSkip, RouterLines } from '../../results/query.js';
import { isImdiagOwn, type RecordedOperation } from './shape.js';
import { isWrite, SkipCounter } from './skipped.js';

/** mongod's structured log id of "Slow query" (4.4+): attr.ns, command, nreturned, reslen, planSummary, durationMillis. */
export const SLOW_QUERY_LOG_ID = 51803;

export interface ParsedLog {
  operations: RecordedOperation[];
  lines: number;
  slowQueryLines: number;
  /** Lines that are not JSON (a pre-4.4 text log, or a truncated line). */
  unparsedLines: number;
  /** Slow-query lines not kept, by reason (other databases, writes, unparsable, imdiag's own). */
  skipped: RecordedSkip[];
  /** What the mongos lines (those with nShards) carry; null when there are none. */
  router: RouterLines | null;
}

/** Slow-query lines of database `db` (all databases when null), in order. Other log lines are not slow queries and are passed over. */
export function parseSlowQueryLog(text: string, db: string | null): ParsedLog {
  const operations: RecordedOperation[] = [];
  const skipped = new SkipCounter();
  const router = new RouterTally();
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
      skipped.add('unparsable', null);
      continue;
    }
    if (entry.id !== SLOW_QUERY_LOG_ID) continue;
    slowQueryLines++;
    const attr = entry.attr as Document | undefined;
    const operation = operationFromLog(attr);
    if (!operation) {
      skipped.add(attr && isImdiagOwn(attr.appName) ? 'imdiag' : 'unparsable', typeof attr?.ns === 'string' ? attr.ns : null);
      continue;
    }
    if (db !== null && operation.ns.split('.')[0] !== db) skipped.add('other-database', operation.ns);
    else if (isWrite(entry.c, attr!.type, operation.command)) skipped.add('write', operation.ns);
    else {
      router.add(attr!);
      operations.push(operation);
    }
  }
  return { operations, lines, slowQueryLines, unparsedLines, skipped: skipped.list(), router: router.result() };
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
    cursorExhausted: attr.cursorExhausted === true || attr.cursorExhausted === 1,
    nreturned: Number(attr.nreturned ?? 0),
    responseBytes: Number(attr.reslen ?? 0),
    millis: Number(attr.durationMillis ?? 0),
    planSummary: typeof attr.planSummary === 'string' ? attr.planSummary : null,
    appName: typeof attr.appName === 'string' ? attr.appName : null,
    nShards: typeof attr.nShards === 'number' ? attr.nShards : null,
  };
}

/**
 * A mongos logs "Slow query" lines with `nShards` (the shards the operation reached) and, since
 * 5.0, `remoteOpWaitMillis` (time the merger waited for shards), but without `keysExamined`,
 * `docsExamined` or `planSummary`, which only the shards know
 * (https://github.com/mongodb/mongo/blob/master/jstests/noPassthrough/log_format_slowms_samplerate_loglevel.js,
 * https://www.mongodb.com/docs/manual/reference/log-messages/#time-waiting-for-shards-logged-in-remoteopwaitmillis-field).
 */
class RouterTally {
  private lines = 0;
  private maxShards = 0;
  private remoteWait: number | null = null;
  private duration = 0;
  private withExamined = 0;

  add(attr: Document): void {
    if (typeof attr.nShards !== 'number') return;
    this.lines++;
    this.maxShards = Math.max(this.maxShards, attr.nShards);
    if (typeof attr.remoteOpWaitMillis === 'number') this.remoteWait = (this.remoteWait ?? 0) + attr.remoteOpWaitMillis;
    this.duration += Number(attr.durationMillis ?? 0);
    if (attr.keysExamined !== undefined || attr.docsExamined !== undefined) this.withExamined++;
  }

  result(): RouterLines | null {
    if (this.lines === 0) return null;
    return {
      lines: this.lines,
      maxShards: this.maxShards,
      remoteOpWaitMillis: this.remoteWait,
      durationMillis: this.duration,
      withExamined: this.withExamined,
    };
  }
}
