import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchResult } from '../../src/results/watch.js';
import { BIN, runCli } from '../helpers/cli.js';
import { startTarget, type Target } from '../helpers/node-target.js';
import { sleep, waitForConnection } from '../helpers/processes.js';

const json = (stdout: string) => JSON.parse(stdout) as WatchResult;

describe('imdiag watch end to end', () => {
  let target: Target | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await target?.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    target = server = undefined;
  });

  it('--inspect: a leaking process is growing, projected to its --max-old-space-size; --fail-on growing exits 1', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 200, inspect: 'now', maxOldSpaceSizeMB: 256 });
    const run = await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', '8s', '--json', '--fail-on', 'growing']);
    expect(run.code).toBe(1);
    const result = json(run.stdout);
    expect(result.command).toBe('watch');
    expect(result.analysis.verdict).toBe('growing');
    expect(result.analysis.worstSeries).toBe('heap');
    const heap = result.analysis.series.find((item) => item.series === 'heap')!;
    expect(heap.limit).toEqual({ bytes: 256 * 1024 * 1024, source: '--max-old-space-size (execArgv)' });
    expect(result.analysis.secondsToLimit).toBeGreaterThan(0);
    expect(result.projectedDeathAt).not.toBeNull();
    expect(result.problems.join()).toMatch(/--fail-on growing: verdict is growing/);
    expect(run.stderr).toMatch(/imdiag: --fail-on growing/);
    expect(target.child.exitCode).toBeNull();
  });

  it('--until-verdict stops once the verdict settles on growing with a narrow range, never before the minute', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 100, inspect: 'now', maxOldSpaceSizeMB: 1024 });
    const run = await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--until-verdict', '--duration', '100s', '--json'], {
      timeoutMs: 150_000,
    });
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.outcome).toBe('verdict-reached');
    expect(result.analysis.verdict).toBe('growing');
    expect(result.analysis.watchLonger).toBe(false);
    expect(result.watchedMs).toBeGreaterThanOrEqual(60_000);
  }, 180_000);

  it('a small-object leak with garbage: projected from the old generation plus the survivors, the young generation from the target, the death inside a loose range', async () => {
    target = await startTarget({ behaviour: 'small-leak', inspect: 'now', maxOldSpaceSizeMB: 48 });
    const run = await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', '12s', '--json']);
    const finishedAt = Date.now();
    const result = json(run.stdout);
    // What the result says it used: the young generation as heap_size_limit less the cap (48 MB on Node 20).
    expect(result.target.youngGeneration).toEqual({
      bytes: result.target.heapSizeLimit! - 48 * 1024 * 1024,
      from: 'heap_size_limit less --max-old-space-size',
    });
    const heap = result.analysis.series.find((item) => item.series === 'heap')!;
    expect(heap.measure).toBe('old-generation-and-survivors');
    // Under a 48 MB cap the target's own major collections come often enough to be the troughs; else its scavenges.
    expect(['after-scavenge', 'after-major-gc']).toContain(heap.fittedOn);
    expect(heap.basis).toMatch(/survivors, read right after \d+ (scavenges|major collections)/);
    expect(result.analysis.verdict).toBe('growing');
    const [early, late] = result.analysis.secondsToLimitRange!;
    await target.exited;
    const actualS = (Date.now() - finishedAt) / 1000;
    // Loosely (a loaded 2-core machine slows the leak and the death alike): within half the early end and twice the late one.
    expect(actualS).toBeGreaterThan(early / 2);
    if (late !== null) expect(actualS).toBeLessThan(late * 2 + 5);
    expect(target.stderr()).toMatch(/heap out of memory/);
  }, 180_000);

  it('--pid --open-inspector: a steady process is bounded; --fail-on growing exits 0; the text names the verdict', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'on-signal' });
    const run = await runCli(['watch', '--pid', String(target.pid), '--open-inspector', '--duration', '8s', '--fail-on', 'growing']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/via inspector 127\.0\.0\.1:\d+ \(opened with SIGUSR1\)/);
    expect(run.stdout).toMatch(/^BOUNDED — /m);
    expect(run.stdout).toMatch(/--fail-on growing: does not hold/);
  });

  it('--pid alone: RSS only, nothing asked of the process', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'on-signal' });
    const run = await runCli(['watch', '--pid', String(target.pid), '--duration', '3s', '--interval', '100ms', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.analysis.series.map((item) => item.series)).toEqual(['rss']);
    expect(result.last?.heapUsed).toBeNull();
    // Named as what it is: RSS, never "heap".
    const text = await runCli(['watch', '--pid', String(target.pid), '--duration', '3s', '--interval', '100ms']);
    expect(text.stdout).not.toMatch(/heap/);
    expect(text.stdout).toMatch(/│ series +│ +last +│/);
    expect(target.stderr()).not.toMatch(/Debugger listening/);
  });

  it('--metrics: reads prom-client names from the page', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'on-signal', metrics: true });
    const run = await runCli(['watch', '--metrics', `http://127.0.0.1:${target.metricsPort}/metrics`, '--duration', '3s', '--json']);
    expect(run.code).toBe(0);
    const result = json(run.stdout);
    expect(result.params.source).toBe('metrics');
    expect(result.last?.heapUsed).toBeGreaterThan(0);
    expect(result.last?.rss).toBeGreaterThan(0);
    expect(result.analysis.series.map((item) => item.series)).toEqual(['heap', 'external', 'rss']);
  });

  it('a target that dies mid-run is an outcome: died after …, with its last reading', async () => {
    target = await startTarget({ behaviour: 'leak', leakKbPerTick: 400, inspect: 'now', maxOldSpaceSizeMB: 48 });
    const run = await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', '60s']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^DIED — node\[\d+\] went away after [\d.]+ s \(the inspector connection closed/m);
    expect(run.stdout).toMatch(/last reading: heap [\d.]+ MB/);
    const exit = await target.exited;
    expect(exit.code ?? exit.signal).not.toBe(0);
  });

  it('Ctrl-C stops the watch early: the result is printed, exit 130, the target keeps running', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'now' });
    const child = spawn(process.execPath, [BIN, 'watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', '60s', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Once imdiag catches Ctrl-C, and then a few readings into the watch.
    await waitForConnection(child.pid!, target.inspectPort!);
    await sleep(2_000);
    child.kill('SIGINT');
    const code = await closed;
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopping/);
    const result = json(stdout);
    expect(result.outcome).toBe('stopped');
    expect(result.problems[0]).toMatch(/stopped early after/);
    expect(target.child.exitCode).toBeNull();
  });
});

