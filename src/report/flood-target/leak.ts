import { bytesHuman, count, duration, milliseconds, NO_VALUE } from '../../lib/format.js';
import { frameText } from '../../lib/frame-text.js';
import type { Style } from '../../lib/style.js';
import type { FloodLeak } from '../../results/flood-target.js';
import { MARK_WIDTH, SITE_COLUMNS, siteRow, siteSize, styledMark } from '../leak/rows.js';
import { bullets, facts, paragraph, right, section, table, type Section } from '../model.js';

/** A site's detail lines start under its name: past the indent, the mark and the site's number ("1. "). */
const DETAIL = ' '.repeat(2 + MARK_WIDTH + 3);

/** --leak on a terminal: the three-line verdict, the sites above the noise floor, what the tracking cost. */
export function leakLines(leak: FloodLeak, style: Style): string[] {
  const colour = leak.verdict.leaking ? style.red : leak.status === 'ok' ? style.green : style.yellow;
  const lines = [style.bold(`leak (allocation tracking around the load, ${duration(leak.cooldownMs / 1000)} cooldown, via ${leak.via}):`)];
  for (const line of leak.verdict.lines) lines.push(colour(`  ${line}`));
  for (const [i, site] of leak.sites.filter((entry) => entry.selfSizeBytes >= leak.noiseFloorBytes).entries()) {
    lines.push(`  ${styledMark(site, style, false)}${i + 1}. ${frameText(site.site)}: ${siteSize(site)}`);
    if (site.callers.length > 0) lines.push(`${DETAIL}called from ${site.callers.map(frameText).join(' ← ')}`);
    if (site.heldBy) lines.push(`${DETAIL}held by ${site.heldBy}`);
  }
  lines.push(style.dim(`  cost to the target: ${costText(leak)}`));
  for (const note of leak.notes) lines.push(style.dim(`  note: ${note}`));
  return lines;
}

function costText(leak: FloodLeak): string {
  const { cost } = leak;
  const rise = cost.outsideHeapRiseBytes === null ? NO_VALUE : `${cost.outsideHeapRiseBytes >= 0 ? '+' : ''}${bytesHuman(cost.outsideHeapRiseBytes)}`;
  return `tracking start ${cost.trackingStartMs === null ? NO_VALUE : milliseconds(cost.trackingStartMs)}, snapshot pause ${cost.snapshotMs === null ? NO_VALUE : milliseconds(cost.snapshotMs)}, snapshot ${bytesHuman(cost.snapshotBytes)}, RSS outside the heap and Buffers ${rise}; analysis ${cost.analysisMs === null ? NO_VALUE : duration(cost.analysisMs / 1000)}`;
}

/** --leak in a report: the verdict, sites, retainer paths and cost. */
export function leakSection(leak: FloodLeak | null): Section | undefined {
  if (!leak) return undefined;
  return section(
    'What the load leaked (--leak)',
    'leak',
    paragraph(
      `Allocation tracking from before the producers started; objects allocated during the load and still alive ${duration(leak.cooldownMs / 1000)} after it, by allocation site and retainer path. ${leak.verdict.lines.join('. ')}.`,
    ),
    ...(leak.sites.length > 0
      ? [
          table(
            SITE_COLUMNS.map((title, i) => (i >= 2 && i <= 5 ? right(title) : title)),
            leak.sites.map(siteRow),
          ),
        ]
      : []),
    ...(leak.paths.length > 0
      ? [
          table(
            ['class', right('objects'), right('shallow'), 'retainer path'],
            leak.paths.map((group) => [group.className, count(group.count), bytesHuman(group.selfSizeBytes), group.path]),
          ),
        ]
      : []),
    facts([['Cost to the target', costText(leak)]]),
    ...(leak.notes.length > 0 ? [bullets(leak.notes)] : []),
  );
}
