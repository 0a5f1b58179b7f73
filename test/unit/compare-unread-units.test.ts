import { readFileSync } from 'node:fs';
import { MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/lib/style.js';
import { checkAgreement, verdictFor } from '../../src/engines/compare-unread/agreement.js';
import { allowedFalsePositives, BloomFilter, expectedFalsePositiveRate } from '../../src/engines/compare-unread/bloom.js';
import { readExplain } from '../../src/core/measure/explain.js';
import { groupSnapshot } from '../../src/core/heapsnapshot/self-sizes.js';
import { renderCompareUnread } from '../../src/report/compare-unread/terminal.js';
import type { CompareUnreadResult, DeathReport, MeasuredOutcome, StrategyOutcome } from '../../src/results/compare-unread.js';
import { describeDeath as describeExit } from '../../src/lib/child/death.js';
import { deathReport } from '../../src/core/measure/run-child.js';
import type { ChildProgress } from '../../src/engines/compare-unread/protocol.js';
import { heapLimitBytes, probeRefusal } from '../../src/core/measure/headroom.js';
import { percentile, summariseLatency } from '../../src/core/measure/stats.js';
import { isDistinctTooBig } from '../../src/engines/compare-unread/strategies/distinct.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import { unreadFilter } from '../../src/engines/compare-unread/strategies/cursor.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/compare-unread.json', import.meta.url), 'utf8')) as CompareUnreadResult;

/** What the harness knew when a strategy child ended, as compare-unread reports it. */
function describeDeath(facts: {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  tail: string[];
  lastProgress: ChildProgress | undefined;
  timedOut: boolean;
  aborted: boolean;
  timeoutMs: number;
}) {
  const { tail, lastProgress, ...exit } = facts;
  return deathReport({ exitCode: exit.exitCode, signal: exit.signal, stderrTail: tail, lastProgress, death: describeExit({ ...exit, stderrTail: tail }) });
}

function deathAt(docsBeforeDeath: number | null): DeathReport {
  return { summary: 'OOM', exitCode: null, signal: 'SIGABRT', docsBeforeDeath, heapAtDeathBytes: null, stderrTail: [] };
}

describe('renderCompareUnread (fixture)', () => {
  const text = renderCompareUnread(fixture, plainStyle, UNWRAPPED);
  it('draws one row a strategy, the verdict and the agreement, without colour codes', () => {
    for (const outcome of fixture.strategies) expect(text).toMatch(new RegExp(`│ ${outcome.name}\\s+│ ${outcome.status}`));
    // The verdict in three lines (what happened, what it means, what to do), then its detail.
    expect(text).toContain(
      [
        'naive-mongoose peaks at 37× the heap of aggregate (18 MB more heap for one query, 2.6 MB of it live).',
        "every peak fits under the post-mortem's 1536 MB limit (highest: naive-mongoose, 2 % of it).",
        'use aggregate now; then the redesign, cursor, which also stops the receipts growing.',
        "live heap at peak, median (range) of 3 probe runs: every strategy's range is apart from its neighbours', so the ranking holds.",
      ].join('\n'),
    );
    expect(text).toContain(`all finished strategies agree with ${fixture.agreement.reference}`);
    expect(text).not.toMatch(/\x1b\[/);
  });
  it('says what the bloom filter is and where the heap snapshots went', () => {
    expect(text).toMatch(
      /bloom: \d+ B filter \([\d,]+ bits, \d+ hashes\) first sized for [\d,]+ ids at p=0.01 holding [\d,]+ distinct ids; [\d,]+ receipts added; false-positive rate 0.81 % measured over 100,000 absent ids \(95 % CI 0.76 %–0.87 %\), configured 1.00 %/,
    );
    expect(text).toMatch(/naive: heap snapshot at peak \/tmp\/imdiag-heap-example\/naive.heapsnapshot \(\d+(\.\d)? MB, heapdump\)/);
  });
  it('spans a row for a strategy that has no measurement', () => {
    const oom: StrategyOutcome = {
      name: 'naive',
      description: '',
      stage: '',
      status: 'oom',
      reason: 'OOM after ~1,000 documents, heap 15 MB at death',
      death: deathAt(1000),
      notes: [],
    };
    const rendered = renderCompareUnread({ ...fixture, strategies: [oom, ...fixture.strategies.slice(1)] }, plainStyle, UNWRAPPED);
    expect(rendered).toMatch(/│ naive\s+│ oom\s+│ OOM after ~1,000 documents, heap 15 MB at death/);
  });
});

describe('agreement and verdict', () => {
  const ids = ['a', 'b', 'c'];
  it('takes the first exact answer as reference and flags any difference', () => {
    const agreement = checkAgreement(
      [
        { strategy: 'bloom', exact: false, unreadIds: ['a', 'b'] },
        { strategy: 'naive', exact: true, unreadIds: ids },
        { strategy: 'cursor', exact: true, unreadIds: ['a', 'b', 'c'] },
        { strategy: 'distinct', exact: true, unreadIds: ['a', 'b', 'd'] },
      ],
      0.01,
    );
    expect(agreement.reference).toBe('naive');
    expect(agreement.allAgree).toBe(false);
    expect(agreement.checks.map((c) => [c.strategy, c.agrees, c.missing, c.extra])).toEqual([
      ['bloom', true, 1, 0],
      ['naive', true, 0, 0],
      ['cursor', true, 0, 0],
      ['distinct', false, 1, 1],
    ]);
  });
  it('bloom never agrees with an id it invented', () => {
    const agreement = checkAgreement(
      [
        { strategy: 'naive', exact: true, unreadIds: ids },
        { strategy: 'bloom', exact: false, unreadIds: ['a', 'b', 'c', 'z'] },
      ],
      0.01,
    );
    expect(agreement.checks[1]!.agrees).toBe(false);
  });
  it('states the heap ratio and the OOMs under the cap', () => {
    const measured = (name: StrategyOutcome['name'], growth: number): StrategyOutcome => ({
      ...(fixture.strategies[0] as MeasuredOutcome & { status: 'ok' }),
      name,
      status: 'ok',
      measurement: { ...fixture.strategies[0]!.measurement!, peakHeapGrowthBytes: growth, liveAtPeakBytes: growth / 2 },
    });
    const verdict = verdictFor(
      [
        measured('naive', 140 * 1024 * 1024),
        measured('cursor', 1024 * 1024),
        { name: 'naive-mongoose', description: '', stage: '', status: 'oom', reason: 'OOM', death: deathAt(null), notes: [] },
      ],
      1536,
    );
    expect(verdict).toMatchObject({ heaviest: 'naive', lightest: 'cursor', heapRatio: 140, oom: ['naive-mongoose'] });
    expect(verdict.text).toBe(
      'naive peaks at 140× the heap of cursor (140 MB more heap for one query, 70 MB of it live); under a 1536 MB cap naive-mongoose OOMs',
    );
  });
  it('without a cap, holds the absolute peaks against the 1536 MB limit the post-mortem died at', () => {
    const MB = 1024 * 1024;
    const peaking = (name: StrategyOutcome['name'], peakMB: number): StrategyOutcome => ({
      ...(fixture.strategies[0] as MeasuredOutcome & { status: 'ok' }),
      name,
      status: 'ok',
      measurement: { ...fixture.strategies[0]!.measurement!, heapBeforeBytes: 10 * MB, peakHeapBytes: peakMB * MB, peakHeapGrowthBytes: (peakMB - 10) * MB },
    });
    const over = verdictFor([peaking('naive-mongoose', 1800), peaking('naive', 1600), peaking('cursor', 11)], null);
    expect(over.text).toMatch(/; naive-mongoose, naive peak above the 1536 MB heap limit the post-mortem died at \(replay with --max-old-space-size 1536\)$/);
    const under = verdictFor([peaking('naive', 778), peaking('cursor', 11)], null);
    expect(under.text).toMatch(/; every peak fits under the post-mortem's 1536 MB limit \(highest: naive, 51 % of it\)$/);
  });
});

describe('BloomFilter', () => {
  it('sizes m and k from n and p, never forgets an added key, and keeps close to p', () => {
    const filter = new BloomFilter(10_000, 0.01);
    expect(filter.bits).toBe(95_851);
    expect(filter.hashes).toBe(7);
    const key = (i: number, salt: number) => {
      const bytes = new Uint8Array(12);
      new DataView(bytes.buffer).setUint32(0, salt);
      new DataView(bytes.buffer).setUint32(8, i);
      return bytes;
    };
    for (let i = 0; i < 10_000; i++) filter.add(key(i, 1));
    for (let i = 0; i < 10_000; i++) expect(filter.mightContain(key(i, 1))).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++) if (filter.mightContain(key(i, 2))) falsePositives++;
    expect(falsePositives).toBeLessThanOrEqual(allowedFalsePositives(20_000, 0.01));
    expect(expectedFalsePositiveRate(filter.bits, filter.hashes, 10_000)).toBeCloseTo(0.01, 3);
  });
});

describe('small pieces', () => {
  it('percentiles are nearest-rank', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(summariseLatency([5, 1, 3])).toMatchObject({ minMs: 1, p50Ms: 3, p95Ms: 5, maxMs: 5, samplesMs: [5, 1, 3] });
  });
  it('a distinct over the 16 MB cap is recognised by code or by message', () => {
    expect(isDistinctTooBig(new MongoServerError({ ok: 0, code: 17217, errmsg: 'the stand-in says: reply over 16MB' }))).toBe(true);
    expect(isDistinctTooBig(new Error('distinct too big, 16mb cap'))).toBe(true);
    expect(isDistinctTooBig(new MongoServerError({ ok: 0, code: 2, errmsg: 'bad value' }))).toBe(false);
  });
  it('the cursor filter skips fully read topics and starts the rest after the cursor', () => {
    expect(
      unreadFilter(
        'u',
        [
          { _id: 't1', lastSeq: 5 },
          { _id: 't2', lastSeq: 9 },
          { _id: 't3', lastSeq: 2 },
        ],
        new Map([
          ['t1', 5],
          ['t2', 4],
        ]),
      ),
    ).toEqual({
      $or: [
        { topicId: 't2', seq: { $gt: 4 } },
        { topicId: 't3', seq: { $gt: 0 } },
      ],
      receivers: 'u',
    });
    expect(unreadFilter('u', [{ _id: 't1', lastSeq: 5 }], new Map([['t1', 5]]))).toBeNull();
  });
  it('explain figures are summed over an aggregation’s stages only, index names read from the winning plan', () => {
    const work = readExplain(
      { collection: 'msgs', operation: 'aggregate', pipeline: [] },
      {
        executionStats: { nReturned: 2, totalDocsExamined: 10, totalKeysExamined: 10 },
        stages: [
          {
            $cursor: {
              queryPlanner: { winningPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'receivers_1' } } },
              executionStats: {
                nReturned: 10,
                totalDocsExamined: 10,
                totalKeysExamined: 10,
                executionStages: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'receivers_1' } },
              },
            },
          },
          { $lookup: {}, totalDocsExamined: 30, totalKeysExamined: 30, indexesUsed: ['userId_1_readDateTime_1'] },
        ],
      },
    );
    expect(work).toMatchObject({
      docsExamined: 40,
      keysExamined: 40,
      docsReturned: 10,
      indexesUsed: ['receivers_1', 'userId_1_readDateTime_1'],
      collectionScan: false,
    });
  });
  it('a death is described from the last progress line and V8’s last GC line', () => {
    const { oom, death } = describeDeath({
      exitCode: null,
      signal: 'SIGABRT',
      tail: [
        '<--- Last few GCs --->',
        '[1:0x1]  812 ms: Mark-Compact 15.6 (17.2) -> 15.1 (17.4) MB, 20.1 / 0.0 ms',
        'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      ],
      lastProgress: { docs: 41_000, heapUsedBytes: 14 * 1024 * 1024 },
      timedOut: false,
      aborted: false,
      timeoutMs: 1000,
    });
    expect(oom).toBe(true);
    expect(death.summary).toBe('OOM after ~41,000 documents, heap 16 MB at death');
    const killed = describeDeath({ exitCode: null, signal: 'SIGKILL', tail: [], lastProgress: undefined, timedOut: false, aborted: false, timeoutMs: 1000 });
    expect(killed).toMatchObject({ oom: false, death: { summary: 'killed by SIGKILL before any document arrived', docsBeforeDeath: null } });
  });
  it('an OOM is recognised from V8’s stack frames when its first line has left the tail', () => {
    const frames = [
      ' 2: 0xee8300 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/bin/node]',
      ' 3: 0xee85e7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/bin/node]',
      ' 5: 0x10fb794 v8::internal::Heap::RecomputeLimits(v8::internal::GarbageCollector) [/usr/bin/node]',
    ];
    const { oom, death } = describeDeath({
      exitCode: null,
      signal: 'SIGABRT',
      tail: frames,
      lastProgress: { docs: 601, heapUsedBytes: 21 * 1024 * 1024 },
      timedOut: false,
      aborted: false,
      timeoutMs: 1000,
    });
    expect(oom).toBe(true);
    expect(death.summary).toMatch(/^OOM after ~601 documents/);
  });
  it('heap snapshot nodes are grouped by constructor with their self sizes', async () => {
    const snapshot = {
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
          node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native']],
        },
      },
      nodes: [3, 0, 1, 40, 0, 3, 0, 2, 40, 0, 2, 1, 3, 24, 0, 8, 2, 4, 1000, 0],
      strings: ['ObjectId', 'hello', 'ArrayBuffer'],
    };
    const { rows } = await groupSnapshot([Buffer.from(JSON.stringify(snapshot))]);
    expect(Object.fromEntries(rows)).toEqual({
      ObjectId: { count: 2, selfSizeBytes: 80 },
      '(string)': { count: 1, selfSizeBytes: 24 },
      '(native)': { count: 1, selfSizeBytes: 1000 },
    });
  });
});

