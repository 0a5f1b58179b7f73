import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSpiderExample, type SpiderExample } from '../../bench/spider-example.js';
import type { FloodTargetResult } from '../../src/results/flood-target.js';
import { BIN, runCli, type CliRun } from '../helpers/cli.js';

// Each POST adds ~200 bytes to the 100 points every push carries (~25 KB a chart): per-message at
// 100 POST/s sends a 16 KB/s monitor ~2.5 MB/s, so its backlog grows in seconds; interval (1 s)
// sends it 25 KB/s — more than it reads, so the interval test reads at 64 KB/s.
const DATA = 'x'.repeat(160);
const BODY = `{"t":{{now}},"seq":{{seq}},"op":"db.query","ms":{{rand}},"data":"${DATA}"}`;
const SERVER_ARGS = ['--points', '100', '--interval', '1000'];
const LOAD = ['--rate', '100', '--clients', '3', '--slow-clients', '1', '--body', BODY, '--json'];

let server: SpiderExample | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The example server's own count of connected dashboards (ws + socket.io). */
async function monitorsConnected(port: number): Promise<number> {
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^spider_monitors (\d+)/m.exec(page)?.[1]);
}

async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

function parse(run: CliRun): FloodTargetResult {
  expect(run.stderr).not.toContain('unexpected');
  return JSON.parse(run.stdout) as FloodTargetResult;
}

