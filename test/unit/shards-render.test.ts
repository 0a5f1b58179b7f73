import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/lib/style.js';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';
import type { QueryResult } from '../../src/results/query.js';
import type { ClusterWork } from '../../src/results/server-work.js';
import { renderCompareUnread } from '../../src/report/compare-unread/terminal.js';
import { renderQuery } from '../../src/report/query/terminal.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import { renderMarkdown } from '../../src/report/render.js';

/**
 * The saved results of fixtures/, as if their receipts query had gone through a mongos to a
 * cluster of two shards, reaching both (the figures of fixtures/ split between them).
 */
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as T;

const FINDING = 'reached every shard (2 of 2): the filter does not fix the shard key { msgId: "hashed" }, so every shard searched';
const receiptsCluster = (): ClusterWork => ({
  stage: 'SHARD_MERGE',
  shards: [
    { shard: 'shard01', keysExamined: 2000, docsExamined: 2000, returned: 2000, millis: 4 },
    { shard: 'shard02', keysExamined: 1179, docsExamined: 1179, returned: 1179, millis: 3 },
  ],
  clusterShards: 2,
  shardKey: { msgId: 'hashed' },
  finding: FINDING,
});

describe('query: the server side through a mongos', () => {
  const result = load<QueryResult>('query.json');
  result.queries[0]!.server.cluster = receiptsCluster();

  it('terminal: the shards reached out of the cluster’s, a line per shard, the finding', () => {
    const text = renderQuery(result, plainStyle, UNWRAPPED);
    expect(text).toMatch(/^ {2}through mongos: reached 2 shards of 2 · SHARD_MERGE$/m);
    expect(text).toMatch(/^ {4}shard01: keys examined 2,000, docs examined 2,000, returned 2,000, time 4\.0 ms$/m);
    expect(text).toMatch(/^ {4}shard02: keys examined 1,179, docs examined 1,179, returned 1,179, time 3\.0 ms$/m);
    expect(text).toContain(`  finding: ${FINDING}`);
  });

  it('report: the cluster in the facts, a table of shards', () => {
    const md = renderMarkdown(result, { redact: true });
    expect(md).toMatch(/\| \*\*through mongos\*\* \| reached 2 shards of 2 · SHARD_MERGE \|/);
    expect(md).toContain(`| **finding** | ${FINDING} |`);
    expect(md).toMatch(/\| shard01 \| 2,000 \| 2,000 \| 2,000 \| 4\.0 ms \|/);
  });

  it('a cluster whose size could not be asked says why', () => {
    const unknown = load<QueryResult>('query.json');
    unknown.queries[0]!.server.cluster = {
      ...receiptsCluster(),
      clusterShards: null,
      clusterShardsNote: 'listShards is not permitted for this user (it needs the clusterMonitor role): the cluster’s shard count is unknown',
      finding: null,
    };
    expect(renderQuery(unknown, plainStyle, UNWRAPPED)).toMatch(/through mongos: reached 2 shards \(listShards is not permitted for this user/);
  });
});

describe('compare-unread: server work per shard through a mongos', () => {
  const result = load<CompareUnreadResult>('compare-unread.json');
  const naive = result.strategies.find((strategy) => strategy.name === 'naive')!.server!;
  naive.queries[0]!.cluster = {
    stage: 'SINGLE_SHARD',
    shards: [{ shard: 'shard01', keysExamined: 105, docsExamined: 105, returned: 105, millis: 1 }],
    clusterShards: 2,
    shardKey: null,
    finding: null,
  };
  naive.queries[1]!.cluster = receiptsCluster();
  naive.shards = [
    { shard: 'shard01', keysExamined: 2105, docsExamined: 2105, returned: 2105, millis: 5 },
    { shard: 'shard02', keysExamined: 1179, docsExamined: 1179, returned: 1179, millis: 3 },
  ];
  naive.findings = [`find readMsgs: ${FINDING}`];

  it('terminal: each shard’s work over the strategy’s queries, and the finding', () => {
    const text = renderCompareUnread(result, plainStyle, UNWRAPPED);
    expect(text).toMatch(/^naive: through mongos, reached 2 shards of 2; per shard: shard01: keys examined 2,105, .*; shard02: keys examined 1,179, /m);
    expect(text).toContain(`naive: finding: find readMsgs: ${FINDING}`);
  });

  it('report: a row per query and shard under the server work, the cluster’s size, the finding', () => {
    const md = renderMarkdown(result, { redact: true });
    expect(md).toMatch(/\| naive \| find msgs \(SINGLE_SHARD\) \| shard01 \| 105 \| 105 \| 105 \| 1\.0 ms \|/);
    expect(md).toMatch(/\| naive \| find readMsgs \(SHARD_MERGE\) \| shard02 \| 1,179 \| 1,179 \| 1,179 \| 3\.0 ms \|/);
    expect(md).toContain('All queries together reached 2 shards of 2.');
    expect(md).toContain(`**naive, find readMsgs (SHARD_MERGE)**: ${FINDING}.`);
  });
});
