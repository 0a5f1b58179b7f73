import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { startTarget, type Target } from '../helpers/node-target.js';

const PTY = fileURLToPath(new URL('../helpers/pty-stderr.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imdiag-capture-pause-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** imdiag with its stderr on a pseudo-terminal (python3's pty module) and its stdout on a pipe. */
async function withTtyStderr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout } = await promisify(execFile)('python3', [PTY, process.execPath, BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 2 ** 20,
    timeout: 120_000,
  });
  return JSON.parse(stdout) as { code: number; stdout: string; stderr: string };
}

describe('heap capture tells the pause', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.stop();
    target = undefined;
  });

  it('on a terminal: a lower bound first, that it cannot be cancelled, then V8 progress with elapsed time; --json keeps stdout pure', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'now' });
    const out = join(dir, 'tty.heapsnapshot');
    const run = await withTtyStderr(['heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'heap-capture', out });
    const lines = run.stderr.split(/\r?\n|\r/).map((line) => line.replace(/\x1b\[2K/g, ''));
    const bound = lines.findIndex((line) =>
      /^node\[\d+\] stops while V8 builds and writes the snapshot: at least [\d.]+ s for its [\d.]+ [KM]B heap$/.test(line),
    );
    expect(bound, run.stderr).toBeGreaterThanOrEqual(0);
    expect(lines[bound + 1]).toMatch(/^\(a lower bound from the size alone/);
    expect(lines[bound + 2]).toMatch(/^A started snapshot cannot be cancelled: Ctrl-C stops imdiag, not V8/);
    const progress = lines.filter((line) => line.startsWith('V8 building the snapshot, target paused:'));
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1)!;
    const [, done, total] = /100% ([\d,]+)\/([\d,]+) .* objects\/s .*, \d+s elapsed$/.exec(last) ?? [];
    expect(done, last).toBeDefined();
    expect(done).toBe(total);
    expect(lines.indexOf(last)).toBeGreaterThan(bound);
    expect(readFileSync(out, 'utf8').startsWith('{"snapshot":')).toBe(true);
  }, 180_000);
});
