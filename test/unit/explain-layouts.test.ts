import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingReason, readExplain, type PlannedQuery } from '../../src/core/measure/explain.js';
import { shardCountOf } from '../../src/core/measure/explain/cluster.js';
import { fixesShardKey, targetingFinding } from '../../src/core/measure/explain/targeting.js';
import type { ExplainedQuery } from '../../src/results/server-work.js';

/**
 * Every explain in test/fixtures/explain/ is copied verbatim from a MongoDB source its .source.md
 * cites (repository, path, commit, lines) with the totals documented there; each must read to
 * exactly those totals, with its per-shard rows. The golden-test files are summaries whose one
 * array element stands for `executionStats` (their .source.md): they are read wrapped in it.
 */
function fixture(name: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(new URL(`../fixtures/explain/${name}.json`, import.meta.url), 'utf8'));
  return Array.isArray(parsed) ? { executionStats: parsed[0] } : parsed;
}

const FIND: PlannedQuery = { collection: 'c', operation: 'find', filter: {} };
const read = (name: string, query: PlannedQuery = FIND) => readExplain(query, fixture(name));
/** [shard, keys, docs, returned, millis] */
type Row = [string | null, number | null, number | null, number | null, number | null];
const rows = (q: ExplainedQuery): Row[] => q.cluster?.shards.map((s) => [s.shard, s.keysExamined, s.docsExamined, s.returned, s.millis]) ?? [];

interface Documented {
  layout: ExplainedQuery['layout'];
  keys: number | null;
  docs: number | null;
  returned: number | null;
  shards?: Row[];
  stage?: string;
}

const DOCUMENTED: Record<string, Documented> = {
  // A find through a mongos on one shard: the same totals at three levels, counted once.
  'single-shard-find-classic-5.0.8': { layout: 'mongos', stage: 'SINGLE_SHARD', keys: 0, docs: 0, returned: 0, shards: [['config', 0, 0, 0, 0]] },
  'single-shard-find-sbe-5.3': { layout: 'mongos', stage: 'SINGLE_SHARD', keys: 0, docs: 0, returned: 0, shards: [['shard1', 0, 0, 0, 0]] },
  'golden-find-single-shard-sbe': { layout: 'mongos', stage: 'SINGLE_SHARD', keys: 9, docs: 4, returned: 4, shards: [[null, 9, 4, 4, null]] },
  // The older layout (3.2): no totals per shard, derived from each shard's stage tree.
  'single-shard-find-idhack-3.2': { layout: 'mongos', stage: 'SINGLE_SHARD', keys: 0, docs: 0, returned: 0, shards: [['rsmyset', 0, 0, 0, null]] },
  'shard-merge-find-mixed-index-3.2': {
    layout: 'mongos',
    stage: 'SHARD_MERGE',
    keys: 15485,
    docs: 330552,
    returned: 22528,
    shards: [
      ['shard01', 0, 315067, 7043, null],
      ['shard02', 8254, 8254, 8254, null],
      ['shard03', 7231, 7231, 7231, null],
    ],
  },
  // allPlansExecution holds the candidate plans' trial runs: never work to add.
  'shard-merge-find-geo-allplans-3.2': {
    layout: 'mongos',
    stage: 'SHARD_MERGE',
    keys: 203214,
    docs: 46294,
    returned: 1138,
    shards: [
      ['shard01', 45024, 45024, 254, null],
      ['shard02', 79536, 650, 459, null],
      ['shard03', 78654, 620, 425, null],
    ],
  },
  // Several shards, recent layout: the router's nReturned is after its limit (5), not the shards' 5 + 5.
  'golden-find-shard-merge-sort-classic': {
    layout: 'mongos',
    stage: 'SHARD_MERGE_SORT',
    keys: 10,
    docs: 10,
    returned: 5,
    shards: [
      [null, 5, 5, 5, null],
      [null, 5, 5, 5, null],
    ],
  },
  // count through a mongos: nReturned is 0 at every level (the count is nCounted).
  'golden-count-shard-merge-classic': {
    layout: 'mongos',
    stage: 'SHARD_MERGE',
    keys: 10,
    docs: 0,
    returned: 0,
    shards: [
      [null, 5, 0, 0, null],
      [null, 5, 0, 0, null],
    ],
  },
  'golden-count-single-shard-classic': { layout: 'mongos', stage: 'SINGLE_SHARD', keys: 9, docs: 0, returned: 0, shards: [[null, 9, 0, 0, null]] },
  // Aggregations through a mongos: no cluster-wide total, the shards are added up.
  'agg-mongos-single-shard-stages-5.3': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: 719,
    docs: 490,
    returned: 485,
    shards: [['shard1', 719, 490, 485, 12]],
  },
  'agg-mongos-single-shard-nostages-sbe-5.3': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: 0,
    docs: 581,
    returned: 20,
    shards: [['shard1', 0, 581, 20, 0]],
  },
  'agg-mongos-multi-shard-stages-5.3': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: 719,
    docs: 490,
    returned: 485,
    shards: [
      ['shard2', 0, 0, 0, 2],
      ['shard1', 719, 490, 485, 26],
    ],
  },
  'agg-mongos-multi-shard-nostages-sbe-5.3': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: 0,
    docs: 5555,
    returned: 1,
    shards: [
      ['shard2', 0, 0, 0, 13],
      ['shard1', 0, 5555, 1, 37],
    ],
  },
  // $lookup's own totals are the foreign collection's work: added once to the $cursor's.
  'agg-mongos-lookup-5.3': { layout: 'mongos-aggregate', stage: 'aggregate', keys: 5, docs: 11, returned: 6, shards: [['shard2', 5, 11, 6, 2]] },
  'agg-mongos-nostages-classic-5.0.8': { layout: 'mongos-aggregate', stage: 'aggregate', keys: 1, docs: 0, returned: 0, shards: [['shard1', 1, 0, 0, 0]] },
  'agg-mongos-stages-sbe-5.3': { layout: 'mongos-aggregate', stage: 'aggregate', keys: 0, docs: 121254, returned: 1, shards: [['shard1', 0, 121254, 1, 90]] },
  'agg-mongos-stages-queryplanner-only-5.0.8': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: null,
    docs: null,
    returned: null,
    shards: [['shard1', null, null, null, null]],
  },
  'agg-mongos-unsharded-queryplanner-only-7.3': {
    layout: 'mongos-aggregate',
    stage: 'aggregate',
    keys: null,
    docs: null,
    returned: null,
    shards: [['replSet-a3becde9-cc49-4b7d-94c8-266bc36068ef', null, null, null, null]],
  },
  // One server, classic and slot-based engines.
  'find-classic-collscan-5.0.8': { layout: 'server', keys: 0, docs: 6048, returned: 6048 },
  'find-classic-ixscan-fetch-3.2': { layout: 'server', keys: 191665, docs: 191665, returned: 191665 },
  'find-classic-covered-3.2': { layout: 'server', keys: 191665, docs: 0, returned: 191665 },
  'find-classic-express-ixscan-8.0': { layout: 'server', keys: 1, docs: 1, returned: 1 },
  'find-sbe-ixseek-4.9': { layout: 'server', keys: 1432, docs: 1432, returned: 1432 },
  'find-sbe-collscan-5.0': { layout: 'server', keys: 0, docs: 100000, returned: 1000 },
  'agg-sbe-cursor-5.3': { layout: 'server-aggregate', keys: 479, docs: 6, returned: 6 },
  'agg-sbe-count-scan-8.0': { layout: 'server-aggregate', keys: 2, docs: 0, returned: 1 },
  'agg-classic-lookup-5.0': { layout: 'server-aggregate', keys: 5, docs: 11, returned: 6 },
  'agg-classic-collscan-5.0': { layout: 'server-aggregate', keys: 0, docs: 100, returned: 100 },
};

