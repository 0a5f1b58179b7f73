import { medianRange, msFigure } from '../../lib/format.js';
import type { MeasuredOutcome, StrategyName } from '../../results/compare-unread.js';
import { clearlyLower } from './verdict-batch.js';

/**
 * What the verdict may claim about the live heap at peak, and what it recommends. The live heap is
 * read on unmeasured probe runs and varies between them (the driver frees a drained cursor's last
 * batch, up to 16 MB of BSON parsed lazily, only when its cleanup runs): a ranking is claimed only
 * where the ranges of the probe runs do not overlap.
 */

/** The post-mortem's redesign: one read cursor per user and topic (the readCursors collection) instead of a receipt per message read. */
export const NEEDS_SCHEMA_CHANGE: readonly StrategyName[] = ['cursor'];

interface LiveRange {
  name: StrategyName;
  median: number;
  min: number;
  max: number;
}

function liveRange(outcome: MeasuredOutcome): LiveRange | null {
  const m = outcome.measurement;
  if (m.liveAtPeak) return { name: outcome.name, median: m.liveAtPeak.medianBytes, min: m.liveAtPeak.minBytes, max: m.liveAtPeak.maxBytes };
  return m.liveAtPeakBytes === null ? null : { name: outcome.name, median: m.liveAtPeakBytes, min: m.liveAtPeakBytes, max: m.liveAtPeakBytes };
}

const overlap = (a: LiveRange, b: LiveRange) => a.min <= b.max && b.min <= a.max;
const rangeText = (r: LiveRange) => medianRange(r.median, r.min, r.max);

/** One clause on the live-heap ranking: unverified with one probe run; otherwise which neighbours' ranges overlap. */
export function liveHeapClause(measured: readonly MeasuredOutcome[], probeRuns: number): string | null {
  const ranges = measured
    .map(liveRange)
    .filter((range): range is LiveRange => range !== null)
    .sort((a, b) => b.median - a.median);
  if (ranges.length < 2) return null;
  if (probeRuns < 2) return `live heap at peak from one probe run each (--quick): the ranking by live heap is unverified`;
  const ties: string[] = [];
  for (let i = 0; i + 1 < ranges.length; i++) {
    const [a, b] = [ranges[i]!, ranges[i + 1]!];
    if (overlap(a, b)) ties.push(`${a.name} ${rangeText(a)} and ${b.name} ${rangeText(b)}`);
  }
  const what = `live heap at peak, median (range) of ${probeRuns} probe runs`;
  return ties.length === 0
    ? `${what}: every strategy's range is apart from its neighbours', so the ranking holds`
    : `${what}: ranges overlap for ${ties.join('; ')}, so their order is not established`;
}

/**
 * The recommendation the figures support: among exact strategies that need no schema change, the
 * lowest live heap at peak; among those whose ranges overlap it, leaving out any whose peak heap
 * growth is clearly above the lowest of theirs (projection beside projection-batched: the live
 * heap is read after the cursors are drained, the driver's batch is held while they are read), the
 * lowest p50 latency; then the redesign, when it was measured.
 */
export function recommendation(measured: readonly MeasuredOutcome[], exact: ReadonlySet<StrategyName>, semiSpaceBytes: number): string | null {
  const candidates = measured.filter((o) => o.status === 'ok' && exact.has(o.name) && !NEEDS_SCHEMA_CHANGE.includes(o.name));
  const withRanges = candidates
    .map((o) => ({ outcome: o, range: liveRange(o) }))
    .filter((c): c is { outcome: MeasuredOutcome; range: LiveRange } => c.range !== null);
  const parts: string[] = [];
  if (withRanges.length > 0) {
    const lowest = withRanges.reduce((a, b) => (b.range.median < a.range.median ? b : a));
    const tied = withRanges.filter((c) => overlap(c.range, lowest.range));
    const peak = (c: (typeof tied)[number]) => c.outcome.measurement.peakHeapGrowthBytes;
    const lowestPeak = Math.min(...tied.map(peak));
    const contenders = tied.filter((c) => !clearlyLower(lowestPeak, peak(c), semiSpaceBytes));
    const unblocked = shortestBlocks(contenders);
    const best = unblocked.reduce((a, b) => (b.outcome.measurement.latency.p50Ms < a.outcome.measurement.latency.p50Ms ? b : a));
    const names = (list: typeof tied) => list.map((c) => c.outcome.name).join(', ');
    const peakedOut = tied.filter((c) => !contenders.includes(c));
    const blockedOut = contenders.filter((c) => !unblocked.includes(c));
    const blocks =
      blockedOut.length > 0
        ? `, the event loop blocked ${blockedText(best.outcome)} at once against ${blockedOut.map((c) => `${c.outcome.name} ${blockedText(c.outcome)}`).join(', ')}`
        : '';
    const why =
      tied.length === 1
        ? 'lowest live heap at peak'
        : blockedOut.length > 0 && unblocked.length === 1
          ? `tied on live heap with ${names(blockedOut)}${blocks}`
          : peakedOut.length === 0
            ? `lowest p50 among those tied on live heap (${names(tied)})${blocks}`
            : contenders.length === 1
              ? `tied on live heap with ${names(peakedOut)}, a clearly lower peak heap growth`
              : `lowest p50 among those tied on live heap (${names(tied)}) without a clearly higher peak heap growth${blocks}`;
    parts.push(
      `use ${best.outcome.name} now (exact, no schema change: ${why}; live ${rangeText(best.range)}, p50 ${msFigure(best.outcome.measurement.latency.p50Ms)} ms)`,
    );
  } else {
    parts.push('no exact strategy without a schema change finished');
  }
  const redesign = measured.find((o) => o.status === 'ok' && NEEDS_SCHEMA_CHANGE.includes(o.name));
  const redesignRange = redesign ? liveRange(redesign) : null;
  if (redesign) {
    parts.push(
      `then the redesign, ${redesign.name} (one read cursor per user and topic; live ${redesignRange ? rangeText(redesignRange) : 'unknown'}, p50 ${msFigure(redesign.measurement.latency.p50Ms)} ms), which also stops the receipts growing`,
    );
  }
  return `recommendation: ${parts.join('; ')}`;
}

/**
 * Among strategies tied on the heap, those whose longest event-loop block is not clearly longer than
 * the shortest: within two timer resolutions and 20 % of it (src/core/measure/loop.ts). Without the
 * figure (an older child), all of them.
 */
function shortestBlocks<C extends { outcome: MeasuredOutcome }>(tied: readonly C[]): C[] {
  // The work of the block: a busy machine stretches the gap, not the CPU in it (src/core/measure/loop.ts, blockedCpuMs).
  const blocked = (c: C) => {
    const loop = c.outcome.measurement.loop;
    return loop ? Math.min(loop.blockedMs, Math.max(...loop.runs.map((run) => run.blockedCpuMs ?? loop.blockedMs))) : undefined;
  };
  if (tied.some((c) => blocked(c) === undefined)) return [...tied];
  const shortest = Math.min(...tied.map((c) => blocked(c)!));
  const resolution = Math.max(...tied.map((c) => c.outcome.measurement.loop!.resolutionMs));
  return tied.filter((c) => blocked(c)! <= shortest + Math.max(2 * resolution, 0.2 * shortest));
}

function blockedText(outcome: MeasuredOutcome): string {
  return `${msFigure(outcome.measurement.loop?.blockedMs)} ms`;
}
