/**
 * `npm run bench:watch`: `imdiag watch` against real processes, in one run.
 *
 * 1. Time to OOM against a real death: a target started with --max-old-space-size=96 leaks at a
 *    steady rate; `imdiag watch --inspect` watches it for --watch seconds and projects its death;
 *    the benchmark then lets it die and compares. Target: the projected remaining time within
 *    ±25 % of the real one.
 * 2. What sampling costs the target: autocannon against a tiny HTTP server with and without
 *    `imdiag watch` attached at 4 Hz (alternated, 3 times each). Target: < 5 % fewer requests/s.
 *    On a shared machine that ratio is mostly noise, so the target's own CPU time while idle,
 *    without and with the watch, is measured too: what answering the readings costs it.
 *
 *   npm run bench:watch -- [--leak-kb 50] [--watch 60s] [--load 5s] [--only oom|cost]   (--help lists the flags)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { collectEnvironment } from '../src/lib/environment.js';
import type { WatchResult } from '../src/results/watch.js';
import { benchArgs, flag, optional } from './args.js';
import { repoPath } from './repo.js';

const values = benchArgs(
  {
    name: 'bench:watch',
    about: 'imdiag watch against real processes: its time-to-OOM projection against a real death, and what 4 Hz sampling costs the target.',
  },
  {
    'leak-kb': flag.integer('KB of strings the OOM target keeps every 50 ms', 50, 1, 10_000),
    watch: flag.duration('how long imdiag watches the OOM target', '60s', 5_000, 600_000),
    load: flag.duration('each autocannon round of the cost measurement', '5s', 2_000, 120_000),
    only: optional(flag.choice('', 'oom', ['oom', 'cost'] as const), 'run one part only (default: both; allowed: oom, cost)'),
  },
);
const leakKbPerTick = values['leak-kb'];
const watchMs = values.watch;
const loadMs = values.load;
const BIN = repoPath('bin/imdiag.js');
const log = (line: string) => process.stderr.write(`${line}\n`);

// Leaks leakKbPerTick KB of distinct strings every 50 ms, beside short-lived garbage, as a server's cache would.
const LEAKER = `const kept = []; setInterval(() => { for (let i = 0; i < ${leakKbPerTick}; i += 1) kept.push(String(kept.length).padEnd(1000, 'x')); const g = []; for (let i = 0; i < 2000; i += 1) g.push({ i }); }, 50);`;
const HTTP_SERVER = `require('node:http').createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\\n'); });`;

interface Started {
  child: ChildProcess;
  inspectPort: number;
  httpPort: number | null;
  startedAt: number;
  exited: Promise<number>;
}

function startNode(args: string[], script: string, waitForHttp: boolean): Promise<Started> {
  const child = spawn(process.execPath, [...args, '--inspect=127.0.0.1:0', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const startedAt = Date.now();
  const exited = new Promise<number>((resolve) => child.on('exit', () => resolve(Date.now())));
  let stderr = '';
  let stdout = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const inspectPort = Number(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0);
      const httpPort = Number(/port (\d+)/.exec(stdout)?.[1] ?? 0);
      if (inspectPort && (!waitForHttp || httpPort)) resolve({ child, inspectPort, httpPort: httpPort || null, startedAt, exited });
    };
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), check()));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), check()));
    void exited.then(() => reject(new Error(`target exited early: ${stderr}`)));
  });
}

function imdiag(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; finishedAt: number }> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, finishedAt: Date.now() }))) };
}

async function timeToOom(): Promise<{
  projectedS: number | null;
  actualS: number;
  errorPct: number | null;
  lifetimeS: number;
  projectedLifetimeS: number | null;
  result: WatchResult;
}> {
  const target = await startNode(['--max-old-space-size=96'], LEAKER, false);
  log(`time to OOM: target pid ${target.child.pid} leaks ${leakKbPerTick} KB every 50 ms under --max-old-space-size=96; watching it ${watchMs / 1000} s`);
  const run = imdiag(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', `${watchMs}ms`, '--json']);
  const { stdout, finishedAt } = await run.done;
  const result = JSON.parse(stdout) as WatchResult;
  const projectedS = result.analysis.secondsToLimit;
  log(`  verdict ${result.analysis.verdict}, projected death in ${projectedS?.toFixed(1) ?? '–'} s; waiting for it`);
  const timeout = setTimeout(() => target.child.kill('SIGKILL'), 15 * 60_000);
  const diedAt = await target.exited;
  clearTimeout(timeout);
  const actualS = (diedAt - finishedAt) / 1000;
  return {
    projectedS,
    actualS,
    errorPct: projectedS === null ? null : ((projectedS - actualS) / actualS) * 100,
    lifetimeS: (diedAt - target.startedAt) / 1000,
    projectedLifetimeS: projectedS === null ? null : (finishedAt - target.startedAt) / 1000 + projectedS,
    result,
  };
}

async function requestRate(port: number): Promise<number> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 10, pipelining: 1, duration: loadMs / 1000 });
  return result.requests.total / (loadMs / 1000);
}

/** CPU time the process has used, ms (/proc/PID/stat utime + stime, in clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The target's own CPU time while idle, without and with a 4 Hz watch: what sampling costs it, free of load noise. */
async function idleCpu(server: Started): Promise<{ withoutMsPerS: number; withMsPerS: number }> {
  const pid = server.child.pid!;
  const start = await cpuMs(pid);
  await new Promise((resolve) => setTimeout(resolve, loadMs));
  const middle = await cpuMs(pid);
  const watcher = imdiag(['watch', '--inspect', `127.0.0.1:${server.inspectPort}`, '--interval', '250ms', '--duration', `${loadMs}ms`, '--json']);
  await watcher.done;
  const end = await cpuMs(pid);
  return { withoutMsPerS: (middle - start) / (loadMs / 1000), withMsPerS: (end - middle) / (loadMs / 1000) };
}

