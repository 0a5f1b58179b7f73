import type { Style } from '../lib/style.js';
import { renderDoctor } from './doctor/terminal.js';
import { renderLeak } from './leak/terminal.js';
import { renderCompareUnread } from './compare-unread/terminal.js';
import { renderFloodTarget } from './flood-target/terminal.js';
import { renderFlood } from './flood/terminal.js';
import { renderHeapDiff, renderHeap } from './heap/terminal.js';
import { renderQuery } from './query/terminal.js';
import type { ReportableResult } from './render.js';
import { renderSeed } from './seed/terminal.js';
import type { TerminalLayout } from './terminal-text.js';
import { renderWatch } from './watch/terminal.js';

type TerminalRenderers = {
  [C in ReportableResult['command']]: (result: Extract<ReportableResult, { command: C }>, style: Style, layout: TerminalLayout) => string;
};

/** Each command's terminal renderer: a command added to ReportableResult without one does not compile. */
const RENDERERS: TerminalRenderers = {
  seed: renderSeed,
  'compare-unread': renderCompareUnread,
  flood: renderFlood,
  'flood-target': renderFloodTarget,
  watch: renderWatch,
  heap: renderHeap,
  'heap-diff': renderHeapDiff,
  query: renderQuery,
  doctor: renderDoctor,
  leak: renderLeak,
};

/** A saved result as its command printed it on a terminal (`imdiag report RESULT.json` without --out). */
export function renderTerminal(result: ReportableResult, style: Style, layout: TerminalLayout): string {
  const render = RENDERERS[result.command] as (result: ReportableResult, style: Style, layout: TerminalLayout) => string;
  return render(result, style, layout);
}
