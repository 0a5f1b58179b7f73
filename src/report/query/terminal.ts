import type { Style } from '../../lib/style.js';
import type { MeasuredQuery, QueryResult, VariantOutcome } from '../../results/query.js';
import { bytesHuman, count, milliseconds } from '../../lib/format.js';
import { compactTable, DEFAULT_LAYOUT, finish, fitTable, verdictLines, type FitCell, type FitColumn, type TerminalLayout } from '../terminal.js';
import { queryVerdictLines } from './verdict.js';
import {
  bsonMultiplier,
  capText,
  eluCell,
  groupPrediction,
  predictedBlocked,
  predictedRange,
  replayCell,
  replayLoopCell,
  resultSize,
  sampleSize,
} from './cells.js';
import { clusterText, shardLine } from '../shards.js';
import { recordedSizeCell, routerText, skippedText } from './recorded.js';

/** `imdiag query` for people: per query a table (one row a variant), the server's side, the verdict lines. */
export function renderQuery(result: QueryResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const env = result.environment;
  const { options } = result;
  const lines: string[] = [];
  lines.push(
    style.bold(`imdiag query · ${env.mongo?.database ?? ''}`) +
      ` · Node ${env.node}, driver ${env.mongodbDriver}, MongoDB ${env.mongo?.serverVersion ?? '?'} · read preference ${options.readPreference}, maxTimeMS ${count(options.maxTimeMS)} · heap limit ${bytesHuman(options.heapLimitBytes)}${options.maxOldSpaceSizeMB ? ' (--max-old-space-size)' : ", Node's default"} · each variant in its own process, ${options.runs} measured run(s) after a warm-up`,
  );
  if (result.recorded) {
    const r = result.recorded;
    lines.push(
      style.bold(
        `${r.source === 'profile' ? 'system.profile' : `slow-query log ${options.logFile ?? ''}`}: ${count(r.operations)} operations, ${count(r.shapes.length)} shapes, heaviest first`,
      ),
    );
    const ranking = compactTable(style, ['#', 'shape', 'runs', 'max reslen', 'largest result', 'plans', 'measured']);
    r.shapes.forEach((shape, index) =>
      ranking.push([
        String(index + 1),
        shape.shape.slice(0, 80),
        count(shape.executions),
        bytesHuman(shape.maxResponseBytes),
        recordedSizeCell(shape),
        [...shape.planSummaries, ...(shape.maxShards ? [`nShards ${shape.maxShards}`] : [])].join(', ').slice(0, 40),
        shape.measured ? 'yes' : (shape.reason ?? 'no').slice(0, 60),
      ]),
    );
    lines.push(ranking.toString());
    for (const text of [skippedText(r.skipped), routerText(r.router)]) if (text) lines.push(style.dim(text));
  }
  if (result.groupBy) {
    const g = result.groupBy;
    lines.push(style.bold(`by ${g.field}: top ${g.values.length}, predicted live memory per variant (✗: would not fit under the heap limit)`));
    const variants = g.values[0]?.predicted.map((p) => p.variant) ?? [];
    const table = compactTable(style, [g.field, 'docs', 'BSON', ...variants]);
    for (const value of g.values) table.push([value.value, count(value.docs), bytesHuman(value.bsonBytes), ...value.predicted.map(groupPrediction)]);
    lines.push(table.toString());
  }
  for (const query of result.queries) lines.push(...renderMeasured(query, style, layout));
  const verdict = queryVerdictLines(result);
  lines.push('', ...verdictLines(verdict.summary, style, layout));
  for (const detail of verdict.detail) lines.push(style.dim(detail));
  lines.push('', style.bold('per variant:'), ...result.verdict.lines.map((line) => `  ${line}`), '');
  for (const outcome of result.failOn)
    lines.push(
      (outcome.held ? style.red : style.green)(
        `--fail-on ${outcome.condition}: ${outcome.held ? 'FAILED' : 'passed'} (${options.failOnVariant} ${outcome.detail})`,
      ),
    );
  const said = result.failOn.map((outcome) => `--fail-on ${outcome.condition}`);
  for (const problem of result.problems.filter((text) => !said.some((start) => text.startsWith(start)))) lines.push(style.red(`problem: ${problem}`));
  return finish(lines, layout);
}