async function overhead(): Promise<{ without: number[]; with: number[]; costPct: number; idle: { withoutMsPerS: number; withMsPerS: number } }> {
  const server = await startNode([], HTTP_SERVER, true);
  try {
    log(
      `sampling cost: autocannon (10 connections, ${loadMs / 1000} s) against a tiny HTTP server, without and with imdiag watch at 4 Hz, alternated, 3 times each`,
    );
    await requestRate(server.httpPort!); // warm-up, not counted
    const without: number[] = [];
    const withWatch: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      without.push(await requestRate(server.httpPort!));
      const watcher = imdiag(['watch', '--inspect', `127.0.0.1:${server.inspectPort}`, '--interval', '250ms', '--duration', `${loadMs + 10_000}ms`, '--json']);
      // imdiag attached and sampling (its start-up is not what is measured).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      withWatch.push(await requestRate(server.httpPort!));
      watcher.child.kill('SIGINT');
      await watcher.done;
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const idle = await idleCpu(server);
    return { without, with: withWatch, costPct: (1 - mean(withWatch) / mean(without)) * 100, idle };
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

const environment = collectEnvironment();
log(`Node ${environment.node}, ${environment.cpus} CPUs (shared)`);
const oom = values.only === 'cost' ? null : await timeToOom();
const cost = values.only === 'oom' ? null : await overhead();
const lines: string[] = [];
if (oom) {
  const heap = oom.result.analysis.series.find((item) => item.series === 'heap');
  lines.push(
    `time to OOM (--max-old-space-size=96, leak ${leakKbPerTick} KB / 50 ms, watched ${watchMs / 1000} s, heap ${heap?.measure ?? 'heap-used'} fitted on ${heap?.fittedOn ?? '–'}, slope ${heap?.trend.slopeMBPerSec.toFixed(3) ?? '–'} MB/s)`,
    `  projected: died ${oom.projectedS?.toFixed(1) ?? '–'} s after the watch ended (lifetime ${oom.projectedLifetimeS?.toFixed(1) ?? '–'} s)`,
    `  actual:    died ${oom.actualS.toFixed(1)} s after the watch ended (lifetime ${oom.lifetimeS.toFixed(1)} s)`,
    `  error:     ${oom.errorPct === null ? 'no projection' : `${oom.errorPct >= 0 ? '+' : ''}${oom.errorPct.toFixed(1)} % of the remaining time`} (target ±25 %: ${oom.errorPct !== null && Math.abs(oom.errorPct) <= 25 ? 'met' : 'NOT met'})`,
  );
}
if (cost) {
  lines.push(
    `sampling cost at 4 Hz (autocannon requests/s, 10 connections, ${loadMs / 1000} s each)`,
    `  without watch: ${cost.without.map((rate) => Math.round(rate).toLocaleString('en-US')).join(', ')}`,
    `  with watch:    ${cost.with.map((rate) => Math.round(rate).toLocaleString('en-US')).join(', ')}`,
    `  cost:          ${cost.costPct.toFixed(1)} % fewer requests/s (target < 5 %: ${cost.costPct < 5 ? 'met' : 'NOT met'}; imdiag, autocannon and the server share ${environment.cpus} cores)`,
    `  the target's own CPU, idle: ${cost.idle.withoutMsPerS.toFixed(1)} ms/s without watch, ${cost.idle.withMsPerS.toFixed(1)} ms/s with it (${((cost.idle.withMsPerS - cost.idle.withoutMsPerS) / 10).toFixed(2)} % of one core spent answering 4 readings a second)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
