import { bytesHuman, count, NO_VALUE } from '../../lib/format.js';
import type { LeakSite } from '../../results/leak.js';
import { frameText } from '../../lib/frame-text.js';

export const SITE_COLUMNS = ['allocation site', 'called from', 'objects', 'shallow', 'retained', 'per repetition', 'growing', 'held by'];

export function siteRow(site: LeakSite): string[] {
  return [
    `${frameText(site.site)}${site.allocatedIn ? ` via ${frameText(site.allocatedIn)}` : ''}`,
    site.callers.slice(0, 2).map(frameText).join(' ← ') || NO_VALUE,
    count(site.count),
    bytesHuman(site.selfSizeBytes),
    bytesHuman(site.retainedSizeBytes),
    site.perRepetitionBytes.map((bytes) => bytesHuman(bytes)).join(' / '),
    site.growing === null ? '?' : site.growing ? (site.leaking ? 'yes' : 'yes (below floor)') : 'no',
    site.heldBy ?? NO_VALUE,
  ];
}
