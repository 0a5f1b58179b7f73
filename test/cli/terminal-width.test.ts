import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/lib/style.js';
import { terminalWidth } from '../../src/report/terminal.js';
import { renderTerminal } from '../../src/report/terminal-render.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixture } from '../helpers/report-fixtures.js';

/** Saved results of every command with a table, printed again by `imdiag report RESULT.json` (no MongoDB). */
const COMMANDS = ['compare-unread', 'compare-unread-oom', 'query', 'flood', 'flood-target', 'watch', 'heap', 'heap-diff', 'seed'] as const;
const WIDTHS = [80, 100, 120] as const;

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

describe('imdiag report RESULT.json (no --out) prints the terminal rendering, fitted to COLUMNS', () => {
  for (const command of COMMANDS) {
    it.each(WIDTHS)(`${command} at %i columns: every line fits; dropped columns are named with --wide`, async (width) => {
      const run = await runCli(['report', FIXTURES[command].pathname], { env: { COLUMNS: String(width) } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(renderTerminal(fixture(command), plainStyle, { width, wide: false }));
      expect(widest(run.stdout)).toBeLessThanOrEqual(width);
      const note = /^not shown at (\d+) columns: (.+) — --wide shows them$/m.exec(run.stdout);
      if (note) {
        expect(Number(note[1])).toBe(width);
        const wide = await runCli(['report', FIXTURES[command].pathname, '--wide'], { env: { COLUMNS: String(width) } });
        expect(wide.stdout).not.toMatch(/not shown at/);
        for (const column of note[2]!.split(', ')) expect(wide.stdout).toContain(column);
      }
    });
  }

  it('the widest tables drop columns at 80 and name them; --wide brings them back', async () => {
    const narrow = await runCli(['report', FIXTURES.query.pathname], { env: { COLUMNS: '80' } });
    expect(narrow.stdout).toMatch(/^not shown at 80 columns: .*peak RSS.* — --wide shows them$/m);
    const wide = await runCli(['report', FIXTURES.query.pathname, '--wide'], { env: { COLUMNS: '80' } });
    expect(wide.stdout).toMatch(/│ peak RSS │/);
  });

  it('--out still writes a report, with every column whatever COLUMNS says', async () => {
    const out = join(dir, 'query.md');
    const run = await runCli(['report', FIXTURES.query.pathname, '--out', out], { env: { COLUMNS: '80' } });
    expect(run.code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/\| variant \|.*\| peak RSS \|/);
  });

  it('--json through report --out is byte-identical at every width', async () => {
    const texts = await Promise.all(
      WIDTHS.map(async (width) => {
        const out = join(dir, `seed-${width}.json`);
        await runCli(['report', FIXTURES.seed.pathname, '--out', out], { env: { COLUMNS: String(width) } });
        return readFile(out, 'utf8');
      }),
    );
    expect(new Set(texts).size).toBe(1);
  });
});

describe('the verdict: three short lines first, in the terminal and in the report', () => {
  it('compare-unread: what happened, what it means, what to do; then the detail', async () => {
    const run = await runCli(['report', FIXTURES['compare-unread'].pathname], { env: { COLUMNS: '100' } });
    const lines = run.stdout.split('\n');
    const start = lines.findIndex((line) => line.startsWith('naive-mongoose peaks at'));
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + 3)).toEqual([
      'naive-mongoose peaks at 37× the heap of aggregate (18 MB more heap for one query, 2.6 MB of it live).',
      "every peak fits under the post-mortem's 1536 MB limit (highest: naive-mongoose, 2 % of it).",
      'use aggregate now; then the redesign, cursor, which also stops the receipts growing.',
    ]);
    const md = await runCli(['report', FIXTURES['compare-unread'].pathname, '--out', join(dir, 'cu.md')]);
    expect(md.code).toBe(0);
    const report = (await readFile(join(dir, 'cu.md'), 'utf8')).split('\n');
    expect(report[2]).toBe('**naive-mongoose peaks at 37× the heap of aggregate (18 MB more heap for one query, 2.6 MB of it live).**  ');
    expect(report[4]).toBe('use aggregate now; then the redesign, cursor, which also stops the receipts growing.');
  });
});