describe('distinct past the 16 MB reply cap', () => {
  it('falls back to a $group aggregation and says so', async () => {
    const { distinct } = await import('../../src/engines/compare-unread/strategies/distinct.js');
    const { ObjectId } = await import('mongodb');
    const [read, unread] = [new ObjectId(), new ObjectId()];
    async function* iterate<T>(items: T[]) {
      yield* items;
    }
    const pipelines: unknown[] = [];
    const db = {
      collection: (name: string) => ({
        find: () => iterate(name === 'msgs' ? [{ _id: read }, { _id: unread }] : []),
        distinct: async () => {
          throw new MongoServerError({ ok: 0, code: 17217, errmsg: 'distinct too big, 16mb cap' });
        },
        aggregate: (pipeline: unknown) => (pipelines.push(pipeline), iterate([{ _id: read }])),
      }),
    };
    const notes: string[] = [];
    const ctx = {
      db,
      userId: 'u',
      windowStart: new Date(0),
      probe: { docs: () => undefined, sample: () => undefined },
      atPeak: async () => undefined,
      details: {} as { distinct?: { fallback: boolean; reason?: string } },
      note: (text: string) => notes.push(text),
    };
    const got = await distinct.run(ctx as never);
    expect(got).toEqual([unread.toHexString()]);
    expect(ctx.details.distinct?.fallback).toBe(true);
    expect(ctx.details.distinct?.reason).toMatch(/16 MB BSON cap .*used \$group instead/);
    expect(notes).toHaveLength(1);
    expect(pipelines).toEqual([[{ $match: { userId: 'u', readDateTime: { $gt: new Date(0) } } }, { $group: { _id: '$msgId' } }]]);
  });
});

