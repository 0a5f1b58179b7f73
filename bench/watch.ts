/**
 * `npm run bench:watch`: `imdiag watch` against real processes, in one run.
 *
 * 1. Time to OOM against a real death, in four cells: a leak of small objects (3,000 distinct
 *    300-character strings a second) and one of large objects (20 distinct 50 KB strings a
 *    second), each under --max-old-space-size=96 and =192, each target ALSO allocating
 *    short-lived garbage at 12 MB/s (over 10× either leak's rate, as a server's requests do).
 *    `imdiag watch --inspect` watches each for --watch seconds (30 s) and projects its death (a
 *    figure and a range); the benchmark then lets it die and compares. Target, every cell: the
 *    projected remaining time within ±25 % of the real one, or the real one inside the stated range.
 * 2. What sampling costs the target: autocannon against a tiny HTTP server with and without
 *    `imdiag watch` attached at 4 Hz (alternated, 3 times each). Target: < 5 % fewer requests/s.
 *    On a shared machine that ratio is mostly noise, so the target's own CPU time while idle,
 *    without and with the watch, is measured too: what answering the readings costs it.
 *
 *   npm run bench:watch -- [--watch 30s] [--load 5s] [--only oom|cost] [--parallel]   (--help lists the flags)
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
    about:
      'imdiag watch against real processes: its time-to-OOM projection against a real death (small and large objects, 96 and 192 MB caps, with garbage), and what 4 Hz sampling costs the target.',
  },
  {
    watch: flag.duration('how long imdiag watches each OOM target', '30s', 5_000, 600_000),
    load: flag.duration('each autocannon round of the cost measurement', '5s', 2_000, 120_000),
    only: optional(flag.choice('', 'oom', ['oom', 'cost'] as const), 'run one part only (default: both; allowed: oom, cost)'),
    parallel: flag.switch('run the four OOM cells at once (~4 min; on 2 shared cores the leaks slow unevenly): default one after another (~11 min)'),
  },
);
const watchMs = values.watch;
const loadMs = values.load;
const BIN = repoPath('bin/imdiag.js');
const log = (line: string) => process.stderr.write(`${line}\n`);

type Shape = 'small' | 'large';
/** Per 100 ms tick: how many distinct strings of how many characters are kept (flat one-byte strings: Buffer → latin1). */
const SHAPES: Record<Shape, { count: number; chars: number; label: string }> = {
  small: { count: 300, chars: 300, label: '3,000 × 300-char strings/s' },
  large: { count: 2, chars: 51_200, label: '20 × 50 KB strings/s' },
};
/** Short-lived garbage per tick: 600 arrays of 256 small integers (~2 KB each): 12 MB/s. */
const GARBAGE_ARRAYS_PER_TICK = 600;
const GARBAGE_MB_PER_S = (GARBAGE_ARRAYS_PER_TICK * 10 * (256 * 8 + 16)) / 2 ** 20;
const leaker = (shape: Shape) =>
  `const kept = []; let sink; setInterval(() => { for (let i = 0; i < ${SHAPES[shape].count}; i += 1) kept.push(Buffer.alloc(${SHAPES[shape].chars}, String(kept.length)).toString('latin1')); for (let j = 0; j < ${GARBAGE_ARRAYS_PER_TICK}; j += 1) sink = new Array(256).fill(j); }, 100);`;
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

interface Cell {
  shape: Shape;
  capMB: number;
  projectedS: number | null;
  range: [number, number | null] | null;
  actualS: number;
  errorPct: number | null;
  inRange: boolean;
  lifetimeS: number;
  result: WatchResult;
}

async function timeToOom(shape: Shape, capMB: number): Promise<Cell> {
  const target = await startNode([`--max-old-space-size=${capMB}`], leaker(shape), false);
  log(
    `time to OOM: target pid ${target.child.pid} keeps ${SHAPES[shape].label} + ${GARBAGE_MB_PER_S.toFixed(1)} MB/s garbage under --max-old-space-size=${capMB}; watching it ${watchMs / 1000} s`,
  );
  const run = imdiag(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--duration', `${watchMs}ms`, '--json']);
  const { stdout, finishedAt } = await run.done;
  const result = JSON.parse(stdout) as WatchResult;
  const projectedS = result.analysis.secondsToLimit;
  const range = result.analysis.secondsToLimitRange ?? null;
  log(`  ${shape}/${capMB} MB: verdict ${result.analysis.verdict}, projected death in ${projectedS?.toFixed(1) ?? '–'} s; waiting for it`);
  const timeout = setTimeout(() => target.child.kill('SIGKILL'), 15 * 60_000);
  const diedAt = await target.exited;
  clearTimeout(timeout);
  const actualS = (diedAt - finishedAt) / 1000;
  return {
    shape,
    capMB,
    projectedS,
    range,
    actualS,
    errorPct: projectedS === null ? null : ((projectedS - actualS) / actualS) * 100,
    inRange: range !== null && actualS >= range[0] && (range[1] === null || actualS <= range[1]),
    lifetimeS: (diedAt - target.startedAt) / 1000,
    result,
  };
}

async function oomCells(): Promise<Cell[]> {
  const plan = (['small', 'large'] as const).flatMap((shape) => [96, 192].map((capMB) => [shape, capMB] as const));
  if (values.parallel) return Promise.all(plan.map(([shape, capMB]) => timeToOom(shape, capMB)));
  const cells: Cell[] = [];
  for (const [shape, capMB] of plan) cells.push(await timeToOom(shape, capMB));
  return cells;
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
const oom = values.only === 'cost' ? null : await oomCells();
const cost = values.only === 'oom' ? null : await overhead();
const lines: string[] = [];
const seconds = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} s`);
if (oom) {
  lines.push(
    `time to OOM: watched ${watchMs / 1000} s, then left to die; every target also allocates ${GARBAGE_MB_PER_S.toFixed(1)} MB/s of short-lived garbage (${values.parallel ? 'the four cells at once' : 'cells one after another'})`,
    '| leak | cap | heap line (fitted on) | slope | projected | range | real death | error | target (±25 % or inside the range) |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const cell of oom) {
    const heap = cell.result.analysis.series.find((item) => item.series === 'heap');
    const error = cell.errorPct === null ? 'no projection' : `${cell.errorPct >= 0 ? '+' : ''}${cell.errorPct.toFixed(1)} %`;
    const met = (cell.errorPct !== null && Math.abs(cell.errorPct) <= 25) || cell.inRange;
    const range =
      cell.range === null
        ? '–'
        : `${seconds(cell.range[0])}–${cell.range[1] === null ? 'no end' : seconds(cell.range[1])}${cell.result.analysis.watchLonger ? ' (watch longer)' : ''}`;
    lines.push(
      `| ${SHAPES[cell.shape].label} | ${cell.capMB} MB | ${heap?.measure ?? '–'} (${heap?.fittedOn ?? '–'}, ${heap?.trend.samples ?? 0}) | ${heap?.trend.slopeMBPerSec.toFixed(3) ?? '–'} MB/s | ${seconds(cell.projectedS)} | ${range} | ${seconds(cell.actualS)} (lifetime ${seconds(cell.lifetimeS)}) | ${error} | ${met ? 'met' : 'NOT met'} |`,
    );
  }
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