describe('explain fixtures copied from MongoDB sources read to their documented totals', () => {
  for (const [name, documented] of Object.entries(DOCUMENTED)) {
    it(name, () => {
      const query = read(name);
      expect({ layout: query.layout, keys: query.keysExamined, docs: query.docsExamined, returned: query.docsReturned }).toEqual({
        layout: documented.layout,
        keys: documented.keys,
        docs: documented.docs,
        returned: documented.returned,
      });
      expect(rows(query)).toEqual(documented.shards ?? []);
      expect(query.cluster?.stage).toBe(documented.stage);
      expect(query.cluster?.note).toBeUndefined();
      expect(query.notUnderstood).toBeUndefined();
    });
  }

  it('a recent multi-shard find: the shards’ totals add up to the router’s', () => {
    for (const name of ['golden-find-shard-merge-sort-classic', 'golden-count-shard-merge-classic', 'shard-merge-find-mixed-index-3.2']) {
      const query = read(name);
      const sum = (pick: (row: Row) => number | null) => rows(query).reduce((total, row) => total + (pick(row) ?? 0), 0);
      expect([sum((row) => row[1]), sum((row) => row[2])], name).toEqual([query.keysExamined, query.docsExamined]);
    }
  });

  it('a plan without execution stats gives no figures and says so, not zeros', () => {
    const query = read('agg-mongos-stages-queryplanner-only-5.0.8', { collection: 'listings', operation: 'aggregate', pipeline: [] });
    expect(missingReason(query)).toBe('the explain output has no execution stats');
  });
});