describe('probe headroom', () => {
  const MB = 1024 * 1024;
  it('reads the cap from --max-old-space-size, else takes V8’s heap limit', () => {
    expect(heapLimitBytes(['--expose-gc', '--max-old-space-size=1536'], 4144 * MB)).toBe(1536 * MB);
    expect(heapLimitBytes(['--expose-gc'], 4144 * MB)).toBe(4144 * MB);
    expect(heapLimitBytes(['--max-old-space-size=lots'], 4144 * MB)).toBe(4144 * MB);
  });
  it('collects at the peak below 80 % of the limit and says why it did not above', () => {
    expect(probeRefusal(1200 * MB, 1536 * MB)).toBeNull();
    expect(probeRefusal(1250 * MB, 1536 * MB)).toBe(
      'live heap at peak not measured: the measured runs peaked at 81 % of the 1536 MB heap limit, and forced collections that near it can make V8 abort the process',
    );
  });
});

describe('verdict: live heap ranking and recommendation (issue 10: 19, 20)', () => {
  it('claims no order where probe-run ranges overlap, and ends with the recommendation', async () => {
    const { verdictFor } = await import('../../src/engines/compare-unread/agreement.js');
    const measured = (name: 'naive' | 'projection' | 'aggregate' | 'cursor', live: [number, number, number], p50: number): MeasuredOutcome => {
      const base = fixture.strategies.find((o) => o.status === 'ok') as MeasuredOutcome;
      const [min, median, max] = live.map((mb) => mb * 1024 * 1024) as [number, number, number];
      return {
        ...base,
        name,
        measurement: {
          ...base.measurement,
          liveAtPeakBytes: median,
          liveAtPeak: { probeRuns: 3, medianBytes: median, minBytes: min, maxBytes: max, samplesBytes: [min, median, max] },
          latency: { ...base.measurement.latency, p50Ms: p50 },
        },
      };
    };
    // The case: projection 31 MB in one run and 250 MB in the next, naive 127 MB.
    const outcomes = [
      measured('naive', [120, 127, 130], 900),
      measured('projection', [31, 40, 250], 300),
      measured('aggregate', [1, 1.2, 1.5], 800),
      measured('cursor', [0.4, 0.5, 0.6], 50),
    ];
    const verdict = verdictFor(outcomes, null, { probeRuns: 3, exact: new Set(['naive', 'projection', 'aggregate', 'cursor'] as const) });
    expect(verdict.text).toMatch(/ranges overlap for naive 127 MB \(120 MB–130 MB\) and projection 40 MB \(31 MB–250 MB\), so their order is not established/);
    expect(verdict.recommendation).toMatch(
      /^recommendation: use aggregate now \(exact, no schema change: lowest live heap at peak; .*\); then the redesign, cursor/,
    );
    expect(verdict.text.endsWith(verdict.recommendation!)).toBe(true);
    const quick = verdictFor(outcomes, null, { probeRuns: 1, exact: new Set(['naive', 'aggregate'] as const) });
    expect(quick.text).toMatch(/the ranking by live heap is unverified/);
  });
});
