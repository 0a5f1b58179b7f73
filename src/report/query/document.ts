import { bytesHuman, count, milliseconds, NO_VALUE } from '../../lib/format.js';
import { queryVerdictLines } from './verdict.js';
import type { MeasuredQuery, QueryResult, VariantOutcome } from '../../results/query.js';
import { bullets, facts, paragraph, right, section, table, type Block, type ReportDoc, type Section } from '../model.js';
import { bsonMultiplier, capText, groupPrediction, predictedBlocked, predictedLive, replayCell, resultSize, sampleSize } from './cells.js';
import { queryCharts } from './charts.js';
import { clusterText, SHARD_COLUMNS, shardCells } from '../shards.js';
import { recordedSizeCell, routerText, skippedText } from './recorded.js';

/** `imdiag query` as a report: the verdict, the recorded ranking or the group-by, then per query its table, server side and charts. */
export function queryDoc(result: QueryResult): ReportDoc {
  const sections: Section[] = [];
  if (result.recorded) sections.push(recordedSection(result));
  if (result.groupBy) sections.push(groupBySection(result));
  result.queries.forEach((query, index) => sections.push(querySection(result, query, index)));
  return {
    title: `imdiag query: ${result.queries[0]?.query ?? 'no query measured'}`,
    summary: queryVerdictLines(result).summary,
    verdict: [result.verdict.text],
    sections: [...sections, section('Verdict per variant', 'verdict-lines', bullets(result.verdict.lines), ...failOnBlocks(result))],
  };
}

function failOnBlocks(result: QueryResult): Block[] {
  if (result.failOn.length === 0) return [];
  return [
    table(
      ['--fail-on', 'held', 'detail'],
      result.failOn.map((outcome) => [outcome.condition, outcome.held ? 'yes: exit 1' : 'no', `${result.options.failOnVariant} ${outcome.detail}`]),
    ),
  ];
}

function recordedSection(result: QueryResult): Section {
  const r = result.recorded!;
  return section(
    r.source === 'profile' ? 'Heaviest query shapes in system.profile' : `Heaviest query shapes in the slow-query log`,
    'recorded',
    paragraph(
      `${count(r.operations)} recorded operations in ${count(r.shapes.length)} shapes (collection, filter keys, projection, sort), heaviest single reply first; the top ${result.options.top} are measured with the filter values of their heaviest execution. The largest result is one cursor's find and getMore replies summed (≥: its first or last batch is not in the record).`,
    ),
    ...[skippedText(r.skipped), routerText(r.router)].flatMap((text) => (text ? [paragraph(text)] : [])),
    table(
      ['#', 'shape', right('executions'), right('max reply'), right('largest result'), 'plans', 'measured'],
      r.shapes.map((shape, index) => [
        String(index + 1),
        shape.shape,
        count(shape.executions),
        bytesHuman(shape.maxResponseBytes),
        recordedSizeCell(shape),
        [...shape.planSummaries, ...(shape.maxShards ? [`nShards ${shape.maxShards}`] : [])].join(', '),
        shape.measured ? 'yes' : (shape.reason ?? 'no'),
      ]),
    ),
  );
}

function groupBySection(result: QueryResult): Section {
  const g = result.groupBy!;
  const variants = g.values[0]?.predicted.map((p) => p.variant) ?? [];
  return section(
    `Who is heavy: by ${g.field}`,
    'group-by',
    paragraph(
      `One $group on the server counted documents${g.bytesCounted ? ' and BSON bytes' : ''} per ${g.field}; the heaviest (${String(g.measuredValue)}) was measured, the others predicted from its per-document cost. ✗: would not fit under the ${bytesHuman(result.options.heapLimitBytes)} heap limit.`,
    ),
    table(
      [g.field, right('documents'), right('BSON'), ...variants.map((name) => right(name))],
      g.values.map((value) => [value.value, count(value.docs), bytesHuman(value.bsonBytes), ...value.predicted.map(groupPrediction)]),
    ),
  );
}

function querySection(result: QueryResult, query: MeasuredQuery, index: number): Section {
  const s = query.server;
  const sample = sampleSize(query);
  return section(
    result.queries.length > 1 ? `Query ${index + 1}: ${query.label}` : 'The query',
    `query-${index + 1}`,
    facts([
      ['query', { code: query.query }],
      ['result', resultSize(query)],
      ['measured on', sample === null ? 'the whole result' : `the first ${sample} documents, predicted for all`],
      [
        'server plan',
        s.explained
          ? `${s.planSummary}; keys examined ${count(s.keysExamined)}, docs examined ${count(s.docsExamined)}, nReturned ${count(s.nReturned)}`
          : (s.reason ?? 'not explained'),
      ],
      ...(s.cluster ? [['through mongos', clusterText(s.cluster)] as [string, string]] : []),
      ...(s.cluster?.finding ? [['finding', s.cluster.finding] as [string, string]] : []),
    ]),
    ...(s.cluster ? [table([...SHARD_COLUMNS], s.cluster.shards.map(shardCells), 'Each shard’s part of the server plan’s figures.')] : []),
    table(
      [
        'variant',
        'status',
        right('docs'),
        right('BSON'),
        right('p50'),
        right('live heap'),
        right('live Buffers'),
        right('B/doc'),
        right('×BSON'),
        right('predicted live'),
        'under the cap',
        right('--full live'),
        right('blocked'),
        right('CPU'),
        right('predicted blocked'),
        right('predicted CPU'),
      ],
      query.variants.map(row),
    ),
    ...query.notes.map((note) => paragraph(note)),
    ...queryCharts(result, query, index),
  );
}

function row(outcome: VariantOutcome): string[] {
  if (outcome.status !== 'ok') return [outcome.name, outcome.status, outcome.reason, ...Array<string>(13).fill(NO_VALUE)];
  const m = outcome.measurement;
  return [
    outcome.name,
    'ok',
    count(m.docs),
    bytesHuman(m.bsonBytes),
    milliseconds(m.latency.p50Ms),
    bytesHuman(m.live?.heapBytes),
    bytesHuman(m.live?.externalBytes),
    count(m.bytesPerDoc),
    bsonMultiplier(m),
    predictedLive(outcome.prediction),
    outcome.name === 'raw' ? 'Buffers: a heap cap does not limit them' : capText(outcome.cap),
    replayCell(outcome.replay, true),
    milliseconds(m.loop?.blockedMs),
    milliseconds(m.loop?.cpuMs),
    predictedBlocked(outcome.loopPrediction),
    milliseconds(outcome.loopPrediction?.cpuMs),
  ];
}
