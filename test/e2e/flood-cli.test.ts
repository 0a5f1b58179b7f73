import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FloodResult } from '../../src/results/flood.js';
import { BIN, runCli } from '../helpers/cli.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

async function expectNothingLeft(result: FloodResult): Promise<void> {
  for (const run of result.runs) {
    expect(run.server.pid).toBeTypeOf('number');
    expect(isAlive(run.server.pid!)).toBe(false);
    expect(await portRefuses(run.server.port!)).toBe(true);
  }
}

// A deliberately slow monitor: 16 KB/s against pushes of ~200 KB, 50 times a second.
const SLOW_LOAD = ['--rate', '50', '--payload', '2kb', '--clients', '3', '--slow-clients', '1', '--slow-read', '16kb'];

describe('imdiag flood (end to end)', () => {
  it.each([
    [['--rate', '0'], '--rate'],
    [['--clients', '2', '--slow-clients', '3'], '--slow-clients must not exceed --clients'],
    [['--strategy', 'nope'], '--strategy must be one of per-message, interval, backpressure'],
    [['--duration', 'forever'], '--duration must be a duration'],
    [['--strategy', 'interval', '--compare'], '--strategy and --compare'],
  ])('exits 2 with one line naming the flag for %j', async (args, message) => {
    const run = await runCli(['flood', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
  });

  it('--compare with a slow monitor: per-message grows, interval and backpressure stay bounded; nothing is left running', async () => {
    const run = await runCli(['flood', ...SLOW_LOAD, '--duration', '8s', '--compare', '--json'], { timeoutMs: 120_000 });
    expect(run.stderr).not.toContain('unexpected');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as FloodResult;
    expect(result.command).toBe('flood');
    expect(result.runs.map((r) => r.strategy)).toEqual(['per-message', 'interval', 'backpressure']);
    const [perMessage, interval, backpressure] = result.runs;
    expect(perMessage!.verdict).toBe('growing');
    expect(perMessage!.projection!.secondsToLimit).toBeGreaterThan(0);
    expect(interval!.verdict).toBe('bounded');
    expect(backpressure!.verdict).toBe('bounded');
    expect(backpressure!.server.pushesSkipped).toBeGreaterThan(0);
    // The slow monitor really fell behind under per-message: its send buffer filled.
    expect(perMessage!.bufferedMaxMB).toBeGreaterThan(10 * backpressure!.bufferedMaxMB);
    for (const r of result.runs) {
      expect(r.outcome).toBe('completed');
      expect(r.samples.length).toBeGreaterThan(10);
      expect(r.monitors.fast.messages).toBeGreaterThan(0);
    }
    await expectNothingLeft(result);
  });

  it('reports a server that runs out of heap as died, not as a crash', async () => {
    const run = await runCli(['flood', ...SLOW_LOAD, '--max-old-space-size', '32', '--duration', '30s', '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as FloodResult;
    expect(result.runs[0]!.outcome).toBe('died');
    expect(result.runs[0]!.verdict).toBe('died');
    // Recognised by the child harness exactly like a compare-unread strategy child that runs out of heap.
    expect(result.runs[0]!.exit!.oom).toBe(true);
    expect(result.warnings.join('\n')).toContain('died');
    await expectNothingLeft(result);
  });

  it('Ctrl-C stops the run early, still prints the result and leaves nothing behind', async () => {
    const child = spawn(process.execPath, [BIN, 'flood', ...SLOW_LOAD, '--duration', '60s', '--json'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Interrupt once the load is running, as a terminal does: the whole process group, server child included.
      if (chunk.includes('flood: per-message')) setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 3000);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toContain('stopping');
    expect(code).toBe(130); // a run stopped by a signal never reports success
    const result = JSON.parse(stdout) as FloodResult;
    expect(result.stoppedEarly).toBe(true);
    expect(result.runs[0]!.outcome).toBe('stopped');
    expect(result.runs[0]!.durationMs).toBeLessThan(50_000);
    await expectNothingLeft(result);
  });

  it('prints the side-by-side table and charts without --json', async () => {
    const run = await runCli([
      'flood',
      '--rate',
      '20',
      '--clients',
      '2',
      '--slow-clients',
      '0',
      '--duration',
      '3s',
      '--strategy',
      'interval',
      '--interval',
      '500ms',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('heap used over time');
    expect(run.stdout).toMatch(/interval: (bounded|inconclusive)/);
  });
});
