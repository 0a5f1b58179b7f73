import { bytesHuman, count, samplesPerRepetition } from '../../lib/format.js';
import type { LeakSite } from '../../results/leak.js';
import { frameText } from '../../lib/frame-text.js';
import type { LeakedTotals } from './growth.js';
import { DECIDING_SAMPLES } from './sampled-growth.js';

/**
 * Three lines: what leaks and how much (per repetition, per minute of workload), allocated by which
 * function and from where, held by what. Or why nothing counts as a leak. With one repetition a
 * site above the floor is a suspect, and the first line says so. `leaked` covers every site, not
 * only the listed ones; `workloadMs` is the workload's time (the repetitions together).
 */
export function leakVerdict(
  sites: LeakSite[],
  run: {
    status: 'ok' | 'stopped';
    repeat: number;
    noiseFloorBytes: number;
    mode: 'tracking' | 'sampling';
    leaked?: LeakedTotals | null;
    workloadMs?: number | null;
  },
): { leaking: boolean; lines: string[] } {
  if (run.status === 'stopped') return { leaking: false, lines: ['stopped before the analysis: no verdict (the heap readings cover what ran)'] };
  const leaking = sites.filter((site) => site.leaking);
  if (leaking.length === 0) {
    const cache = sites.find((site) => site.growing === false && site.selfSizeBytes >= run.noiseFloorBytes);
    return {
      leaking: false,
      lines: [
        `nothing leaks: no allocation site left ${bytesHuman(run.noiseFloorBytes)} or more${run.repeat > 1 ? ' growing with every repetition' : ''} alive after the workload`,
        cache
          ? notGrowingLine(cache)
          : run.repeat === 1
            ? 'run with --repeat 3 to tell a leak from a cache that fills once'
            : `largest survivor site: ${sites[0] ? `${frameText(sites[0].site)}, ${bytesHuman(sites[0].selfSizeBytes)}` : 'none'}`,
      ],
    };
  }
  const top = topLeak(leaking)!;
  const siteCount = run.leaked?.sites ?? leaking.length;
  const total = run.leaked?.bytes ?? leaking.reduce((sum, site) => sum + site.selfSizeBytes, 0);
  const perRep = top.bytesPerRepetition === null ? '' : `, +${bytesHuman(top.bytesPerRepetition)} per repetition`;
  // A rate needs a workload long enough to be one: under a second it would be mostly noise.
  const perMinute = run.workloadMs && run.workloadMs >= 1000 ? `, ~${bytesHuman((top.selfSizeBytes / run.workloadMs) * 60_000)} per minute of workload` : '';
  const what =
    run.repeat === 1
      ? 'suspect (one repetition cannot tell a leak from a cache; --repeat 3 can)'
      : top.growing === null
        ? 'suspect (too few samples to tell a leak from a cache)'
        : 'leaking';
  const callers = top.callers.slice(0, 2).map(frameText);
  // The sampling profiler's site (--sampling, or tracking's fallback, fallback.ts): samples and estimates.
  const sampled = top.sampled === true;
  return {
    leaking: true,
    lines: [
      `${what}: ${count(top.count)} ${sampled ? (top.count === 1 ? 'sample (~' : 'samples (~') : top.count === 1 ? 'object (' : 'objects ('}${bytesHuman(top.selfSizeBytes)}${perRep}${perMinute}) still alive from ${siteCount === 1 ? 'one allocation site' : `${count(siteCount)} sites, ${bytesHuman(total)} in all`}`,
      `allocated in ${frameText(top.site)}${top.allocatedIn ? ` (through ${frameText(top.allocatedIn)})` : ''}${callers.length > 0 ? ` called from ${callers.join(' ← ')}` : ''}`,
      heldByLine(top, run.mode),
    ],
  };
}

/** The site the verdict names (and fallback.ts gives "held by"): one that names code, and of those one judged leaking before a suspect (a sampled site's growth unjudged on too few samples). */
export function topLeak(leaking: readonly LeakSite[]): LeakSite | undefined {
  const named = leaking.filter((site) => site.site.functionName !== '(allocation site unknown)');
  return named.find((site) => site.growing !== null) ?? named[0] ?? leaking[0];
}

/**
 * What the verdict's short first line leaves out when the site it names is a suspect on too few
 * samples: how many it had and what gives more — a note, so the verdict stays three lines.
 */
export function verdictNotes(sites: readonly LeakSite[], run: { status: 'ok' | 'stopped'; repeat: number; mode: 'tracking' | 'sampling' }): string[] {
  const top = run.status === 'ok' && run.repeat > 1 ? topLeak(sites.filter((site) => site.leaking)) : undefined;
  if (!top || top.growing !== null) return [];
  return [
    `the suspect had ${samplesPerRepetition(top.perRepetitionSamples)}, where ${DECIDING_SAMPLES} tell a leak from a cache: a longer workload${run.mode === 'sampling' ? ', or tracking mode (without --sampling),' : ''} gives more`,
  ];
}

/** The verdict's third line: the site's retainer path, or why there is none. */
function heldByLine(top: LeakSite, mode: 'tracking' | 'sampling'): string {
  if (top.heldBy) return `held by ${top.heldBy}`;
  if (mode === 'sampling') return 'held by: unknown in sampling mode (run without --sampling for the retainer path)';
  if (top.sampled)
    return "held by: unknown (V8 dropped most survivors' allocation stacks, so the sites are the sampling profiler's, which carry no retainer path)";
  // analyse.ts gives every tracked site its heaviest path's text (unreachable survivors' included): only a site built without one comes here.
  return 'held by: no retainer path recorded for this site';
}

const PATTERNS = {
  first: 'filled on the first repetition: a cache that fills once, or what the server builds on its first requests',
  latest:
    "less from the earlier repetitions: a cache that evicts its oldest entries, or a leak whose first repetition warmed up (more repetitions empty a cache's earliest, never a leak's)",
  uneven: "not the steady rise of a leak; a backlog that drains unevenly looks like this too: judge it from the heap's slope over one long repetition",
} as const;

/** A site above the floor that did not grow alike: what it keeps per repetition, and what that pattern can mean. */
function notGrowingLine(site: LeakSite): string {
  const perRepetition = site.perRepetitionBytes.map((bytes) => bytesHuman(bytes)).join(', ');
  return `${frameText(site.site)} keeps ${bytesHuman(site.selfSizeBytes)}, not alike with each repetition (${perRepetition}): ${PATTERNS[site.pattern ?? 'uneven']}`;
}
