import { describe, expect, it } from 'vitest';
import { visibleLength, wrap } from '../../src/report/terminal-text.js';
import { fitTable } from '../../src/report/fit-table.js';
import { plainStyle } from '../../src/lib/style.js';

describe('wrap: prose to the terminal width', () => {
  const value = `"${'h'.repeat(79)}…"`;

  it("a heap string's cut preview inside a retainer path is cut to the width, the path's words wrap as before", () => {
    const lines = wrap(`        held by ${value} ← data in {data} ← […] in (array) ← table in Map ← map in Lru`, 80);
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(80);
    // The preview's characters are all there, in order, across its lines.
    expect(lines.map((line) => line.trim()).join('')).toContain(value);
    expect(lines.map((line) => line.trim()).join(' ')).toMatch(/← table in Map ← map in Lru$/);
  });

  it('a preview that opens the line is cut into whole lines, with no space inside the value', () => {
    // 79 characters, 78 of room: a piece of 78 and one of 1, which must not join the first line after a space.
    const preview = `"${'h'.repeat(76)}…"`;
    const lines = wrap(`${preview} ← data in {data}`, 80);
    expect(lines[0]).toBe(preview.slice(0, 78));
    expect(lines[1]).toBe(`  ${preview.slice(78)} ← data in {data}`);
  });

  it('a long word without "…" (a path, a URL) stays whole on its own line, to be copied', () => {
    const path = `/srv/${'deep/'.repeat(20)}server.js`;
    const lines = wrap(`script ${path} here`, 40);
    expect(lines).toContain(`  ${path}`);
  });

  it('a coloured long preview is left whole (cutting could split an escape sequence)', () => {
    const coloured = `\u001b[31m${value}\u001b[39m`;
    expect(wrap(`x ${coloured}`, 40)).toContain(`  ${coloured}`);
  });
});

describe('fitTable: a wrapped column holding a cut preview', () => {
  it("sizes the column to the table's room, not to the preview, and cuts the preview there", () => {
    const value = `"${'h'.repeat(79)}…"`;
    const rows = [['12.3 MB', `${value} ← data in {data} ← table in Map`]];
    const lines = fitTable(
      plainStyle,
      { width: 60, wide: false },
      [
        { head: 'retained', right: true },
        { head: 'held by', wrap: true },
      ],
      rows,
    )
      .join('\n')
      .split('\n');
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(60);
    // The preview's characters are all there, in order, across the cell's lines.
    const cells = lines.filter((line) => line.startsWith('│')).map((line) => line.split('│')[2]!.trim());
    expect(cells.join('')).toContain(value);
  });

  it('counts a wrapped column at no less than its heading, which is never wrapped: a column is dropped instead', () => {
    const columns = [
      { head: 'size', right: true },
      { head: 'retainer path (first member)', wrap: true },
      { head: 'extra', drop: 1 },
    ];
    const lines = fitTable(plainStyle, { width: 40, wide: false }, columns, [['1 MB', 'a b c', 'x']]);
    // The table's lines (the note under it is prose, wrapped with the rest of the output).
    for (const line of lines[0]!.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(40);
    expect(lines[1]).toBe('not shown at 40 columns: extra — --wide shows them');
  });
});