describe('layouts not understood are never summed', () => {
  it('a reply that is not an explain (listShards, from the MongoDB manual) is not understood, with its top-level keys', () => {
    const query = read('listShards.docs');
    expect(query).toMatchObject({ layout: 'not-understood', keysExamined: null, docsExamined: null, docsReturned: null });
    expect(query.notUnderstood).toEqual({ explainVersion: null, topLevelKeys: ['shards', 'ok', '$clusterTime', 'operationTime'] });
    expect(missingReason(query)).toMatch(/^explain layout not understood \(explainVersion absent, top-level keys shards, ok, \$clusterTime, operationTime\)/);
  });
  it('the golden tests’ plan-shape summary of a distinct (mergerPart, shardsPart) is not understood', () => {
    expect(read('golden-distinct-shard-merge-plan').notUnderstood).toEqual({ explainVersion: null, topLevelKeys: ['mergerPart', 'shardsPart'] });
  });
  it('a known layout under an explainVersion not seen yet is not read', () => {
    const explain = { ...(fixture('find-sbe-ixseek-4.9') as object), explainVersion: '3' };
    const query = readExplain(FIND, explain);
    expect(query).toMatchObject({ layout: 'not-understood', keysExamined: null, notUnderstood: { explainVersion: '3' } });
  });
});

describe('plans: index names and collection scans, classic and slot-based, each once', () => {
  it.each([
    ['find-classic-ixscan-fetch-3.2', ['age_1'], false, 'classic'],
    ['find-classic-collscan-5.0.8', [], true, 'classic'],
    ['find-classic-express-ixscan-8.0', ['a_1_b_1'], false, 'classic'],
    ['find-sbe-ixseek-4.9', ['beds'], false, 'sbe'],
    ['find-sbe-collscan-5.0', [], true, 'sbe'],
    ['agg-sbe-count-scan-8.0', ['a_1'], false, 'sbe'],
    ['agg-classic-lookup-5.0', ['_id_'], true, 'classic'],
    ['single-shard-find-sbe-5.3', [], true, 'sbe'],
    ['single-shard-find-idhack-3.2', ['_id_'], false, 'classic'],
    ['shard-merge-find-mixed-index-3.2', ['age_1'], true, 'classic'],
    ['agg-mongos-multi-shard-stages-5.3', ['address_location'], false, 'classic'],
  ] as const)('%s', (name, indexes, collectionScan, engine) => {
    const query = read(name);
    expect({ indexes: query.indexesUsed, collectionScan: query.collectionScan, engine: query.engine }).toEqual({ indexes, collectionScan, engine });
  });
});

describe('targeting: which shards an operation reached', () => {
  const listShards = fixture('listShards.docs') as { shards: unknown[] };
  const mixed = read('shard-merge-find-mixed-index-3.2');
  const cluster = (shardKey: Record<string, unknown> | null | undefined) => ({
    ...mixed.cluster!,
    clusterShards: shardCountOf(listShards as Record<string, unknown>).count,
    shardKey,
  });

  it('the cluster’s shards are counted from listShards’ reply (the manual’s example: three)', () => {
    expect(shardCountOf(listShards as Record<string, unknown>)).toEqual({ count: 3 });
    expect(shardCountOf({ ok: 1 })).toEqual({ count: null, note: 'listShards gave no shards array' });
  });
  it('every shard of three for a filter that fixes the shard key: it should reach one', () => {
    // The fixture's filter is { age: 40 }; the shard key { age: 1 } is supposed here, the explain does not carry it.
    expect(targetingFinding(cluster({ age: 1 }), { age: 40 })).toMatch(/^reached 3 shards although the filter fixes the shard key \{ age: 1 \}/);
  });
  it('every shard of three for a filter that does not fix the shard key: a broadcast', () => {
    expect(targetingFinding(cluster({ userId: 1 }), { age: 40 })).toBe(
      'reached every shard (3 of 3): the filter does not fix the shard key { userId: 1 }, so every shard searched',
    );
    expect(targetingFinding(cluster(undefined), { age: 40 })).toMatch(/^reached every shard \(3 of 3\); the collection's shard key could not be read/);
  });
  it('one shard, or a cluster of unknown size, is no finding by itself (SINGLE_SHARD is also any unsharded read)', () => {
    const single = read('single-shard-find-classic-5.0.8').cluster!;
    expect(targetingFinding({ ...single, clusterShards: 3, shardKey: { age: 1 } }, { age: 40 })).toBeNull();
    expect(targetingFinding({ ...mixed.cluster!, clusterShards: null, shardKey: { userId: 1 } }, { age: 40 })).toBeNull();
  });
  it('the shard key is fixed by equality or $eq on each of its fields, not by a range', () => {
    expect(fixesShardKey({ userId: 'u', day: { $eq: 3 } }, { userId: 1, day: 1 })).toBe(true);
    expect(fixesShardKey({ userId: 'u' }, { userId: 1, day: 1 })).toBe(false);
    expect(fixesShardKey({ userId: { $in: ['u', 'v'] } }, { userId: 'hashed' })).toBe(false);
  });
});
