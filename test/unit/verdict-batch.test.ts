import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/engines/compare-unread/agreement.js';
import type { CompareUnreadResult, MeasuredOutcome, StrategyName } from '../../src/results/compare-unread.js';
import { driverBatchClause } from '../../src/engines/compare-unread/verdict-batch.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/compare-unread.json', import.meta.url), 'utf8')) as CompareUnreadResult;
const base = fixture.strategies.find((o) => o.name === 'projection') as MeasuredOutcome;
const MB = 1024 * 1024;

interface Figures {
  peakMB: number;
  /** min, median, max of the probe runs. */
  liveMB: [number, number, number];
  p50Ms?: number;
  largestBatchDocs?: number;
}

function outcome(name: StrategyName, f: Figures, status: 'ok' | 'disagrees' = 'ok'): MeasuredOutcome {
  const [min, median, max] = f.liveMB.map((mb) => Math.round(mb * MB)) as [number, number, number];
  const { largestBatchDocs: _, ...measurement } = base.measurement;
  return {
    ...base,
    name,
    ...(status === 'ok' ? { status, reason: undefined } : { status, reason: '1 unread id(s) missing' }),
    measurement: {
      ...measurement,
      peakHeapGrowthBytes: f.peakMB * MB,
      liveAtPeakBytes: median,
      liveAtPeak: { probeRuns: 3, medianBytes: median, minBytes: min, maxBytes: max, samplesBytes: [min, median, max] },
      latency: { ...measurement.latency, p50Ms: f.p50Ms ?? 100 },
      ...(f.largestBatchDocs !== undefined && { largestBatchDocs: f.largestBatchDocs }),
    },
  };
}

// The integrator's demo run: projection 742 MB at peak, 31 MB live, its receipts in one batch.
const projection = outcome('projection', { peakMB: 742, liveMB: [31, 31, 31], p50Ms: 3900, largestBatchDocs: 254_135 });
const batched = outcome('projection-batched', { peakMB: 180, liveMB: [30, 31, 32], p50Ms: 4400, largestBatchDocs: 1000 });

describe('driverBatchClause (issue 10: 19)', () => {
  it('states both peaks, the live heap and the largest batches, from the figures it is given', () => {
    expect(driverBatchClause([projection, batched])).toBe(
      'projection peaks at 742 MB more heap with 31 MB live at its peak point, the same query with batchSize 1000 (projection-batched) at 180 MB: ' +
        'the driver keeps the lazily parsed state of a whole getMore batch while the cursor reads it, and a batch is up to 16 MiB of BSON however small the documents ' +
        '(largest batch received: 254,135 documents against 1,000)',
    );
  });

  it('shows the live range of the probe runs and leaves out the batches an older result did not count', () => {
    const older = outcome('projection', { peakMB: 600, liveMB: [31, 40, 250] });
    const olderBatched = outcome('projection-batched', { peakMB: 120, liveMB: [30, 31, 32] });
    expect(driverBatchClause([older, olderBatched])).toBe(
      'projection peaks at 600 MB more heap with 40 MB (31 MB–250 MB) live at its peak point, the same query with batchSize 1000 (projection-batched) at 120 MB: ' +
        'the driver keeps the lazily parsed state of a whole getMore batch while the cursor reads it, and a batch is up to 16 MiB of BSON however small the documents',
    );
  });

  it('claims nothing unless the batched peak is clearly lower (below 3/4, by more than 16 MB) and both finished in agreement', () => {
    expect(driverBatchClause([projection, outcome('projection-batched', { peakMB: 600, liveMB: [31, 31, 31] })])).toBeNull();
    expect(driverBatchClause([projection, outcome('projection-batched', { peakMB: 556, liveMB: [31, 31, 31] })])).not.toBeNull();
    const small = (name: StrategyName, peakMB: number) => outcome(name, { peakMB, liveMB: [0.5, 0.5, 0.5] });
    expect(driverBatchClause([small('projection', 16), small('projection-batched', 1)])).toBeNull();
    expect(driverBatchClause([projection])).toBeNull();
    expect(driverBatchClause([batched])).toBeNull();
    expect(driverBatchClause([projection, outcome('projection-batched', { peakMB: 180, liveMB: [31, 31, 31] }, 'disagrees')])).toBeNull();
  });

  it('is part of the verdict, before the recommendation', () => {
    const verdict = verdictFor([projection, batched], null, { probeRuns: 3, exact: new Set(['projection', 'projection-batched'] as const) });
    const clause = driverBatchClause([projection, batched])!;
    expect(verdict.text).toContain(`; ${clause}; recommendation: `);
  });
});

