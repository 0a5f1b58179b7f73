import Table from 'cli-table3';
import type { Style } from '../lib/style.js';
import { cuttable, MIN_CUT_ROOM, visibleLength, wrap, type TerminalLayout } from './terminal-text.js';

/** A column of a table that fits the terminal. */
export interface FitColumn {
  head: string;
  /** A column of figures: aligned right. */
  right?: boolean;
  /** Dropped when the table is wider than the terminal, lowest first; absent: always shown. */
  drop?: number;
  /** This column's text wraps when dropping columns is not enough (one column per table). */
  wrap?: boolean;
}

/** A cell, or `{ rest }`: text that spans this column and every shown column after it (why a row has no figures). */
export type FitCell = string | { rest: string };

/** The narrowest a wrapped column becomes. */
const MIN_WRAP = 12;

/**
 * A compact table (one row a strategy, variant or class; plain borders, bold headings) that fits
 * `layout.width`: columns with a `drop` rank are left out, lowest rank first, until it fits, and
 * named on a line under it with the flag that shows them — --wide shows them; then the
 * `wrap` column wraps. Returns the table's lines and that note.
 */
export function fitTable(style: Style, layout: TerminalLayout, columns: readonly FitColumn[], rows: readonly FitCell[][]): string[] {
  const shown = columns.map((_, index) => index);
  const widths = columns.map((column, index) => Math.max(visibleLength(column.head), ...rows.map((row) => cellWidth(row[index]))) + 2);
  const wrapped = columns.findIndex((column) => column.wrap);
  // The wrap column is never narrower than its heading (never wrapped) or its longest word (kept whole), but for a value's cut preview (wrap cuts it).
  const longestWord = (text: string) => Math.max(...text.split(/[ \n]/).map((word) => (cuttable(word) ? MIN_CUT_ROOM : visibleLength(word))));
  const narrowest =
    wrapped < 0
      ? 0
      : Math.max(MIN_WRAP, visibleLength(columns[wrapped]!.head), ...rows.map((row) => (typeof row[wrapped] === 'string' ? longestWord(row[wrapped]) : 0)));
  // The wrap column counts at its narrowest while columns are dropped: wrapping comes before dropping.
  const total = (atNarrowest = false) =>
    shown.reduce((sum, index) => sum + (atNarrowest && index === wrapped ? Math.min(widths[index]!, narrowest + 2) : widths[index]!) + 1, 1);
  const dropped: number[] = [];
  if (!layout.wide) {
    const candidates = columns
      .map((column, index) => ({ index, rank: column.drop }))
      .filter((candidate): candidate is { index: number; rank: number } => candidate.rank !== undefined)
      .sort((a, b) => a.rank - b.rank || b.index - a.index);
    for (const candidate of candidates) {
      if (total(true) <= layout.width) break;
      shown.splice(shown.indexOf(candidate.index), 1);
      dropped.push(candidate.index);
    }
  }
  const over = total() - layout.width;
  const wrapWidth = wrapped >= 0 && shown.includes(wrapped) && !layout.wide && over > 0 ? Math.max(narrowest, widths[wrapped]! - 2 - over) : undefined;
  if (wrapWidth !== undefined) widths[wrapped] = wrapWidth + 2;

  const table = new Table({
    head: shown.map((index) => style.bold(columns[index]!.head)),
    colAligns: shown.map((index) => (columns[index]!.right ? 'right' : 'left')),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(fitRow(row, shown, widths, wrapped, wrapWidth));
  const lines = [table.toString()];
  if (dropped.length > 0) {
    const names = columns.filter((_, index) => dropped.includes(index)).map((column) => column.head);
    lines.push(style.dim(`not shown at ${layout.width} columns: ${names.join(', ')} — --wide shows them`));
  }
  return lines;
}

function cellWidth(cell: FitCell | undefined): number {
  if (cell === undefined || typeof cell !== 'string') return 0;
  return Math.max(...cell.split('\n').map(visibleLength));
}

function fitRow(
  row: readonly FitCell[],
  shown: readonly number[],
  widths: readonly number[],
  wrapped: number,
  wrapWidth: number | undefined,
): Table.HorizontalTableRow {
  const out: Table.HorizontalTableRow = [];
  const spanAt = row.findIndex((cell) => typeof cell !== 'string');
  for (const [position, index] of shown.entries()) {
    if (spanAt >= 0 && index >= spanAt) {
      const rest = shown.slice(position);
      const span = rest.reduce((sum, column) => sum + widths[column]! + 1, -1) - 2;
      out.push({ colSpan: rest.length, hAlign: 'left', content: wrap((row[spanAt] as { rest: string }).rest, span, 0).join('\n') });
      return out;
    }
    const text = (row[index] as string | undefined) ?? '';
    out.push(index === wrapped && wrapWidth !== undefined ? wrap(text, wrapWidth, 0).join('\n') : text);
  }
  return out;
}
