import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { startTarget, type Target } from '../helpers/node-target.js';
import { sleep, waitForConnection } from '../helpers/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parsesAsSnapshot(file: string): void {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[] }; node_count: number }; nodes: number[] };
  expect(snapshot.snapshot.meta.node_fields).toContain('self_size');
  expect(snapshot.nodes.length).toBe(snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length);
}

describe('imdiag heap capture', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.stop();
    target = undefined;
  });

  it('--inspect: streams a snapshot that parses, and imdiag heap reads it', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'now' });
    const out = join(dir, 'inspect.heapsnapshot');
    const run = await runCli(['heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ command: 'heap-capture', out, capture: { pid: target.pid, forced: false } });
    expect(result.capture.chunks).toBeGreaterThan(1);
    parsesAsSnapshot(out);
    expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
    const read = await runCli(['heap', out, '--top', '3']);
    expect(read.code).toBe(0);
  });

  it('--pid --open-inspector: opens the inspector with SIGUSR1 first', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'on-signal' });
    const out = join(dir, 'pid.heapsnapshot');
    const run = await runCli(['heap', 'capture', '--pid', String(target.pid), '--open-inspector', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/heap snapshot written to .*pid\.heapsnapshot: [\d.]+ MB/);
    expect(run.stdout).toMatch(/opened with SIGUSR1/);
    parsesAsSnapshot(out);
    expect(target.child.exitCode).toBeNull();
  });

  it('never writes over a file; refuses bad flags in one line', async () => {
    const existing = join(dir, 'mine.heapsnapshot');
    writeFileSync(existing, 'precious');
    for (const [args, message] of [
      [['heap', 'capture', '--inspect', '127.0.0.1:9229', '--out', existing], /--out \S+ exists; imdiag never writes over a file/],
      [['heap', 'capture', '--pid', '5', '--out', join(dir, 'x')], /--pid needs --open-inspector for a capture/],
      [['heap', 'capture', '--inspect', '10.0.0.1:9229', '--out', join(dir, 'x')], /--inspect 10\.0\.0\.1 is not a loopback address; add --allow-remote/],
      [['heap', 'capture', '--inspect', '127.0.0.1:9229'], /--out FILE is required/],
      [['heap', 'capture', '--out', join(dir, 'x')], /needs one of --pid N --open-inspector or --inspect HOST:PORT/],
    ] as const) {
      const run = await runCli([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    expect(readFileSync(existing, 'utf8')).toBe('precious');
  });

  it('an unreachable inspector is one line within seconds', async () => {
    const started = Date.now();
    const run = await runCli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', join(dir, 'none.heapsnapshot')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^imdiag: cannot reach the inspector at 127\.0\.0\.1:1: connection refused/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('Ctrl-C during a capture leaves no file and the target running', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 2000, inspect: 'now' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const out = join(dir, 'stopped.heapsnapshot');
    const child = spawn(process.execPath, [BIN, 'heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // After imdiag has started (its Ctrl-C handler installed), well before a ~100 MB heap's snapshot is done.
    await waitForConnection(child.pid!, target.inspectPort!);
    await sleep(1_000);
    child.kill('SIGINT');
    const code = await closed;
    if (code === 0) return; // the snapshot finished first: nothing to check
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopped \(Ctrl-C\); no file was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(target.child.exitCode).toBeNull();
  });
});