describe('recommendation beside projection-batched', () => {
  const exact = new Set<StrategyName>(['naive', 'window', 'projection', 'projection-batched', 'distinct', 'aggregate', 'cursor']);

  it('tied on live heap, projection-batched wins on its clearly lower peak although projection is faster', () => {
    const verdict = verdictFor([projection, batched], null, { probeRuns: 3, exact });
    expect(verdict.recommendation).toBe(
      'recommendation: use projection-batched now (exact, no schema change: tied on live heap with projection, a clearly lower peak heap growth; live 31 MB (30 MB–32 MB), p50 4,400 ms)',
    );
  });

  it('ties whose peaks are close are still broken by p50', () => {
    const close = outcome('projection-batched', { peakMB: 600, liveMB: [30, 31, 32], p50Ms: 4400 });
    expect(verdictFor([projection, close], null, { probeRuns: 3, exact }).recommendation).toMatch(
      /^recommendation: use projection now \(exact, no schema change: lowest p50 among those tied on live heap \(projection, projection-batched\); /,
    );
  });

  it('peaks apart by less than the young generation (small data) do not count: p50 decides', () => {
    const tiny = (name: StrategyName, peakMB: number, p50Ms: number) => outcome(name, { peakMB, liveMB: [0.1, 0.15, 0.2], p50Ms });
    expect(verdictFor([tiny('distinct', 0.9, 7), tiny('aggregate', 0.5, 8)], null, { probeRuns: 3, exact }).recommendation).toMatch(
      /^recommendation: use distinct now \(exact, no schema change: lowest p50 among those tied on live heap \(distinct, aggregate\); /,
    );
  });

  it('tied on the heap, the event loop decides before p50: the shorter longest block wins', () => {
    const tiny = (name: StrategyName, p50Ms: number, blockedMs: number): MeasuredOutcome => {
      const base = outcome(name, { peakMB: 0.9, liveMB: [0.1, 0.15, 0.2], p50Ms });
      const split = { gcMs: 0, hydrationMs: 0, bsonMs: blockedMs };
      const run = { blockedMs, blockedRawMs: blockedMs + 2, blockedCpuMs: blockedMs, resolutionMs: 2, cpuMs: 2 * blockedMs, elu: 0.9, gcMs: 0, split };
      return { ...base, measurement: { ...base.measurement!, loop: { ...run, runs: [run] } } } as MeasuredOutcome;
    };
    expect(verdictFor([tiny('distinct', 7, 120), tiny('aggregate', 8, 12)], null, { probeRuns: 3, exact }).recommendation).toMatch(
      /^recommendation: use aggregate now \(exact, no schema change: tied on live heap with distinct, the event loop blocked 12\.0 ms at once against distinct 120 ms; /,
    );
    // Blocks within two resolutions of each other: p50 decides, as without the figure.
    expect(verdictFor([tiny('distinct', 7, 12), tiny('aggregate', 8, 14)], null, { probeRuns: 3, exact }).recommendation).toMatch(
      /^recommendation: use distinct now \(exact, no schema change: lowest p50 among those tied on live heap \(distinct, aggregate\); /,
    );
  });

  it('the demo run: aggregate still, its live heap apart from every other', () => {
    const outcomes = [
      outcome('window', { peakMB: 597, liveMB: [95, 99, 110], p50Ms: 7000 }),
      projection,
      batched,
      outcome('distinct', { peakMB: 14, liveMB: [0.6, 0.63, 0.7], p50Ms: 2000 }),
      outcome('aggregate', { peakMB: 1.2, liveMB: [0.12, 0.13, 0.14], p50Ms: 30_000 }),
      outcome('cursor', { peakMB: 2, liveMB: [0.07, 0.08, 0.09], p50Ms: 110 }),
    ];
    expect(verdictFor(outcomes, null, { probeRuns: 3, exact }).recommendation).toMatch(
      /^recommendation: use aggregate now \(exact, no schema change: lowest live heap at peak; .*\); then the redesign, cursor /,
    );
  });
});
