import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeapRedactResult } from '../../src/results/heap-redact.js';
import type { HeapDiffResult, HeapResult } from '../../src/results/heap.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { writeSnapshotsOf } from '../helpers/heap-snapshots.js';

/**
 * One secret planted five ways in a real process (a string value, a dictionary key, a Map key, a
 * RegExp source, half of a concatenated string), each its own text so each way is proven. The
 * script holds them base64-encoded, so the only copies in the heap are the planted ones.
 */
const SECRETS = {
  value: 'vAlUe7f3a9c2e1b-alice.secret@example.com',
  dictKey: 'dict8d2b4f6a1c-bob@example.org',
  mapKey: 'mapk5e1c7a9b3d-carol@example.net',
  regexSource: 'rgx2a4c6e8f0b-dave@example[.]com',
  consHalf: 'cons9b8a7f6e5d-erin@example.io',
};
const PLANTED = Object.values(SECRETS);
const encoded = JSON.stringify(PLANTED.map((secret) => Buffer.from(secret).toString('base64')));

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-secrets-'));
const [a, b, c] = ['a', 'b', 'c'].map((name) => join(dir, `${name}.heapsnapshot`)) as [string, string, string];
const at = (name: string) => join(dir, name);

beforeAll(() => {
  writeSnapshotsOf(
    `const copy = (s) => s.split('').join('');
     const [value, dictKey, mapKey, regex, half] = ${encoded}.map((b) => Buffer.from(b, 'base64').toString());
     globalThis.valueCopies = Array.from({ length: 3000 }, () => copy(value));
     globalThis.bigValue = copy(value) + 'x'.repeat(300000);
     globalThis.byEmail = {};
     for (let i = 0; i < 2000; i++) byEmail['k' + i + '@example.com'] = { n: [i] };
     globalThis.keyed = Array.from({ length: 30 }, () => ({ [copy(dictKey)]: new Array(3000).fill(1) }));
     globalThis.maps = Array.from({ length: 200 }, () => new Map([[copy(mapKey), { payload: [1] }]]));
     globalThis.rx = new RegExp(copy(regex));
     rx.cache = new Array(80000).fill(3);
     globalThis.joined = Array.from({ length: 200 }, () => copy(half) + 'y'.repeat(20));
     snap(0);
     byEmail[copy(dictKey)] = Array.from({ length: 500 }, (_, i) => ({ i }));
     snap(1);
     snap(2);`,
    [a, b, c],
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function found(text: string): string[] {
  return PLANTED.filter((secret) => text.includes(secret));
}

async function ok(args: string[]): Promise<CliRun> {
  const run = await runCli(args, { timeoutMs: 120_000 });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('nothing secret leaves in a report', () => {
  it('the snapshots hold every planted secret', () => {
    expect(found(readFileSync(c, 'latin1'))).toEqual(PLANTED);
  });

  it('heap and heap diff reports (.md, .html, .json) and --json mask every one; the terminal shows values', async () => {
    const outputs: string[] = [];
    for (const format of ['md', 'html', 'json']) {
      const heap = await ok(['heap', c, '--top', '40', '--retainers', '--strings', '--report', at(`heap.${format}`)]);
      const diff = await ok(['heap', 'diff', a, b, c, '--top', '40', '--report', at(`diff.${format}`)]);
      outputs.push(readFileSync(at(`heap.${format}`), 'utf8'), readFileSync(at(`diff.${format}`), 'utf8'));
      if (format === 'md') expect(found(heap.stdout + diff.stdout).length).toBeGreaterThanOrEqual(4);
    }
    const heapJson = await ok(['heap', c, '--top', '40', '--json']);
    const diffJson = await ok(['heap', 'diff', a, b, c, '--top', '40', '--json']);
    outputs.push(heapJson.stdout, diffJson.stdout);
    for (const output of outputs) expect(found(output)).toEqual([]);
    const result = JSON.parse(heapJson.stdout) as HeapResult;
    expect(result.snapshot.strings.top[0]?.value).toMatch(/^‹40 chars, \[a-zA-Z0-9.@\\-\], #[0-9a-f]{6}›$/);
    expect(result.snapshot.classes.map((row) => row.className)).toContainEqual(expect.stringMatching(/^\{‹30 chars, \[a-z0-9.@\\-\], #[0-9a-f]{6}›\}$/));
    const diff = JSON.parse(diffJson.stdout) as HeapDiffResult;
    expect(diff.leaks?.status).toBe('ok');
  }, 300_000);

  it('--show-strings writes them into reports and --json', async () => {
    const heap = await ok(['heap', c, '--top', '40', '--json', '--show-strings', '--report', at('shown.md')]);
    const diff = await ok(['heap', 'diff', a, b, c, '--top', '40', '--json', '--show-strings', '--report', at('shown-diff.html')]);
    expect(found(heap.stdout + readFileSync(at('shown.md'), 'utf8'))).toEqual(PLANTED);
    expect(found(diff.stdout + readFileSync(at('shown-diff.html'), 'utf8'))).toContain(SECRETS.dictKey);
  }, 180_000);

  it('heap redact writes a copy without any of them that gives the same table', async () => {
    const copy = at('redacted.heapsnapshot');
    const run = await ok(['heap', 'redact', c, copy, '--json']);
    const result = JSON.parse(run.stdout) as HeapRedactResult;
    expect(result).toMatchObject({ command: 'heap-redact', out: copy });
    expect(result.redaction.strings.replaced).toBeGreaterThan(0);
    expect(found(readFileSync(copy, 'latin1'))).toEqual([]);
    expect(statSync(copy).mode & 0o077).toBe(0);
    // Masked in both (values, and data-like keys whose filler reads like no identifier either): the same rows.
    const rows = (out: CliRun) =>
      (JSON.parse(out.stdout) as HeapResult).snapshot.classes.map((row) => ({ ...row, className: row.className.replace(/‹[^›]*›/g, '‹›') }));
    const [original, redacted] = await Promise.all([c, copy].map((file) => ok(['heap', file, '--top', '1000', '--json'])));
    expect(rows(redacted!)).toEqual(rows(original!));
    const again = await ok(['heap', copy, '--top', '40', '--report', at('redacted.md')]);
    expect(found(again.stdout + readFileSync(at('redacted.md'), 'utf8'))).toEqual([]);
  }, 180_000);

  it('never writes over an existing file, and names what is wrong', async () => {
    const existing = at('exists.heapsnapshot');
    writeFileSync(existing, 'mine');
    const run = await runCli(['heap', 'redact', c, existing]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^imdiag: heap redact: .*exists\.heapsnapshot exists; imdiag never writes over a file: choose a new name$/);
    expect(readFileSync(existing, 'utf8')).toBe('mine');
    const one = await runCli(['heap', 'redact', c]);
    expect(one.code).toBe(2);
    expect(one.stderr.trim()).toBe('imdiag: heap redact takes 2 paths (IN.heapsnapshot OUT.heapsnapshot), got 1');
    expect(existsSync(`${existing}.part`)).toBe(false);
  });
});
