import { bytesHuman, count, NO_VALUE } from '../../lib/format.js';
import type { AllocationFrame, LeakSite } from '../../results/leak.js';

/** `pushChart (server.js:40)`: the function and where it is defined (V8 records no line inside it). */
export function frameText(frame: AllocationFrame): string {
  const file =
    frame.script
      .replace(/^file:\/\//, '')
      .split('/')
      .pop() || '(no script)';
  return `${frame.functionName} (${file}${frame.line === null ? '' : `:${frame.line}`})`;
}

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
