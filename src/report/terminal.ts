import Table from 'cli-table3';
import type { Style } from '../lib/style.js';

/**
 * What the terminal renderers share: the width they fit, their kinds of table (one that drops
 * columns it cannot fit and says which), wrapped prose, the three-line verdict, and the colour of a
 * memory verdict.
 */

/**
 * A compact table, one row a strategy, variant or class: bold headings, and plain borders with no
 * colour codes (cli-table3's own styles off) so files, pipes and NO_COLOR get clean text.
 * `rightColumns`: the indexes of columns of figures, aligned right.
 */
export function compactTable(style: Style, head: string[], rightColumns?: readonly number[]): Table.Table {
  return new Table({
    head: head.map((cell) => style.bold(cell)),
    ...(rightColumns && { colAligns: head.map((_, index) => (rightColumns.includes(index) ? 'right' : 'left')) }),
    style: { head: [], border: [], compact: true },
  });
}

/** A bordered table of label–value rows (one column per run, or one value): bold heading and grey borders on a colour terminal. */
export function borderedTable(style: Style, head?: string[], colWidths?: number[]): Table.Table {
  const colour = style.level > 0;
  return new Table({
    ...(head && { head }),
    ...(colWidths && { colWidths, wordWrap: true }),
    style: { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] },
  });
}

/** A memory verdict's colour: bounded is good, inconclusive a doubt, growing or died bad. */
export function verdictColour(verdict: 'bounded' | 'growing' | 'inconclusive' | 'died', style: Style): (text: string) => string {
  if (verdict === 'bounded') return style.green;
  return verdict === 'inconclusive' ? style.yellow : style.red;
}

export { fitTable, type FitColumn, type FitCell } from './fit-table.js';
export { DEFAULT_LAYOUT, finish, terminalWidth, verdictLines, visibleLength, wrap, type TerminalLayout } from './terminal-text.js';
