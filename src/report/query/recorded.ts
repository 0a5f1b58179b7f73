import { bytesHuman, count, milliseconds, ratio } from '../../lib/format.js';
import type { QueryResult, RankedShape, RecordedSkip, RouterLines, SkipReason } from '../../results/query.js';

/** What the output says for each reason a recorded operation was not measured. */
const SKIP_WORDS: Readonly<Record<SkipReason, string>> = {
  'other-database': 'of other databases',
  write: 'writes (imdiag only reads)',
  unparsable: 'unparsable lines',
  'orphan-getmore': 'getMores whose find was not recorded (no originatingCommand: their query is unknown)',
  'not-a-query': 'other commands (not a find, aggregate or distinct)',
  imdiag: "imdiag's own operations",
};

/** "not measured: 2 of other databases (other.msgs), 1 writes (imdiag only reads) (app.readMsgs)"; null when nothing was skipped. */
export function skippedText(skipped: readonly RecordedSkip[] | undefined): string | null {
  if (!skipped || skipped.length === 0) return null;
  return `recorded but not measured: ${skipped.map((skip) => `${count(skip.count)} ${SKIP_WORDS[skip.reason]}${skip.names.length > 0 ? ` (${skip.names.join(', ')})` : ''}`).join('; ')}`;
}

/** What a mongos's lines gave and what they lack. */
export function routerText(router: RouterLines | null | undefined): string | null {
  if (!router) return null;
  const wait =
    router.remoteOpWaitMillis === null
      ? 'no remoteOpWaitMillis (logged by MongoDB 5.0+ on the merger)'
      : `remoteOpWaitMillis ${milliseconds(router.remoteOpWaitMillis)} waiting for shards of ${milliseconds(router.durationMillis)} in all`;
  const examined =
    router.withExamined === router.lines
      ? 'keysExamined / docsExamined present'
      : `keysExamined / docsExamined absent from ${count(router.lines - router.withExamined)} of them (a mongos does not log them unless query stats are enabled; the shards' own logs or an explain through the mongos carry them)`;
  return `mongos lines: ${count(router.lines)} carry nShards (up to ${count(router.maxShards)} shards per operation), ${wait}; ${examined}`;
}

/** The ranking's cell: the largest recorded result of the shape, "≥" when its sum is a lower bound. */
export function recordedSizeCell(shape: RankedShape): string {
  const size = shape.recordedSize;
  if (!size) return count(shape.maxReturned);
  return `${size.atLeast ? '≥ ' : ''}${count(size.docs)} (${bytesHuman(size.bytes)})`;
}

/** The summary's lead when the record's size is clearly larger than the data at hand's. */
export function recordedSummary(result: QueryResult): string | null {
  const query = result.queries[0];
  const at = query?.atRecorded;
  if (!query || !at || !at.differs || at.ratio === null || at.ratio < 1) return null;
  const lead = at.variants.find((v) => v.name === 'driver') ?? at.variants.find((v) => v.name !== 'stream');
  if (!lead) return null;
  const where = result.recorded?.source === 'profile' ? 'system.profile' : 'The slow-query log';
  const cap = lead.cap ? (lead.cap.fits ? ', and fits under the heap limit' : `: OOM after ~${count(lead.cap.oomAfterDocs)} documents`) : '';
  return `${where} recorded ${at.size.atLeast ? 'at least ' : ''}${count(at.size.docs)} documents for one result of this query, ${ratio(at.ratio)} the ${count(query.count)} --db holds: at that size ${lead.name} holds ~${bytesHuman(lead.prediction.liveBytes)} live${cap}.`;
}
