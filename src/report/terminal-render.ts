import type { Style } from '../lib/style.js';
import { renderCompareUnread } from './compare-unread/terminal.js';
import { renderFloodTarget } from './flood-target/terminal.js';
import { renderFlood } from './flood/terminal.js';
import { renderHeapDiff, renderHeap } from './heap/terminal.js';
import { renderQuery } from './query/terminal.js';
import type { ReportableResult } from './render.js';
import { renderSeed } from './seed/terminal.js';
import type { TerminalLayout } from './terminal-text.js';
import { renderWatch } from './watch/terminal.js';

/** A saved result as its command printed it on a terminal (`imdiag report RESULT.json` without --out). */
export function renderTerminal(result: ReportableResult, style: Style, layout: TerminalLayout): string {
  switch (result.command) {
    case 'seed':
      return renderSeed(result, style, layout);
    case 'compare-unread':
      return renderCompareUnread(result, style, layout);
    case 'flood':
      return renderFlood(result, style, layout);
    case 'flood-target':
      return renderFloodTarget(result, style, layout);
    case 'watch':
      return renderWatch(result, style, layout);
    case 'heap':
      return renderHeap(result, style, layout);
    case 'heap-diff':
      return renderHeapDiff(result, style, layout);
    case 'query':
      return renderQuery(result, style, layout);
  }
}
