import type { Style } from '../lib/style.js';

/** The width a terminal rendering fits, and prose wrapped to it: what every terminal renderer shares. */

/** The terminal a renderer fits: its width in columns, and --wide (every column, whatever the width). */
export interface TerminalLayout {
  width: number;
  wide: boolean;
}

/** Without a terminal or COLUMNS: what the renderers fit. */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, a table could not hold even its first columns; wrap at this width instead. */
const MIN_WIDTH = 40;

export const DEFAULT_LAYOUT: TerminalLayout = { width: DEFAULT_WIDTH, wide: false };

/** The width to fit: the terminal's (stdout's columns), else $COLUMNS, else DEFAULT_WIDTH. */
export function terminalWidth(columns: number | undefined, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  const width = columns && columns > 0 ? columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, width);
}

// eslint-disable-next-line no-control-regex -- the escape sequences chalk writes
const ANSI = /\u001b\[[0-9;]*m/g;

/** The columns a line takes on a terminal: colour codes take none. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Prose wrapped at spaces to `width`; continuation lines indented by `indent` spaces. A word longer
 * than the width (a path, a URL) stays whole on its own line: cut, it could not be copied. A string
 * value's preview already cut short ("…", as a retainer path quotes a heap string) cannot be copied
 * either: it is cut to the width.
 */
export function wrap(text: string, width: number, indent = 2): string[] {
  if (visibleLength(text) <= width) return [text];
  const lead = /^ */.exec(text)![0];
  const pad = ' '.repeat(lead.length + indent);
  const lines: string[] = [];
  let line = lead;
  for (const whole of text.slice(lead.length).split(' ')) {
    // A cut preview's later pieces each start a line of their own: no space inside the value.
    for (const [piece, word] of cutPreview(whole, width - pad.length).entries()) {
      const start = lines.length === 0 ? lead : pad;
      if (line !== start && (piece > 0 || visibleLength(line) + 1 + visibleLength(word) > width)) {
        lines.push(line);
        line = pad + word;
      } else line = line === start ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** The narrowest room a cut preview is cut to: below it, it stays whole. */
export const MIN_CUT_ROOM = 8;

/** Whether a word is a truncated value's preview (it holds "…", no colour codes), which the wrap cuts to the width. */
export function cuttable(word: string): boolean {
  return word.includes('…') && visibleLength(word) === [...word].length;
}

/** A cuttable preview longer than `room`, in pieces of `room` characters; any other word whole. */
function cutPreview(word: string, room: number): string[] {
  const chars = [...word];
  if (room < MIN_CUT_ROOM || chars.length <= room || !cuttable(word)) return [word];
  const pieces: string[] = [];
  for (let at = 0; at < chars.length; at += room) pieces.push(chars.slice(at, at + room).join(''));
  return pieces;
}

// eslint-disable-next-line no-control-regex -- the escape sequences chalk writes
const TABLE_LINE = /^(\u001b\[[0-9;]*m)*[┌│├└╔║╟╚]/;

/** A renderer's lines as its text: prose wrapped to the width (tables are fitted when they are built). */
export function finish(lines: readonly string[], layout: TerminalLayout): string {
  const out = lines.flatMap((line) => line.split('\n')).flatMap((line) => (TABLE_LINE.test(line) ? [line] : wrap(line, layout.width)));
  return `${out.join('\n')}\n`;
}

/**
 * The verdict as at most three short lines — what happened, what it means, what to do — each
 * wrapped to the width; the first bold. The detail is printed below it, or in a report section.
 */
export function verdictLines(lines: readonly string[], style: Style, layout: TerminalLayout, colour: (text: string) => string = (text) => text): string[] {
  return lines.slice(0, 3).flatMap((line, index) => wrap(index === 0 ? style.bold(colour(line)) : line, layout.width));
}
