import { bytesHuman, count, duration, milliseconds, NO_VALUE, samplesPerRepetition } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import type { LeakResult } from '../../results/leak.js';
import { frameText } from '../../lib/frame-text.js';
import { DEFAULT_LAYOUT, finish, type TerminalLayout } from '../terminal-text.js';
import { exampleText, MARK_WIDTH, PATTERN_WORDS, siteSize, styledMark } from './rows.js';

/** A site's detail lines start under its name: past the mark and the site's number ("1. "). */
const DETAIL = ' '.repeat(MARK_WIDTH + 3);

/** `imdiag leak` on a terminal: the verdict, the allocation sites, what holds them, what the run cost. */
export function renderLeak(result: LeakResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const lines: string[] = [];
  const colour = result.verdict.leaking ? style.red : style.green;
  lines.push(style.bold(`imdiag leak: node[${result.target.pid}] via ${result.target.via}, ${result.options.mode}, workload ×${result.options.repeat}`));
  for (const line of result.verdict.lines) lines.push(colour(line));
  if (result.survivors) {
    lines.push(
      '',
      `allocated after the baseline and alive at the end: ${result.options.mode === 'sampling' ? `${count(result.survivors.count)} samples, ~` : `${count(result.survivors.count)} objects, `}${bytesHuman(result.survivors.bytes)} (noise floor per site ${bytesHuman(result.noiseFloorBytes)})`,
    );
  }
  for (const [i, site] of result.sites.entries()) {
    lines.push(`${styledMark(site, style)}${i + 1}. ${style.bold(frameText(site.site))}  ${siteSize(site)}, ${bytesHuman(site.retainedSizeBytes)} retained`);
    if (site.allocatedIn) lines.push(`${DETAIL}allocated in ${frameText(site.allocatedIn)} (${site.foldedFrames} internal frames folded)`);
    if (site.callers.length > 0) lines.push(`${DETAIL}called from ${site.callers.map(frameText).join(' ← ')}`);
    if (site.perRepetitionBytes.length > 1)
      lines.push(
        `${DETAIL}alive per repetition: ${site.perRepetitionBytes.map((bytes) => bytesHuman(bytes)).join(' / ')}${site.growing ? ' (grows)' : site.pattern ? ` (${PATTERN_WORDS[site.pattern]})` : site.sampled ? ` (${samplesPerRepetition(site.perRepetitionSamples)}: too few to tell)` : ''}`,
      );
    if (site.heldBy) lines.push(`${DETAIL}held by ${site.heldBy}`);
    const example = exampleText(site);
    if (example) lines.push(`${DETAIL}e.g. ${example}`);
  }
  const { cost } = result;
  lines.push(
    '',
    style.dim(
      `cost to the target: tracking start ${cost.trackingStartMs === null ? NO_VALUE : milliseconds(cost.trackingStartMs)}, snapshot pause ${cost.snapshotMs === null ? NO_VALUE : milliseconds(cost.snapshotMs)}, snapshot ${bytesHuman(cost.snapshotBytes)}, RSS outside the heap and Buffers ${cost.outsideHeapRiseBytes === null ? NO_VALUE : `${cost.outsideHeapRiseBytes >= 0 ? '+' : ''}${bytesHuman(cost.outsideHeapRiseBytes)}`}; analysis ${cost.analysisMs === null ? NO_VALUE : duration(cost.analysisMs / 1000)}`,
    ),
  );
  for (const run of result.workloads.filter((workload) => workload.command !== null)) {
    lines.push(style.dim(`workload ${run.repetition}: exit ${run.exitCode ?? run.signal} in ${duration(run.durationMs / 1000)}`));
  }
  for (const note of result.notes) lines.push(style.dim(`note: ${note}`));
  for (const outcome of result.conditions)
    lines.push(`${outcome.held ? style.red('FAIL') : style.green('ok')} --fail-on ${outcome.condition}: ${outcome.detail}`);
  // Wrapped to the terminal's width (src/commands/common/emit.ts decides it), tables kept whole.
  return finish(lines, layout);
}
