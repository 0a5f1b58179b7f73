import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/lib/style.js';
import { terminalWidth } from '../../src/report/terminal.js';
import { renderMarkdown } from '../../src/report/render.js';
import { renderTerminal } from '../../src/report/terminal-render.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixture } from '../helpers/report-fixtures.js';

/** Saved results of every command with a table, printed again by `imdiag report RESULT.json` (no MongoDB). */
const COMMANDS = ['compare-unread', 'compare-unread-oom', 'query', 'flood', 'flood-target', 'watch', 'heap', 'heap-diff', 'seed'] as const;
const WIDTHS = [80, 100, 120] as const;

/** The note under a table may wrap like any prose line: read it whole. */
const unwrapped = (text: string) => text.replace(/\n {2}/g, ' ');
const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imdiag-width-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('terminal width: the terminal’s columns, else COLUMNS, else 100', () => {
  it.each([
    [132, {}, 132],
    [undefined, { COLUMNS: '90' }, 90],
    [undefined, { COLUMNS: 'wide' }, 100],
    [undefined, {}, 100],
    [0, { COLUMNS: '0' }, 100],
    [20, {}, 40],
  ] as const)('columns %s, env %j → %i', (columns, env, width) => {
    expect(terminalWidth(columns, env)).toBe(width);
  });
});

describe('every terminal renderer fits 80, 100 and 120 columns (the saved results of fixtures/)', () => {
  for (const command of COMMANDS) {
    it.each(WIDTHS)(`${command} at %i columns: every line fits; dropped columns are named, and --wide shows them`, (width) => {
      const text = renderTerminal(fixture(command), plainStyle, { width, wide: false });
      expect(widest(text)).toBeLessThanOrEqual(width);
      const note = /^not shown at (\d+) columns: (.+?) — --wide shows them/m.exec(unwrapped(text));
      if (!note) return;
      expect(Number(note[1])).toBe(width);
      const wide = renderTerminal(fixture(command), plainStyle, { width, wide: true });
      expect(wide).not.toMatch(/not shown at/);
      for (const column of note[2]!.split(', ')) expect(wide).toContain(` ${column} `);
    });
  }
});

describe('imdiag report RESULT.json (no --out) prints the terminal rendering, fitted to COLUMNS', () => {
  it('query at COLUMNS=80 names the columns it leaves out; --wide brings them back', async () => {
    const narrow = await runCli(['report', FIXTURES.query.pathname], { env: { COLUMNS: '80' } });
    expect([narrow.code, narrow.stderr]).toEqual([0, '']);
    expect(narrow.stdout).toBe(renderTerminal(fixture('query'), plainStyle, { width: 80, wide: false }));
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
    expect(unwrapped(narrow.stdout)).toMatch(/^not shown at 80 columns: .*peak RSS.* — --wide shows them/m);
    const wide = await runCli(['report', FIXTURES.query.pathname, '--wide'], { env: { COLUMNS: '80' } });
    expect(wide.stdout).toMatch(/│ peak RSS │/);
  });

  it('the .json report is byte-identical at every width, and .md keeps every column', async () => {
    const texts: string[] = [];
    for (const width of [80, 120]) {
      const out = join(dir, `query-${width}.json`);
      expect((await runCli(['report', FIXTURES.query.pathname, '--out', out], { env: { COLUMNS: String(width) } })).code).toBe(0);
      texts.push(await readFile(out, 'utf8'));
    }
    expect(texts[0]).toBe(texts[1]);
    const md = renderMarkdown(fixture('query'), { redact: true });
    expect(md).toMatch(/\| variant \|.*\| B\/doc \|.*\| --full live \|/);
  });
});

describe('the verdict: three short lines first, in the terminal and in the report', () => {
  it('compare-unread: what happened, what it means, what to do; then the detail', () => {
    const lines = renderTerminal(fixture('compare-unread'), plainStyle, { width: 120, wide: false }).split('\n');
    const start = lines.findIndex((line) => line.startsWith('naive-mongoose peaks at'));
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + 3)).toEqual([
      'naive-mongoose peaks at 37× the heap of aggregate (18 MB more heap for one query, 2.6 MB of it live).',
      "every peak fits under the post-mortem's 1536 MB limit (highest: naive-mongoose, 2 % of it).",
      'use aggregate now; then the redesign, cursor, which also stops the receipts growing.',
    ]);
    const report = renderMarkdown(fixture('compare-unread'), { redact: true }).split('\n');
    expect(report[2]).toBe('**naive-mongoose peaks at 37× the heap of aggregate (18 MB more heap for one query, 2.6 MB of it live).**  ');
    expect(report[4]).toBe('use aggregate now; then the redesign, cursor, which also stops the receipts growing.');
  });
});