describe('imdiag watch: bad input, one line each', () => {
  it.each([
    [['watch'], 2, /give a memory source: --inspect HOST:PORT, --pid N/],
    [['watch', '--inspect', '10.1.2.3:9229'], 2, /--inspect 10\.1\.2\.3 is not a loopback address; add --allow-remote/],
    [['watch', '--metrics', 'http://192.168.1.9/metrics'], 2, /--metrics 192\.168\.1\.9 is not a loopback address/],
    [['watch', '--inspect', '127.0.0.1:9229', '--pid', '5'], 2, /exclude each other/],
    [['watch', '--pid', '5', '--force-gc-every', '2s'], 2, /--force-gc-every needs the inspector/],
    [['watch', '--inspect', '127.0.0.1:9229', '--duration', '0'], 2, /--duration must be a duration/],
    [['watch', '--inspect', '127.0.0.1:9229', '--fail-on', 'shrinking'], 2, /--fail-on: 'shrinking' is not a condition/],
    [['watch', '--pid', String(2 ** 22 - 3)], 2, /--pid \d+: no such process/],
  ])('%j', async (args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an inspector that does not answer: a clear error within seconds', async () => {
    const started = Date.now();
    const run = await runCli(['watch', '--inspect', '127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'imdiag: cannot reach the inspector at 127.0.0.1:1: connection refused (is the process running with --inspect, or was it started with another port?)',
    );
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('a metrics page without heap metrics', async () => {
    const server = createServer((_request, response) => response.end('# TYPE up gauge\nup 1\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['watch', '--metrics', `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(
        /^imdiag: --metrics \S+ serves no nodejs_heap_size_used_bytes or nodejs_heap_size_total_bytes; point it at a page with prom-client's default metrics/,
      );
    } finally {
      server.close();
    }
  });

  it('a pid that is not Node is left alone; one that is not ours is refused', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const run = await runCli(['watch', '--pid', String(sleeper.pid), '--open-inspector']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--pid \d+ is \S*sleep, not a Node process; SIGUSR1 would terminate it/);
      expect(sleeper.exitCode).toBeNull();
      // As another user (nobody), our own process is not ours to signal. Only as root, and only
      // where nobody can reach bin/imdiag.js (a checkout under a private mktemp -d is out of its reach).
      if (process.getuid?.() === 0 && readableByOthers(BIN)) {
        const other = spawn(process.execPath, [BIN, 'watch', '--pid', String(sleeper.pid), '--open-inspector'], {
          uid: 65534,
          gid: 65534,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        other.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const code = await new Promise<number | null>((resolve) => other.on('close', resolve));
        expect(stderr.trim()).toMatch(/^imdiag: --pid \d+: the process is not ours to signal \(it belongs to another user\)$/);
        expect(code).toBe(2);
      }
    } finally {
      sleeper.kill();
    }
  });
});

/** Every folder above `file` searchable by others and the file readable by them. */
function readableByOthers(file: string): boolean {
  const folders: string[] = [];
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder)) folders.push(folder);
  return (statSync(file).mode & 0o004) !== 0 && folders.every((folder) => (statSync(folder).mode & 0o001) !== 0);
}
