import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeapDiffResult, HeapResult } from '../../src/results/heap.js';
import { runCli } from '../helpers/cli.js';
import { writeSnapshotsOf } from '../helpers/heap-snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-cli-'));
const [a, b] = ['a', 'b'].map((name) => join(dir, `${name}.heapsnapshot`)) as [string, string];
beforeAll(() => {
  writeSnapshotsOf(
    `class Receipt { constructor(i) { this.msgId = i; } }
     globalThis.receipts = [];
     snap(0);
     (() => { for (let i = 0; i < 20000; i++) receipts.push(new Receipt(i)); })();
     snap(1);`,
    [a, b],
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imdiag heap (process level)', () => {
  it('prints the summary as JSON and writes a report that imdiag report renders again', async () => {
    const saved = join(dir, 'heap.json');
    const run = await runCli(['heap', b, '--json', '--top', '40', '--report', saved]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as HeapResult;
    expect(result).toMatchObject({ schemaVersion: 1, command: 'heap', options: { top: 40 } });
    expect(result.snapshot.classes.find((row) => row.className === 'Receipt')?.count).toBe(20000);
    expect(result.snapshot.largest[0]?.retainers?.text).toBe('Array ← receipts in global');
    const md = join(dir, 'heap.md');
    const again = await runCli(['report', saved, '--out', md]);
    expect(again.code).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('Array ← receipts in global');
  });

  it('fails a diff whose class growth crosses --fail-on with exit 1', async () => {
    const run = await runCli(['heap', 'diff', a, b, '--fail-on', 'growth>100KB', '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as HeapDiffResult;
    expect(result.classes.find((row) => row.className === 'Receipt')).toMatchObject({ countBefore: 0, countAfter: 20000, newObjects: 20000 });
    expect(run.stderr).toMatch(/--fail-on growth>100KB: growth [\d.]+ (KB|MB) > 100.0 KB/);
    const pass = await runCli(['heap', 'diff', a, b, '--fail-on', 'growth>50MB']);
    expect(pass.code).toBe(0);
  });

  it('two captures of one process through two inspector sessions: says V8 renumbered its objects, and how to take both in one session', async () => {
    // What two `imdiag heap capture` runs do: a session each, ended after its snapshot.
    const [first, second] = ['session-1', 'session-2'].map((name) => join(dir, `${name}.heapsnapshot`)) as [string, string];
    const script = `
      const { Session } = require('node:inspector');
      const { writeFileSync } = require('node:fs');
      class Receipt { constructor(i) { this.msgId = i; } }
      globalThis.receipts = [];
      function capture(path) {
        const session = new Session();
        session.connect();
        const chunks = [];
        session.on('HeapProfiler.addHeapSnapshotChunk', (m) => chunks.push(m.params.chunk));
        session.post('HeapProfiler.takeHeapSnapshot', null, (error) => { if (error) throw error; });
        session.disconnect();
        writeFileSync(path, chunks.join(''));
      }
      capture(${JSON.stringify(first)});
      (() => { for (let i = 0; i < 20000; i++) receipts.push(new Receipt(i)); })();
      capture(${JSON.stringify(second)});`;
    execFileSync(process.execPath, ['-e', script], { stdio: 'pipe' });
    const run = await runCli(['heap', 'diff', first, second, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as HeapDiffResult;
    expect(result.sameProcess.sameProcess).toBe(false);
    expect(result.sameProcess.reason).toMatch(
      /: not taken in one inspector session: V8 numbers heap objects afresh whenever a session ends \(disabling its HeapProfiler clears the ids\), .* take both in one session: imdiag heap capture --count 2 --every 30s$/,
    );
    const text = await runCli(['heap', 'diff', first, second]);
    expect(text.stdout.split('\n').filter((line) => line.includes('not taken in one inspector session'))).toHaveLength(1);
  });

  it.each([
    [['heap', join(dir, 'missing.heapsnapshot')], /missing\.heapsnapshot: no such file$/],
    [['heap', 'NOTES'], /notes\.txt is not a V8 heap snapshot: unexpected 'h' at byte 0$/],
    [['heap', 'CUT'], /cut\.heapsnapshot is truncated: it ends at byte [\d,]+ \(of [\d,]+\), inside "\w+"; write the snapshot again$/],
    [['heap', 'diff', 'ONE'], /heap diff takes 2 or 3 snapshots/],
  ])('bad input %j: one line, exit 2', async (argv, message) => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    const cut = join(dir, 'cut.heapsnapshot');
    writeFileSync(cut, readFileSync(a).subarray(0, 100_000));
    const args = argv.map((arg) => (arg === 'NOTES' ? notes : arg === 'CUT' ? cut : arg === 'ONE' ? a : arg));
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
