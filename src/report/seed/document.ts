import type { SeedResult, UserFigures } from '../../results/seed.js';
import { bytesHuman, count, decimal, duration, megabytes, milliseconds } from '../../lib/format.js';
import { facts, paragraph, right, section, table, type Inline, type ReportDoc, type Section } from '../model.js';
import { STOPPED_BY_A_SIGNAL } from '../../lib/stop.js';

export function seedDoc(result: SeedResult): ReportDoc {
  return {
    title: `imdiag seed: ${result.dataset.profile} dataset in ${result.database.name}`,
    verdict: seedVerdict(result),
    sections: [datasetSection(result), collectionsSection(result), usersSection(result), loadSection(result)],
  };
}

function seedVerdict(result: SeedResult): Inline[] {
  const heavy = result.heavyUser;
  const messages = result.collections.find((collection) => collection.name === 'msgs')?.documents;
  const receipts = result.collections.find((collection) => collection.name === 'readMsgs')?.documents;
  const parts: Inline[] = [
    result.load.complete ? 'Seeded the ' : 'Stopped early (by a signal) while seeding the ',
    { code: result.dataset.profile },
    ` WebIM dataset (scale ${result.dataset.scale}, seed ${result.dataset.seed}) into `,
    { code: result.database.name },
    `: ${count(messages)} messages and ${count(receipts)} read receipts, ${decimal(result.receiptsPerMsg, 1)} receipts per message. The heavy user `,
    { code: heavy.userId },
    ` received ${count(heavy.receivedMsgs)} messages and holds `,
    { strong: `${count(heavy.receipts)} receipts` },
    `; in the last ${result.dataset.windowMonths} months ${count(heavy.receiptsInWindow)} of them cover only ${count(heavy.distinctMsgsInWindow)} distinct messages, a duplication factor of `,
    { strong: `${decimal(heavy.duplicationFactor, 1)}×` },
    ` (the post-mortem saw 440k over 4k, about 110×). ${count(heavy.unreadMsgs)} messages are unread: that is the answer `,
    { code: 'imdiag compare-unread' },
    ' replays for this user.',
  ];
  return parts;
}

function datasetSection(result: SeedResult): Section {
  const { dataset } = result;
  const params = dataset.params;
  return section(
    'Dataset',
    'dataset',
    facts([
      ['Profile', dataset.profile],
      ['Scale', dataset.scale],
      ['Seed', dataset.seed],
      ['History ends at', dataset.anchor],
      ['Window start', `${dataset.windowStart} (${dataset.windowMonths} months)`],
      ['Heavy user', dataset.heavyUserId],
      ['Database', `${result.database.name} (${result.database.claim})`],
    ]),
    table(
      ['parameter', right('value')],
      [
        ['users', count(params.users)],
        ['days of history', count(params.days)],
        ['messages per day', decimal(params.msgsPerDay)],
        ['messages per day in one topic', decimal(params.topicMsgsPerDay)],
        ['topic lifetime (days)', `${params.topicDaysMin}–${params.topicDaysMax}`],
        ['participants per topic', `${params.participantsMin}–${params.participantsMax}`],
        ['heavy user joins a topic', `${decimal(params.heavyShare * 100, 1)} %`],
        ['heavy user opens per topic per day', decimal(params.heavyOpensPerDay)],
        ['other users opens per topic per day', decimal(params.opensPerDay)],
      ],
      'Each open re-inserts a receipt for every message of the topic so far: the post-mortem’s duplicated readMsgs.',
    ),
  );
}

function collectionsSection(result: SeedResult): Section {
  const rows = result.collections.map((collection) => [
    collection.name,
    count(collection.documents),
    bytesHuman(collection.dataSizeBytes),
    bytesHuman(collection.storageSizeBytes),
    bytesHuman(collection.indexSizeBytes),
    count(collection.indexes),
  ]);
  const total = result.databaseSize;
  return section(
    'Collections',
    'collections',
    table(
      ['collection', right('documents'), right('data size'), right('storage'), right('index size'), right('indexes')],
      rows,
      `Sizes from ${result.sizeSource === 'unavailable' ? 'nowhere: the server reports none' : result.sizeSource}.`,
    ),
    ...(total
      ? [
          paragraph(
            `Database total: ${bytesHuman(total.dataSizeBytes)} of data, ${bytesHuman(total.storageSizeBytes)} on disk, ${bytesHuman(total.indexSizeBytes)} of indexes.`,
          ),
        ]
      : []),
  );
}

function usersSection(result: SeedResult): Section {
  const users: Array<[string, UserFigures | null]> = [
    ['heavy user', result.heavyUser],
    ['most received (others)', result.busiestOther.byReceivedMsgs],
    ['most receipts (others)', result.busiestOther.byReceipts],
  ];
  const rows = users
    .filter((entry): entry is [string, UserFigures] => entry[1] !== null)
    .map(([role, user]) => [
      role,
      user.userId,
      count(user.receivedMsgs),
      count(user.receipts),
      count(user.receiptsInWindow),
      count(user.distinctMsgsInWindow),
      `${decimal(user.duplicationFactor, 1)}×`,
      count(user.unreadMsgs),
    ]);
  return section(
    'Users',
    'users',
    table(
      [
        '',
        'user',
        right('received messages'),
        right('receipts'),
        right(`receipts, last ${result.dataset.windowMonths} months`),
        right('distinct messages in them'),
        right('duplication'),
        right('unread'),
      ],
      rows,
      'Laid out like the post-mortem’s figures: the heavy user against the busiest of the others.',
    ),
  );
}

function loadSection(result: SeedResult): Section {
  const { load } = result;
  return section(
    'Load',
    'load',
    facts([
      ['Documents written', count(load.documents)],
      ['Batch size', count(load.batchSize)],
      ['Generate and insert', `${milliseconds(load.loadMs)} (${count(load.docsPerSecond)} documents/s)`],
      ['Build indexes', milliseconds(load.indexMs)],
      ['Total', duration(load.totalMs / 1000)],
      ['Peak heap of the seeding process', megabytes(load.peakHeapUsedBytes)],
      ['Peak RSS of the seeding process', megabytes(load.peakRssBytes)],
      ['Complete', load.complete ? 'yes' : `no: ${STOPPED_BY_A_SIGNAL}`],
    ]),
  );
}
