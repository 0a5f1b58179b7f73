import { bytesHuman, count, NO_VALUE, samplesPerRepetition } from '../../lib/format.js';
import type { LeakSite } from '../../results/leak.js';
import type { Style } from '../../lib/style.js';
import { frameText } from '../../lib/frame-text.js';

export const SITE_COLUMNS = ['allocation site', 'called from', 'objects', 'shallow', 'retained', 'per repetition', 'growing', 'held by', 'example'];

export const PATTERN_WORDS = { first: 'filled on the first', latest: 'less from the earlier', uneven: 'uneven' } as const;

export function siteRow(site: LeakSite): string[] {
  return [
    `${frameText(site.site)}${site.allocatedIn ? ` via ${frameText(site.allocatedIn)}` : ''}`,
    site.callers.slice(0, 2).map(frameText).join(' ← ') || NO_VALUE,
    site.sampled ? `${count(site.count)} samples` : count(site.count),
    `${site.sampled ? '~' : ''}${bytesHuman(site.selfSizeBytes)}`,
    bytesHuman(site.retainedSizeBytes),
    site.perRepetitionBytes.map((bytes) => bytesHuman(bytes)).join(' / '),
    growingText(site),
    site.heldBy ?? NO_VALUE,
    exampleText(site) ?? NO_VALUE,
  ];
}

/** "120 objects, 3 MB shallow", or the sampling profiler's "7 samples, ~224.0 KB" (LeakSite.sampled). */
export function siteSize(site: LeakSite): string {
  return site.sampled
    ? `${count(site.count)} ${site.count === 1 ? 'sample' : 'samples'}, ~${bytesHuman(site.selfSizeBytes)}`
    : `${count(site.count)} ${site.count === 1 ? 'object' : 'objects'}, ${bytesHuman(site.selfSizeBytes)} shallow`;
}

/** One object of the site, as DevTools lists it: its snapshot id (@id), class and retained size. */
export function exampleText(site: LeakSite): string | null {
  return site.example ? `@${site.example.id} ${site.example.className}, ${bytesHuman(site.example.retainedSizeBytes)} retained` : null;
}

/** The growing column: yes, no (and the pattern), or ? — with a sampled site's samples when too few of them left it unjudged. */
function growingText(site: LeakSite): string {
  if (site.growing === null) return site.sampled && site.perRepetitionBytes.length > 1 ? `? (${samplesPerRepetition(site.perRepetitionSamples)})` : '?';
  if (site.growing) return site.leaking ? 'yes' : 'yes (below floor)';
  return site.pattern ? `no (${PATTERN_WORDS[site.pattern]})` : 'no';
}

/**
 * A site's mark on a terminal: LEAK (counted as leaked, growing with every repetition), LEAK? (counted,
 * its growth unjudged: one repetition, or a sampled site's too few samples), flat (not growing), or none.
 */
export function leakMark(site: LeakSite): 'LEAK' | 'LEAK?' | 'flat' | null {
  if (site.leaking) return site.growing === null ? 'LEAK?' : 'LEAK';
  return site.growing === false ? 'flat' : null;
}

/** The width a terminal pads a site's mark to: the longest mark and a space. */
export const MARK_WIDTH = 6;

/** The mark as a terminal prints it, padded to MARK_WIDTH: LEAK and LEAK? red, flat dim (or left out: `flat` false). */
export function styledMark(site: LeakSite, style: Style, flat = true): string {
  const mark = leakMark(site);
  const shown = mark === 'flat' && !flat ? null : mark;
  const padded = (shown ?? '').padEnd(MARK_WIDTH);
  return shown === null ? padded : shown === 'flat' ? style.dim(padded) : style.red(padded);
}