function renderMeasured(query: MeasuredQuery, style: Style, layout: TerminalLayout): string[] {
  const lines: string[] = [];
  const sample = sampleSize(query);
  lines.push(style.bold(`${query.query}`) + ` · ${resultSize(query)} · ${sample === null ? 'measured whole' : `sample of ${sample}`}`);
  const s = query.server;
  lines.push(
    s.explained
      ? `server: ${s.planSummary}${s.collectionScan ? ' (collection scan)' : ''}, keys examined ${count(s.keysExamined)}, docs examined ${count(s.docsExamined)}, nReturned ${count(s.nReturned)}`
      : `server: ${s.reason}`,
  );
  if (s.cluster) {
    lines.push(`  through mongos: ${clusterText(s.cluster)}`);
    for (const shard of s.cluster.shards) lines.push(`    ${shardLine(shard)}`);
    if (s.cluster.finding) lines.push(style.yellow(`  finding: ${s.cluster.finding}`));
  }
  lines.push(
    ...fitTable(
      style,
      layout,
      VARIANT_COLUMNS,
      query.variants.map((outcome) => row(outcome, style)),
    ),
  );
  for (const outcome of query.variants) {
    for (const note of outcome.notes) lines.push(style.dim(`  ${outcome.name}: ${note}`));
    if (outcome.status === 'ok' && outcome.schema)
      lines.push(
        style.dim(
          `  ${outcome.name}: schema ${outcome.schema.source}: ${Object.entries(outcome.schema.paths)
            .map(([p, t]) => `${p}: ${t}`)
            .join(', ')}`,
        ),
      );
  }
  for (const note of query.notes) lines.push(style.dim(`  ${note}`));
  return lines;
}

/** Short headings; the columns a narrow terminal drops first have the lowest `drop`. */
const VARIANT_COLUMNS: FitColumn[] = [
  { head: 'variant' },
  { head: 'status' },
  { head: 'docs', right: true, drop: 6 },
  { head: 'BSON', right: true, drop: 3 },
  { head: 'p50', right: true, drop: 9 },
  { head: 'peak heap', right: true, drop: 10 },
  { head: 'live heap', right: true },
  { head: 'external', right: true, drop: 2 },
  { head: 'B/doc', right: true, drop: 8 },
  { head: '×BSON', right: true, drop: 4 },
  { head: 'peak RSS', right: true, drop: 1 },
  { head: 'predicted live', right: true },
  { head: 'predicted range', right: true, drop: 5 },
  { head: 'heap limit', wrap: true },
  { head: '--full live', right: true, drop: 7 },
  { head: 'blocked', right: true, drop: 5.5 },
  { head: 'CPU', right: true, drop: 4.5 },
  { head: 'ELU', right: true, drop: 0.5 },
  { head: 'predicted blocked', right: true, drop: 12 },
  { head: 'predicted CPU', right: true, drop: 11 },
  { head: '--full blocked', right: true, drop: 6.5 },
  { head: '--full CPU', right: true, drop: 6.2 },
];

function row(outcome: VariantOutcome, style: Style): FitCell[] {
  if (outcome.status !== 'ok') return [outcome.name, style.dim(outcome.status), { rest: outcome.reason }];
  const m = outcome.measurement;
  return [
    outcome.name,
    style.green('ok'),
    count(m.docs),
    bytesHuman(m.bsonBytes),
    milliseconds(m.latency.p50Ms),
    bytesHuman(m.peakHeapGrowthBytes),
    bytesHuman(m.live?.heapBytes),
    bytesHuman(m.live?.externalBytes),
    count(m.bytesPerDoc),
    bsonMultiplier(m),
    bytesHuman(m.peakRssBytes),
    bytesHuman(outcome.prediction?.liveBytes),
    predictedRange(outcome.prediction),
    outcome.name === 'raw' ? 'not limited (Buffers)' : capText(outcome.cap),
    replayCell(outcome.replay),
    milliseconds(m.loop?.blockedMs),
    milliseconds(m.loop?.cpuMs),
    eluCell(m),
    predictedBlocked(outcome.loopPrediction),
    milliseconds(outcome.loopPrediction?.cpuMs),
    replayLoopCell(outcome.replay, 'blockedMs'),
    replayLoopCell(outcome.replay, 'cpuMs'),
  ];
}
