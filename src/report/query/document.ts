import { bytesHuman, count, milliseconds } from '../../lib/format.js';
import type { MeasuredQuery, QueryResult, VariantOutcome } from '../../results/query.js';
import { facts, paragraph, table, type Block, type ReportDoc, type Section } from '../model.js';
import { queryCharts } from './charts.js';
import { clusterText, SHARD_COLUMNS, shardCells } from '../shards.js';

/** `imdiag query` as a report: the verdict, the recorded ranking or the group-by, then per query its table, server side and charts. */
export function queryDoc(result: QueryResult): ReportDoc {
  const sections: Section[] = [];
  if (result.recorded) sections.push(recordedSection(result));
  if (result.groupBy) sections.push(groupBySection(result));
  result.queries.forEach((query, index) => sections.push(querySection(result, query, index)));
  return {
    title: `imdiag query: ${result.queries[0]?.query ?? 'no query measured'}`,
    verdict: [result.verdict.text],
    sections: [
      ...sections,
      {
        title: 'Verdict per variant',
        id: 'verdict-lines',
        blocks: [{ kind: 'list', items: result.verdict.lines.map((line) => [line]) }, ...failOnBlocks(result)],
      },
    ],
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
  return {
    title: r.source === 'profile' ? 'Heaviest query shapes in system.profile' : `Heaviest query shapes in the slow-query log`,
    id: 'recorded',
    blocks: [
      paragraph(
        `${count(r.operations)} recorded operations in ${count(r.shapes.length)} shapes (collection, filter keys, projection, sort), heaviest single reply first; the top ${result.options.top} are measured with the filter values of their heaviest execution.`,
      ),
      table(
        [
          '#',
          'shape',
          { title: 'executions', align: 'right' },
          { title: 'max reply', align: 'right' },
          { title: 'max nreturned', align: 'right' },
          'plans',
          'measured',
        ],
        r.shapes.map((shape, index) => [
          String(index + 1),
          shape.shape,
          count(shape.executions),
          bytesHuman(shape.maxResponseBytes),
          count(shape.maxReturned),
          shape.planSummaries.join(', '),
          shape.measured ? 'yes' : (shape.reason ?? 'no'),
        ]),
      ),
    ],
  };
}

function groupBySection(result: QueryResult): Section {
  const g = result.groupBy!;
  const variants = g.values[0]?.predicted.map((p) => p.variant) ?? [];
  return {
    title: `Who is heavy: by ${g.field}`,
    id: 'group-by',
    blocks: [
      paragraph(
        `One $group on the server counted documents${g.bytesCounted ? ' and BSON bytes' : ''} per ${g.field}; the heaviest (${String(g.measuredValue)}) was measured, the others predicted from its per-document cost. ✗: would not fit under the ${bytesHuman(result.options.heapLimitBytes)} heap limit.`,
      ),
      table(
        [
          g.field,
          { title: 'documents', align: 'right' },
          { title: 'BSON', align: 'right' },
          ...variants.map((name) => ({ title: name, align: 'right' as const })),
        ],
        g.values.map((value) => [
          value.value,
          count(value.docs),
          bytesHuman(value.bsonBytes),
          ...value.predicted.map((p) => `${bytesHuman(p.liveBytes)}${p.fits ? '' : ' ✗'}`),
        ]),
      ),
    ],
  };
}

function querySection(result: QueryResult, query: MeasuredQuery, index: number): Section {
  const s = query.server;
  return {
    title: result.queries.length > 1 ? `Query ${index + 1}: ${query.label}` : 'The query',
    id: `query-${index + 1}`,
    blocks: [
      facts([
        ['query', { code: query.query }],
        [
          'result',
          `${count(query.count)} ${query.mode === 'distinct' ? 'values' : 'documents'}${query.resultBsonBytes === null ? '' : `, ${bytesHuman(query.resultBsonBytes)} BSON`}`,
        ],
        [
          'measured on',
          query.sampleDocs === null ? 'the whole result' : `the first ${count(Math.min(query.sampleDocs, query.count))} documents, predicted for all`,
        ],
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
          { title: 'docs', align: 'right' },
          { title: 'BSON', align: 'right' },
          { title: 'p50', align: 'right' },
          { title: 'live heap', align: 'right' },
          { title: 'live Buffers', align: 'right' },
          { title: 'B/doc', align: 'right' },
          { title: '×BSON', align: 'right' },
          { title: 'predicted live', align: 'right' },
          'under the cap',
          { title: '--full live', align: 'right' },
        ],
        query.variants.map(row),
      ),
      ...query.notes.map((note) => paragraph(note)),
      ...queryCharts(result, query, index),
    ],
  };
}

function row(outcome: VariantOutcome): string[] {
  if (outcome.status !== 'ok') return [outcome.name, outcome.status, outcome.reason, '–', '–', '–', '–', '–', '–', '–', '–', '–'];
  const m = outcome.measurement;
  const p = outcome.prediction;
  return [
    outcome.name,
    'ok',
    count(m.docs),
    bytesHuman(m.bsonBytes),
    milliseconds(m.latency.p50Ms),
    bytesHuman(m.live?.heapBytes),
    bytesHuman(m.live?.externalBytes),
    count(m.bytesPerDoc),
    m.bsonMultiplier === null ? '–' : `×${m.bsonMultiplier.toFixed(1)}`,
    p ? `${bytesHuman(p.liveBytes)}${p.measuredWhole ? '' : ` (${bytesHuman(p.lowBytes)}–${bytesHuman(p.highBytes)})`}` : '–',
    outcome.name === 'raw'
      ? 'Buffers: a heap cap does not limit them'
      : outcome.cap
        ? outcome.cap.fits
          ? 'fits'
          : `OOM after ~${count(outcome.cap.oomAfterDocs)}`
        : '–',
    outcome.replay ? (outcome.replay.status === 'ok' ? bytesHuman(outcome.replay.liveBytes) : `${outcome.replay.status}: ${outcome.replay.reason}`) : '–',
  ];
}
