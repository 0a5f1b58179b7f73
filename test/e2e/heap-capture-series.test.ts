import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectInspector } from '../../src/lib/inspector/client.js';
import { BIN, runCli } from '../helpers/cli.js';
import { startTarget, type Target } from '../helpers/node-target.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imdiag heap capture --count N --every T (one inspector session)', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.stop();
    target = undefined;
  });

  it('writes N files whose object ids heap diff accepts as one process', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 20, inspect: 'now' });
    const out = join(dir, 'series.heapsnapshot');
    const run = await runCli(['heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', out, '--count', '2', '--every', '1s', '--json'], {
      timeoutMs: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    const files = [join(dir, 'series.1.heapsnapshot'), join(dir, 'series.2.heapsnapshot')];
    expect(result.series.map((s: { out: string }) => s.out)).toEqual(files);
    expect(files.every((file) => existsSync(file))).toBe(true);
    const diff = await runCli(['heap', 'diff', ...files, '--json'], { timeoutMs: 120_000 });
    expect(diff.code).toBe(0);
    const diffResult = JSON.parse(diff.stdout);
    expect(diffResult.sameProcess.sameProcess, diffResult.sameProcess.reason).toBe(true);
    expect(diffResult.sameProcess.idsKept).toBeGreaterThan(0.5);
  }, 180_000);

  it('stops with one line when another session resets the ids between snapshots', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'now' });
    const out = join(dir, 'reset.heapsnapshot');
    const child = spawn(
      process.execPath,
      [BIN, 'heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', out, '--count', '2', '--every', '4s'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Wait for the first file, then another session enables and disables the HeapProfiler (as DevTools closing does).
    const first = join(dir, 'reset.1.heapsnapshot');
    while (!existsSync(first)) await new Promise((resolve) => setTimeout(resolve, 100));
    const other = await connectInspector({ host: '127.0.0.1', port: target.inspectPort! });
    await other.send('HeapProfiler.enable');
    await other.send('HeapProfiler.disable');
    await other.close();
    expect(await closed).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/another inspector session reset the target's heap object ids/);
    expect(existsSync(join(dir, 'reset.2.heapsnapshot'))).toBe(false);
  }, 120_000);

  it('--every without --count is refused in one line', async () => {
    const run = await runCli(['heap', 'capture', '--inspect', '127.0.0.1:9229', '--out', join(dir, 'x.heapsnapshot'), '--every', '2s']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--every needs --count 2 or more/);
  });
});
