import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { WatchResult } from '../../src/results/watch.js';
import { runCli } from '../helpers/cli.js';
import { startTarget, type Target } from '../helpers/node-target.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-watch-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imdiag watch --capture-at', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.stop();
    target = undefined;
  });

  // 400 KB kept every 50 ms (~5 MB/s measured on a loaded machine) under a 64 MB old generation: 30 % is crossed within seconds, long before the OOM.
  it('a growing process: one snapshot when the heap crosses the share, which imdiag heap reads', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 400, inspect: 'now', maxOldSpaceSizeMB: 64 });
    const file = join(dir, 'at-30.heapsnapshot');
    const run = await runCli(
      ['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--capture-at', '30%', '--capture-file', file, '--duration', '15s', '--json'],
      {
        timeoutMs: 120_000,
      },
    );
    const result = JSON.parse(run.stdout) as WatchResult;
    expect(result.capture, run.stderr).toMatchObject({ status: 'taken', atShare: 0.3, file });
    if (result.capture?.status !== 'taken') return;
    expect(result.capture.share).toBeGreaterThanOrEqual(0.3);
    expect(result.capture.share).toBeLessThan(1);
    expect(result.capture.bytes).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(true);
    expect(result.notes.join('\n')).toContain(`read it with npx imdiag heap ${file}`);
    expect(run.stderr).toMatch(/crossed 30 % of its limit; taking one heap snapshot/);
    const heap = await runCli(['heap', file, '--json'], { timeoutMs: 120_000 });
    expect(heap.code, heap.stderr).toBe(0);
    expect(JSON.parse(heap.stdout).command).toBe('heap');
  });

  it('a steady process stays below: no snapshot, said so', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'now', maxOldSpaceSizeMB: 256 });
    const run = await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--capture-at', '90%', '--duration', '2s', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as WatchResult;
    expect(result.capture).toEqual({ status: 'not-reached', atShare: 0.9 });
    expect(result.notes.join('\n')).toContain('--capture-at 90.0 %: the heap stayed below it');
  });
});