describe('imdiag flood --target: bad input', () => {
  it.each([
    [['--strategy', 'interval'], '--strategy does not apply with --target'],
    [['--compare'], '--compare does not apply with --target'],
    [['--interval', '1s'], '--interval does not apply with --target'],
    [['--high-water', '1mb'], '--high-water does not apply with --target'],
    [['--max-old-space-size', '64'], '--max-old-space-size does not apply with --target'],
    [['--payload', '1kb'], '--payload does not apply with --target'],
    [['--socket-io', 'http://127.0.0.1:1'], '--socket-io needs --event NAME'],
    [['--inspect', '10.1.2.3:9229'], '--inspect 10.1.2.3 is not a loopback address'],
    [['--body', '/nonexistent/body.json'], '--body must be JSON'],
  ])('%j exits 2 with one line', async (args, message) => {
    const run = await runCli(['flood', '--target', 'http://127.0.0.1:1/api/data', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
  });

  it('a non-loopback target without --allow-remote exits 2', async () => {
    const run = await runCli(['flood', '--target', 'http://192.0.2.1/api/data']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('imdiag: --target 192.0.2.1 is not a loopback address; add --allow-remote to send load to another machine');
  });

  it('target flags without --target exit 2', async () => {
    const run = await runCli(['flood', '--ws', 'ws://127.0.0.1:1/live']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('imdiag: --ws needs --target URL (it applies to your own server, not to the simulator)');
  });

  it('an unreachable target is one clear line within seconds (exit 1)', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = await runCli(['flood', '--target', `http://127.0.0.1:${port}/api/data`, '--duration', '5s']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`imdiag: cannot reach --target http://127.0.0.1:${port}/api/data: ECONNREFUSED`);
  });
});

describe('imdiag flood --target: a bad memory source against a live target', () => {
  it('an unreachable inspector, a page without heap metrics, a pid that does not exist: one line each', async () => {
    server = await startSpiderExample({ args: SERVER_ARGS });
    const target = ['flood', '--target', `http://127.0.0.1:${server.port}/api/data`, '--duration', '2s'];
    const closed = await closedPort();
    const started = Date.now();
    const inspector = await runCli([...target, '--inspect', `127.0.0.1:${closed}`]);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(inspector.code).toBe(1);
    expect(inspector.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^imdiag: .*127\\.0\\.0\\.1:${closed}`));
    const page = await runCli([...target, '--metrics', `http://127.0.0.1:${server.port}/`]);
    expect(page.code).toBe(2);
    expect(page.stderr.trim().split('\n').at(-1)).toContain('serves no nodejs_heap_size_used_bytes');
    const pid = await runCli([...target, '--pid', '4194000']);
    expect(pid.code).not.toBe(0);
    expect(pid.stderr.trim().split('\n').at(-1)).toMatch(/^imdiag: .*4194000/);
    // None of them sent load: the server saw no POST.
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(/^spider_posts_received_total (\d+)/m.exec(metrics)?.[1]).toBe('0');
  });
});

describe('imdiag flood --target against examples/spider', () => {
  it('ws monitors, per-message push, --metrics: growing; --fail-on growing exits 1; every connection closed', async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message', ...SERVER_ARGS] });
    const { port } = server;
    const run = await runCli(
      [
        'flood',
        '--target',
        `http://127.0.0.1:${port}/api/data`,
        '--ws',
        `ws://127.0.0.1:${port}/live`,
        '--metrics',
        `http://127.0.0.1:${port}/metrics`,
        '--slow-read',
        '16kb',
        '--duration',
        '8s',
        '--fail-on',
        'growing',
        ...LOAD,
      ],
      { timeoutMs: 60_000 },
    );
    const result = parse(run);
    expect(result.command).toBe('flood-target');
    expect(result.outcome).toBe('completed');
    expect(result.verdict).toBe('growing');
    expect(result.memory!.source).toBe('metrics');
    expect(result.memory!.analysis.secondsToLimit).toBeGreaterThan(0);
    // The open-loop schedule asked for 800 sends in 8 s; every send is accounted for. How many the
    // server answered depends on how loaded this machine is, so only "most" is asserted.
    expect(result.producers.scheduled).toBeGreaterThanOrEqual(790);
    expect(result.producers.sent + result.producers.missed).toBe(result.producers.scheduled);
    expect(result.producers.ok + result.producers.failed).toBe(result.producers.sent);
    expect(result.producers.ok).toBeGreaterThan(result.producers.scheduled / 2);
    expect(result.monitors!.fast.messages).toBeGreaterThan(0);
    expect(result.monitors!.slow!.deliveryLatency!.p50Ms).toBeGreaterThan(result.monitors!.fast.deliveryLatency!.p50Ms);
    expect(result.failOn).toEqual([expect.objectContaining({ condition: 'growing', held: true })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('imdiag: --fail-on growing: verdict is growing');
    expect(await eventually(async () => (await monitorsConnected(port)) === 0)).toBe(true);
  });

  it('socket.io monitors, interval push, --inspect with forced collections: bounded; --fail-on growing exits 0', async () => {
    server = await startSpiderExample({ args: ['--push', 'interval', ...SERVER_ARGS], inspect: true });
    const { port } = server;
    // A few seconds of raw heap readings carry young-generation growth; forced collections read the live heap.
    const run = await runCli(
      [
        'flood',
        '--target',
        `http://127.0.0.1:${port}/api/data`,
        '--header',
        'Authorization: Bearer s3cret',
        '--socket-io',
        `http://127.0.0.1:${port}`,
        '--event',
        'chart',
        '--inspect',
        `127.0.0.1:${server.inspectPort}`,
        '--force-gc-every',
        '500ms',
        '--slow-read',
        '64kb',
        '--duration',
        '8s',
        '--fail-on',
        'growing',
        ...LOAD,
      ],
      { timeoutMs: 60_000 },
    );
    const result = parse(run);
    expect(result.memory!.source).toBe('inspector');
    expect(result.verdict).toBe('bounded');
    expect(result.memory!.analysis.series.find((s) => s.series === 'heap')!.fittedOn).toBe('after-forced-gc');
    expect(result.warnings.join()).toContain('changed the target');
    expect(result.producers.statuses).toEqual({ 204: result.producers.ok });
    expect(run.stdout).not.toContain('s3cret');
    expect(result.params.headers).toEqual([['Authorization', '***']]);
    expect(result.monitors!.fast.messages).toBeGreaterThanOrEqual(10);
    expect(result.monitors!.slow!.messages).toBeGreaterThanOrEqual(5);
    expect(result.monitors!.fast.deliveryLatency).not.toBeNull();
    expect(run.code).toBe(0);
    expect(await eventually(async () => (await monitorsConnected(port)) === 0)).toBe(true);
  });

  it('a target killed mid-run is an outcome: when it died, its last reading; --fail-on died exits 1', async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message', ...SERVER_ARGS] });
    const { port } = server;
    const victim = server;
    const running = runCli(
      [
        'flood',
        '--target',
        `http://127.0.0.1:${port}/api/data`,
        '--ws',
        `ws://127.0.0.1:${port}/live`,
        '--metrics',
        `http://127.0.0.1:${port}/metrics`,
        '--duration',
        '20s',
        '--fail-on',
        'died',
        ...LOAD,
      ],
      { timeoutMs: 60_000 },
    );
    // Killed once imdiag's load is running (its monitors connected), however long its start took.
    expect(await eventually(async () => (await monitorsConnected(port)) >= 1, 30_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    victim.child.kill('SIGKILL');
    const run = await running;
    const result = parse(run);
    expect(result.outcome).toBe('died');
    expect(result.verdict).toBe('died');
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.death!.afterMs).toBeGreaterThan(500);
    expect(result.death!.lastHeapUsedBytes).toBeGreaterThan(0);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--fail-on died');
  });

  it('a target that runs out of memory: died, and the limit was its own --max-old-space-size', async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message', '--points', '500'], nodeArgs: ['--max-old-space-size=48'], inspect: true });
    const { port } = server;
    const run = await runCli(
      [
        'flood',
        '--target',
        `http://127.0.0.1:${port}/api/data`,
        '--socket-io',
        `http://127.0.0.1:${port}`,
        '--event',
        'chart',
        '--inspect',
        `127.0.0.1:${server.inspectPort}`,
        '--slow-read',
        '16kb',
        '--duration',
        '40s',
        ...LOAD,
      ],
      { timeoutMs: 90_000 },
    );
    const result = parse(run);
    expect(result.outcome).toBe('died');
    // Whichever notices first: the inspector closing, or the port refusing the producers.
    expect(result.death!.detectedBy).toMatch(/inspector|refused connections/);
    expect(result.death!.lastHeapUsedBytes).toBeGreaterThan(20 * 2 ** 20);
    const heap = result.memory!.analysis.series.find((series) => series.series === 'heap')!;
    expect(heap.limit).toEqual({ bytes: 48 * 2 ** 20, source: '--max-old-space-size (execArgv)' });
    expect(run.code).toBe(0);
    expect((await server.exited).signal ?? (await server.exited).code).toBeTruthy();
  });

  it('Ctrl-C stops the load, closes every connection and never reports success', async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message', ...SERVER_ARGS] });
    const { port } = server;
    const child = spawn(
      process.execPath,
      [
        BIN,
        'flood',
        '--target',
        `http://127.0.0.1:${port}/api/data`,
        '--ws',
        `ws://127.0.0.1:${port}/live`,
        '--pid',
        String(server.pid),
        '--duration',
        '60s',
        ...LOAD,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    expect(await eventually(async () => (await monitorsConnected(port)) === 3, 10_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stoppedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(code).toBe(130);
    const result = JSON.parse(stdout) as FloodTargetResult;
    expect(result.outcome).toBe('stopped');
    expect(result.memory!.source).toBe('pid');
    expect(result.problems.join()).toContain('stopped early');
    expect(await eventually(async () => (await monitorsConnected(port)) === 0)).toBe(true);
  });
});
