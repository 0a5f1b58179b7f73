import { bytes, ratio } from '../../lib/format.js';
import { allowedFalsePositives } from './bloom.js';
import { liveHeapClause, recommendation } from './verdict-advice.js';
import { driverBatchClause, FALLBACK_SEMI_SPACE_BYTES } from './verdict-batch.js';
import {
  isMeasured,
  type Agreement,
  type AgreementCheck,
  type MeasuredOutcome,
  type StrategyName,
  type StrategyOutcome,
  type Verdict,
} from '../../results/compare-unread.js';

export interface Answer {
  strategy: StrategyName;
  exact: boolean;
  unreadIds: readonly string[];
}

/**
 * Every finished strategy must return the reference's unread set. The reference is the first
 * exact strategy that finished. Bloom is approximate in one direction only: it may hide an
 * unread message (a false positive) but never invent one, so it agrees when it reports no
 * extra id and its misses stay within the binomial bound of its configured rate.
 */
export function checkAgreement(answers: readonly Answer[], bloomRate: number): Agreement {
  const reference = answers.find((answer) => answer.exact);
  if (!reference) return { reference: null, unreadCount: null, allAgree: answers.length === 0, checks: [] };
  const expected = new Set(reference.unreadIds);
  const checks: AgreementCheck[] = answers.map((answer) => {
    const got = new Set(answer.unreadIds);
    let missing = 0;
    for (const id of expected) if (!got.has(id)) missing++;
    let extra = 0;
    for (const id of got) if (!expected.has(id)) extra++;
    if (answer.exact) return { strategy: answer.strategy, agrees: missing === 0 && extra === 0, missing, extra };
    const allowed = allowedFalsePositives(expected.size, bloomRate);
    return {
      strategy: answer.strategy,
      agrees: extra === 0 && missing <= allowed,
      missing,
      extra,
      note: `approximate: ${missing} false positive(s) hid unread messages (at most ${allowed} expected at p=${bloomRate}); a Bloom filter never reports an id it was not given`,
    };
  });
  return { reference: reference.strategy, unreadCount: expected.size, allAgree: checks.every((check) => check.agrees), checks };
}

const MB = 1024 * 1024;
/** Node's default old-space limit on 64-bit machines when the post-mortem happened: where it died. */
export const POST_MORTEM_HEAP_LIMIT_MB = 1536;
/** Growths below this are noise-level; the ratio's denominator is clamped to it. */
const RATIO_FLOOR_BYTES = 64 * 1024;

export function verdictFor(
  outcomes: readonly StrategyOutcome[],
  capMB: number | null,
  advice?: { probeRuns: number; exact: ReadonlySet<StrategyName>; semiSpaceBytes?: number | null },
): Verdict {
  const semiSpace = advice?.semiSpaceBytes ?? FALLBACK_SEMI_SPACE_BYTES;
  const measured = outcomes.filter(isMeasured);
  const oom = outcomes.filter((o) => o.status === 'oom').map((o) => o.name);
  const byPeak = [...measured].sort((a, b) => b.measurement.peakHeapGrowthBytes - a.measurement.peakHeapGrowthBytes);
  const heaviest = byPeak[0];
  const lightest = byPeak.at(-1);
  const parts: string[] = [];
  let heapRatio: number | null = null;
  if (heaviest && lightest && heaviest !== lightest) {
    heapRatio = heaviest.measurement.peakHeapGrowthBytes / Math.max(RATIO_FLOOR_BYTES, lightest.measurement.peakHeapGrowthBytes);
    const liveBytes = heaviest.measurement.liveAtPeakBytes;
    const live = liveBytes === null ? '' : `, ${bytes(liveBytes)} of it live`;
    parts.push(
      `${heaviest.name} peaks at ${ratio(heapRatio)} the heap of ${lightest.name} (${bytes(heaviest.measurement.peakHeapGrowthBytes)} more heap for one query${live})`,
    );
  } else if (heaviest) {
    parts.push(`${heaviest.name} peaks at ${bytes(heaviest.measurement.peakHeapGrowthBytes)}`);
  } else {
    parts.push('no strategy finished');
  }
  if (capMB !== null)
    parts.push(oom.length > 0 ? `under a ${capMB} MB cap ${oom.join(', ')} ${oom.length === 1 ? 'OOMs' : 'OOM'}` : `all survive a ${capMB} MB cap`);
  else if (oom.length > 0) parts.push(`${oom.join(', ')} ran out of heap`);
  else if (heaviest) parts.push(againstPostMortemLimit(byPeak));
  // Without the run's settings (a verdict recomputed from figures alone) the verdict claims nothing about the live-heap order.
  const live = advice ? liveHeapClause(measured, advice.probeRuns) : null;
  if (live) parts.push(live);
  const driverBatch = driverBatchClause(measured, semiSpace);
  if (driverBatch) parts.push(driverBatch);
  const advised = advice && measured.length > 0 ? recommendation(measured, advice.exact, semiSpace) : null;
  // The recommendation ends the verdict: the figures above are what it weighs.
  if (advised) parts.push(advised);
  return {
    text: parts.join('; '),
    recommendation: advised,
    heaviest: heaviest?.name ?? null,
    lightest: lightest?.name ?? null,
    heapRatio: heapRatio === null ? null : Math.round(heapRatio * 10) / 10,
    oom,
  };
}

/** Without a cap: which peaks would not have fitted under the heap limit the post-mortem died at. */
function againstPostMortemLimit(byPeak: readonly MeasuredOutcome[]): string {
  const limitBytes = POST_MORTEM_HEAP_LIMIT_MB * MB;
  const over = byPeak.filter((o) => o.measurement.peakHeapBytes > limitBytes).map((o) => o.name);
  if (over.length > 0) {
    return `${over.join(', ')} ${over.length === 1 ? 'peaks' : 'peak'} above the ${POST_MORTEM_HEAP_LIMIT_MB} MB heap limit the post-mortem died at (replay with --max-old-space-size ${POST_MORTEM_HEAP_LIMIT_MB})`;
  }
  const top = byPeak.reduce((a, b) => (b.measurement.peakHeapBytes > a.measurement.peakHeapBytes ? b : a));
  const share = Math.round((top.measurement.peakHeapBytes / limitBytes) * 100);
  return `every peak fits under the post-mortem's ${POST_MORTEM_HEAP_LIMIT_MB} MB limit (highest: ${top.name}, ${share} % of it)`;
}
