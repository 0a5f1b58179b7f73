import type { ClusterWork, CompareUnreadResult } from '../../results/compare-unread.js';
import { bytesHuman, count, megabytes, NO_VALUE, percent } from '../../lib/format.js';
import { bloomAgainstExact, bloomMeasuredRate } from './bloom-text.js';
import { facts, paragraph, right, section, table, type Block, type Section } from '../model.js';
import { reachedText, SHARD_COLUMNS, shardCells } from '../shards.js';

export function serverWorkSection(result: CompareUnreadResult): Section | undefined {
  const rows: string[][] = [];
  for (const strategy of result.strategies) {
    const server = strategy.server;
    if (!server) continue;
    if (!server.explained) {
      rows.push([strategy.name, '', `not explained: ${server.reason ?? 'unknown reason'}`, '', '', '', '']);
      continue;
    }
    for (const query of server.queries) {
      rows.push([
        strategy.name,
        `${query.operation} ${query.collection}`,
        query.indexesUsed.join(', ') || NO_VALUE,
        count(query.docsExamined),
        count(query.keysExamined),
        count(query.docsReturned),
        query.collectionScan ? 'yes' : 'no',
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return section(
    'Server work',
    'server-work',
    table(
      ['strategy', 'query', 'index used', right('documents examined'), right('keys examined'), right('returned'), 'collection scan'],
      rows,
      'From explain("executionStats"), one row per query a strategy sends; each examined key and document counted once.',
    ),
    ...perShardBlocks(result),
  );
}

/** Through a mongos: each query's work per shard, the cluster's shard count, and what a query's targeting says. */
function perShardBlocks(result: CompareUnreadResult): Block[] {
  const rows: string[][] = [];
  const said: Block[] = [];
  const clusters: ClusterWork[] = [];
  for (const strategy of result.strategies) {
    for (const query of strategy.server?.queries ?? []) {
      if (!query.cluster) continue;
      clusters.push(query.cluster);
      const label = `${query.operation} ${query.collection} (${query.cluster.stage})`;
      for (const shard of query.cluster.shards) rows.push([strategy.name, label, ...shardCells(shard)]);
      for (const remark of [query.cluster.finding, query.cluster.note])
        if (remark) said.push(paragraph({ strong: `${strategy.name}, ${label}` }, `: ${remark}.`));
    }
  }
  if (rows.length === 0) return [];
  const [shard, ...figures] = SHARD_COLUMNS;
  const first = clusters[0]!;
  const reached = new Set(clusters.flatMap((cluster) => cluster.shards.map((row) => row.shard))).size;
  return [
    table(
      ['strategy', 'query', shard, ...figures.map(right)],
      rows,
      'Through a mongos: each shard’s part of each query; they add up to the query’s row above.',
    ),
    paragraph(`All queries together ${reachedText(reached, first)}.`),
    ...said,
  ];
}

export function agreementSection(result: CompareUnreadResult): Section {
  const { agreement } = result;
  const rows = agreement.checks.map((check) => [check.strategy, check.agrees ? 'yes' : 'NO', count(check.missing), count(check.extra), check.note ?? '']);
  return section(
    'Agreement',
    'agreement',
    paragraph(
      agreement.reference
        ? `Every strategy's unread set is checked against ${agreement.reference}'s (${count(agreement.unreadCount)} messages); a disagreement is a failed check.`
        : 'No exact strategy finished, so there is no reference answer to check against.',
    ),
    ...(rows.length > 0 ? [table(['strategy', 'agrees', right('missing'), right('extra'), 'note'], rows)] : []),
  );
}

export function bloomSection(result: CompareUnreadResult): Section | undefined {
  const bloom = result.strategies.find((strategy) => strategy.bloom)?.bloom;
  if (!bloom) return undefined;
  return section(
    'Bloom filter',
    'bloom',
    facts([
      [
        'Size',
        `${bytesHuman(bloom.sizeBytes)} (${count(bloom.bits)} bits, ${bloom.stages ?? 1} stage(s), hash functions ${(bloom.hashesPerStage ?? [bloom.hashes]).join('/')})`,
      ],
      [
        'Sized for',
        `${count(bloom.expectedItems)} items at first (it grows as a scalable Bloom filter) at a ${percent(bloom.configuredFalsePositiveRate, 2)} false-positive rate`,
      ],
      ['Receipts streamed into it', `${count(bloom.itemsAdded)}${bloom.distinctItems === undefined ? '' : ` (${count(bloom.distinctItems)} distinct ids)`}`],
      ['False-positive rate', bloomMeasuredRate(bloom)],
      ['Against the exact answer', bloomAgainstExact(bloom)],
    ]),
    paragraph('A false positive is an unread message the filter wrongly reports as read: it would be silently hidden from the user.'),
  );
}

export function deathsSection(result: CompareUnreadResult): Section | undefined {
  const blocks: Block[] = [];
  for (const strategy of result.strategies) {
    const death = strategy.death;
    if (!death) continue;
    blocks.push(paragraph({ strong: strategy.name }, `: ${death.summary} (exit code ${death.exitCode ?? NO_VALUE}, signal ${death.signal ?? NO_VALUE}).`));
    if (death.stderrTail.length > 0) blocks.push({ kind: 'code', language: 'text', text: death.stderrTail.join('\n') });
  }
  return blocks.length === 0 ? undefined : section('Processes that died', 'deaths', ...blocks);
}

export function snapshotsSection(result: CompareUnreadResult): Section | undefined {
  const blocks: Block[] = [];
  for (const strategy of result.strategies) {
    const snapshot = strategy.heapSnapshot;
    if (!snapshot) continue;
    blocks.push(
      paragraph(
        { strong: strategy.name },
        `: ${bytesHuman(snapshot.sizeBytes)} snapshot at the peak, written by ${snapshot.writer} to `,
        { code: snapshot.path },
        `. ${snapshot.computed}; ${megabytes(snapshot.totalSelfSizeBytes)} in all.`,
      ),
    );
    const retained = snapshot.topByConstructor[0]?.retainedSizeBytes !== undefined;
    blocks.push(
      table(
        ['constructor', right('objects'), right('self size'), ...(retained ? [right('retained size')] : []), right('share')],
        snapshot.topByConstructor.map((entry) => [
          entry.constructor,
          count(entry.count),
          megabytes(entry.selfSizeBytes),
          ...(retained ? [megabytes(entry.retainedSizeBytes)] : []),
          percent((retained ? entry.retainedSizeBytes! : entry.selfSizeBytes) / Math.max(1, snapshot.totalSelfSizeBytes)),
        ]),
      ),
    );
    if (snapshot.largest && snapshot.largest.length > 0) {
      blocks.push(
        table(
          ['largest object', right('retained size'), 'shortest path from a GC root'],
          snapshot.largest.map((object) => [object.name, megabytes(object.retainedSizeBytes), object.retainers ?? '(no strong path)']),
          'The objects retaining most, none inside another; the same analysis as `imdiag heap FILE --retainers`.',
        ),
      );
    }
  }
  return blocks.length === 0 ? undefined : section('What fills the heap', 'heap-snapshots', ...blocks);
}

export function notesSection(result: CompareUnreadResult): Section | undefined {
  const items = result.strategies.flatMap((strategy) => [
    ...(strategy.distinct
      ? [
          [
            `${strategy.name}: ${strategy.distinct.fallback ? `fell back to $group (${strategy.distinct.reason ?? 'reply over 16 MB'})` : 'the distinct reply fit in one 16 MB BSON document'}`,
          ],
        ]
      : []),
    ...strategy.notes.map((note) => [`${strategy.name}: ${note}`]),
  ]);
  return items.length === 0 ? undefined : section('Notes', 'notes', { kind: 'list', items });
}
